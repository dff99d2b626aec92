import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { formatRunsCsv, formatRunsJson, parseRunsCsv, parseRunsJson } from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { trainmap } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'trainmap-cli-'));
const csv = join(dir, 'runs.csv');
writeFileSync(csv, formatRunsCsv(smallBundle()));

describe('trainmap analyze', () => {
  it('prints help and lists commands', () => {
    const r = trainmap(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/analyze\s+fit the HMM training map/);
    const h = trainmap(['analyze', '--help']);
    expect(h.stdout).toMatch(/--states/);
    expect(h.stdout).toMatch(/--restarts <n>\s+seeded restarts per K/);
  });

  it('analyzes a CSV bundle on worker threads, prints the summary and writes the exported analysis', () => {
    const out = join(dir, 'report.json');
    const r = trainmap(['analyze', csv, '--restarts', '2', '--k-max', '3', '--workers', '2', '--out', out]);
    expect(r.stderr).toMatch(/model selection: \d+\/6 fits/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Model selection: fit on 12 runs, scored on 3 held-out runs/);
    expect(r.stdout).toMatch(/\*\s+2\s+241/);
    expect(r.stdout).toMatch(
      /Training map: linear \(0 → 1\), 2 visited states; verdict support 100% of \d+ fits?, K = 2 \(at K=2 alone: 100% of \d+ comparable fits\)/,
    );
    expect(r.stdout).toMatch(/edge\s+p\s+runs\s+support\s+mean conv\./);
    expect(r.stdout).toMatch(/0 → 1\s+[\d.]+\s+15\s+100%/);
    expect(r.stdout).toMatch(
      /Stability over 20 restarts at K=2: \d+ within 0\.2 nats per held-out checkpoint of the best \(states matched by means\)/,
    );
    expect(r.stdout).toMatch(/both criteria choose K=2|the criteria disagree/);
    expect(r.stderr).toMatch(/stability: \d+\/18 more restarts at K=2/);
    expect(r.stdout).toMatch(/model selection 6 fits in [\d.]+s, stability 18 fits in [\d.]+s on 2 worker threads/);
    expect(r.stdout).toMatch(/R² [01]\.\d+, F-test p-value/);
    expect(r.stdout).toMatch(/Analysis written to /);
    const exported = parseRunsJson(readFileSync(out, 'utf8'), out);
    expect(exported.groups[0].runs).toHaveLength(15);
    const analysis = exported.analysis as {
      format: string;
      selection: { chosenK: number };
      model: { params: { means: number[][] } };
    };
    expect(analysis.format).toBe('trainmap.analysis/1');
    expect(analysis.selection.chosenK).toBe(2);
    expect(
      (analysis as unknown as { stability: { verdict: { shape: string }; fits: unknown[] } }).stability.verdict.shape,
    ).toBe('linear');
    expect((analysis as unknown as { stability: { fits: unknown[] } }).stability.fits).toHaveLength(20);
    // The same analysis in this thread: worker threads change nothing.
    const one = trainmap([
      'analyze',
      csv,
      '--restarts',
      '2',
      '--k-max',
      '3',
      '--workers',
      '0',
      '--out',
      join(dir, 'one.json'),
      '--quiet',
    ]);
    expect(one.code).toBe(0);
    const again = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8'));
    expect(again.analysis.model).toEqual(JSON.parse(readFileSync(out, 'utf8')).analysis.model);
  });

  it('--previous carries the identities (colours) of an earlier analysis, numbers still by first visit; reads its own export back', () => {
    const out = join(dir, 'report.json');
    const r = trainmap([
      'analyze',
      out,
      '--restarts',
      '2',
      '--k-max',
      '3',
      '--workers',
      '0',
      '--previous',
      out,
      '--out',
      join(dir, 'second.json'),
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const first = JSON.parse(readFileSync(out, 'utf8')).analysis;
    const second = JSON.parse(readFileSync(join(dir, 'second.json'), 'utf8')).analysis;
    expect(second.runs.map((x: { path: number[] }) => x.path)).toEqual(
      first.runs.map((x: { path: number[] }) => x.path),
    );
    const identities = (a: { map: { nodes: { identity: number }[] } }) => a.map.nodes.map((n) => n.identity);
    expect(identities(second)).toEqual(identities(first));
  });

  it('a missing file, a malformed bundle and a non-analysis --previous give clear errors and exit 1', () => {
    const missing = trainmap(['analyze', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'run,step,l1\na,0,1\na,1,oops\n');
    const r = trainmap(['analyze', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.csv, line 3, column 3: 'oops' in column 'l1' is not a number");
    expect(existsSync(join(dir, 'bad.analysis.json'))).toBe(false);
    const prev = trainmap(['analyze', csv, '--previous', csv]);
    expect(prev.code).toBe(1);
    expect(prev.stderr).toMatch(
      /runs\.csv: not a usable previous analysis: it is a run bundle without an 'analysis' key/,
    );
  });

  it('bad options are usage errors (exit 2) that say what was expected', () => {
    const cases: [string[], RegExp][] = [
      [['--restarts', '0'], /--restarts must be at least 1; got 0/],
      [['--states', 'many'], /--states must be 'auto' or a whole number ≥ 1; got 'many'/],
      [['--threshold', '1.5'], /--threshold must be at most 1; got 1.5/],
      [['--seed', 'NaN'], /--seed must be a finite number; got 'NaN'/],
      [['--init', 'random'], /--init must be one of sticky|hmmlearn|--init must be one of hmmlearn, sticky/],
      [['--criterion', 'median'], /--criterion must be one of best, mean; got 'median'/],
      [['--comparable-within', '-1'], /--comparable-within must be at least 0; got -1/],
      [['--avoid-degenerate=maybe'], /--avoid-degenerate must be true or false/],
      [['--bogus'], /unknown option --bogus/],
      [['--out'], /--out needs a value/],
    ];
    for (const [flags, message] of cases) {
      const r = trainmap(['analyze', csv, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(trainmap(['analyze']).stderr).toMatch(
      /analyze takes a bundle file \(.csv or .json\), a folder of per-run files, or several files; got none/,
    );
    expect(trainmap(['frobnicate']).code).toBe(2);
  });

  it('too few runs and unsupported K are explained', () => {
    const two = join(dir, 'one-run.json');
    writeFileSync(two, formatRunsJson({ ...smallBundle(1), format: 'trainmap.runs/1' }));
    const r = trainmap(['analyze', two, '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/too few runs to analyze: 1 usable of 1/);
    const k = trainmap(['analyze', csv, '--states', '200', '--workers', '0']);
    expect(k.code).toBe(1);
    expect(k.stderr).toMatch(/do not support 200 states: K=200 needs at least 3000 training checkpoints/);
  });

  it('--forecast on a partial bundle lists when each run still training should converge', () => {
    const sample = resolve(import.meta.dirname, '../../static/samples/sparse-parity-paper.csv');
    const part = parseRunsCsv(readFileSync(sample, 'utf8'), sample);
    for (const run of part.groups[0].runs)
      for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, 150);
    const file = join(dir, 'partial.csv');
    writeFileSync(file, formatRunsCsv(part));
    const out = join(dir, 'partial.analysis.json');
    const r = trainmap([
      'analyze',
      file,
      '--states',
      '6',
      '--stability-restarts',
      '0',
      '--workers',
      '0',
      '--forecast',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = parseRunsJson(readFileSync(out, 'utf8'), out).analysis as AnalysisReport;
    const f = report.forecast!;
    if ('skipped' in f) throw new Error(f.skipped);
    expect(f.runs.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `Convergence forecast: ${f.runs.length} runs not converged yet; converged states [\\d, ]+; on converged runs cut at 25%, 50%, 75%`,
      ),
    );
    expect(r.stdout).toMatch(/run +checkpoints +P\(converged now\) +P\(ever\) +expected at checkpoint +± sd +step/);
    for (const run of f.runs) expect(r.stdout).toContain(run.key);
    // Without the flag: the one line and a hint.
    const plain = trainmap([
      'analyze',
      file,
      '--states',
      '6',
      '--stability-restarts',
      '0',
      '--workers',
      '0',
      '--out',
      out,
    ]);
    expect(plain.stdout).toContain('(--forecast lists each run)');
    expect(plain.stdout).not.toMatch(/P\(converged now\)/);
  });
});
