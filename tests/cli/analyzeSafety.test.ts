import fc from 'fast-check';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatRunsCsv, formatRunsJson, parseRunsJson } from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { trainmap } from '../helpers/cli.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';

const dir = mkdtempSync(join(tmpdir(), 'trainmap-safety-'));
const csv = join(dir, 'runs.csv');
const csvText = formatRunsCsv(smallBundle());
writeFileSync(csv, csvText);
const json = join(dir, 'runs.json');
writeFileSync(json, formatRunsJson(smallBundle()));
const quick = ['--restarts', '1', '--k-max', '2', '--workers', '0'];
const RAW_BUT_NEWLINE = new RegExp(RAW_CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f'));

/** The one error line trainmap prints last on stderr. */
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').filter(Boolean).at(-1) ?? '';

describe('trainmap analyze never overwrites its input', () => {
  it('--out naming the input, by the same or another path or a hard link, is refused before any work, naming both', () => {
    const link = join(dir, 'link.json');
    linkSync(json, link);
    for (const [input, out] of [
      [csv, csv],
      [json, json],
      [json, join(dir, 'sub', '..', 'runs.json')],
      [json, link],
    ]) {
      const before = readFileSync(input, 'utf8');
      const r = trainmap(['analyze', input, '--out', out, ...quick]);
      expect(r.code, `${input} → ${out}`).toBe(2);
      expect(r.stderr).toContain(
        `--out ${out} is the input ${input}; writing the analysis there would replace the bundle, so choose another --out`,
      );
      expect(readFileSync(input, 'utf8')).toBe(before);
    }
  });

  it('re-analyzing an exported analysis with the default name is refused; so is a figure path that is the input', () => {
    const exported = join(dir, 'x.analysis.json');
    writeFileSync(exported, formatRunsJson(smallBundle()));
    const r = trainmap(['analyze', exported, ...quick]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `the default output ${exported} is the input ${exported} itself (an exported analysis); writing it would replace the input, so choose another name with --out`,
    );
    const svgInput = join(dir, 'fig.svg');
    writeFileSync(svgInput, csvText);
    const f = trainmap(['analyze', svgInput, '--out', join(dir, 'fig.json'), ...quick]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain(
      `the figure ${svgInput} (beside --out ${join(dir, 'fig.json')}) would replace the input ${svgInput}; choose another --out`,
    );
    expect(readFileSync(svgInput, 'utf8')).toBe(csvText);
  });

  it('--out naming a directory, or a path under a file, is refused first', () => {
    const sub = join(dir, 'results');
    mkdirSync(sub, { recursive: true });
    const d = trainmap(['analyze', csv, '--out', sub, ...quick]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(
      `--out ${sub} is a directory; name the file to write, e.g. --out ${join(sub, 'runs.analysis.json')}`,
    );
    const under = trainmap(['analyze', csv, '--out', join(csv, 'x.json'), ...quick]);
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`cannot write ${join(csv, 'x.json')}: ${csv} is a file, not a directory`);
  });
});

describe('trainmap analyze --previous gets its own sentence for each way it can be wrong', () => {
  it('missing, not JSON, not an analysis, or an analysis whose fit is malformed', () => {
    const missing = trainmap(['analyze', csv, '--previous', join(dir, 'gone.json'), ...quick]);
    expect(missing.code).toBe(1);
    expect(lastLine(missing.stderr)).toBe(
      `trainmap analyze: ${join(dir, 'gone.json')}: no such file (given as --previous)`,
    );
    const notJson = join(dir, 'notjson.json');
    writeFileSync(notJson, '{"format": "trainmap.runs/1", oops}');
    expect(lastLine(trainmap(['analyze', csv, '--previous', notJson, ...quick]).stderr)).toBe(
      `trainmap analyze: ${notJson}, line 1, column 31: not valid JSON: expected a string in double quotes, found 'o'`,
    );
    const bad = parseRunsJson(formatRunsJson(smallBundle()), 'x.json');
    bad.analysis = {
      format: 'trainmap.analysis/1',
      features: ['l1'],
      model: { params: { startprob: [1], transmat: [[1]], means: 'oops', covars: [[[1]]] } },
    };
    const malformed = join(dir, 'malformed.analysis.json');
    writeFileSync(malformed, formatRunsJson(bad));
    const m = trainmap(['analyze', csv, '--previous', malformed, ...quick]);
    expect(m.code).toBe(1);
    expect(lastLine(m.stderr)).toBe(
      `trainmap analyze: ${malformed}: not a usable previous analysis: analysis.model.params.means is the string "oops", expected 1 rows`,
    );
  });
});

describe('trainmap analyze on hostile and unusual input', () => {
  it('control characters and a 10 MB cell are escaped and cut in the error, which stays one line under 1 KB', () => {
    const hostile = join(dir, 'hostile.csv');
    // The hostile cell sits in a column that holds numbers too (a column of text alone is left out, and named).
    writeFileSync(
      hostile,
      `run,step,l1\n"\u001b[31mred",0,1\n"\u001b[31mred",1,"\u001b]0;owned\u0007${'z'.repeat(10 * 2 ** 20)}"\n`,
    );
    const r = trainmap(['analyze', hostile, ...quick]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW_BUT_NEWLINE);
    const line = lastLine(r.stderr);
    expect(Buffer.byteLength(line)).toBeLessThan(1024);
    expect(line).toMatch(
      /^trainmap analyze: .*hostile\.csv, line 3, column 3: '\\x1B\]0;owned\\x07z+…\(10485770 characters\)' in column 'l1' is not a number$/,
    );
    const unknown = trainmap(['constructor']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^trainmap: unknown command 'constructor'/);
    expect(trainmap(['__proto__']).code).toBe(2);
  });

  it('a gzip-compressed UTF-16 CSV with inherited column names and the authors’ accuracy column analyzes end to end', () => {
    const b = smallBundle();
    for (const run of b.groups[0].runs) {
      const cp = run.checkpoints as Record<string, number[]>;
      cp.eval_accuracy = cp.eval_acc;
      delete cp.eval_acc;
    }
    delete (b.groups[0].runs[2].checkpoints as Record<string, number[]>).eval_accuracy;
    const text = formatRunsCsv(b).replace(/^run,step,l1,l2/, 'run,step,__proto__,constructor');
    const file = join(dir, 'utf16.csv.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    const out = join(dir, 'utf16.analysis.json');
    const r = trainmap([
      'analyze',
      file,
      '--features',
      '__proto__,constructor,l1_over_l2',
      '--accuracy-column',
      'eval_accuracy',
      '--out',
      out,
      ...quick,
    ]);
    expect(r.stderr).not.toMatch(/Error:|\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('15 runs, 15 analyzed (120 checkpoints each), 3 features');
    // A CSV gives every run every column: seed-2's is empty, which counts as having none.
    expect(r.stdout).toContain(
      "run seed-2 has no values in column 'eval_accuracy': its convergence time is unknown, so the regression and detours are skipped",
    );
    expect(r.stdout).toContain(
      "Regression of convergence time: skipped (no 'eval_accuracy' column in run seed-2: convergence time and the regression need it)",
    );
    const exported = parseRunsJson(readFileSync(out), out);
    const analysis = exported.analysis as { features: string[]; settings: { accuracyColumn: string } };
    expect(analysis.features).toEqual(['__proto__', 'constructor', 'l1_over_l2']);
    expect(analysis.settings.accuracyColumn).toBe('eval_accuracy');
    expect(Object.keys(exported.groups[0].runs[0].checkpoints)).toContain('__proto__');
    expect(existsSync(join(dir, 'utf16.analysis.svg'))).toBe(true);
  });

  it('fuzz: mutated bundles through the spawned CLI exit 0, 1 or 2, and any error is one clean line', () => {
    const source = new TextEncoder().encode(csvText.split('\n').slice(0, 200).join('\n'));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(source.length),
            bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
            cut: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        (edits) => {
          let b = source;
          for (const e of edits)
            b = e.cut
              ? b.subarray(0, e.at)
              : new Uint8Array([...b.subarray(0, e.at), ...e.bytes, ...b.subarray(e.at + e.bytes.length)]);
          const file = join(dir, 'fuzz.csv');
          writeFileSync(file, b);
          const r = trainmap(['analyze', file, '--out', join(dir, 'fuzz.analysis.json'), '--quiet', ...quick], {
            timeoutMs: 60_000,
          });
          expect([0, 1, 2]).toContain(r.code);
          expect(r.stderr).not.toMatch(RAW_BUT_NEWLINE);
          expect(r.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|Maximum call stack/);
          if (r.code !== 0) expect(Buffer.byteLength(lastLine(r.stderr))).toBeLessThan(1024);
        },
      ),
      { numRuns: 6 },
    );
  });
});
