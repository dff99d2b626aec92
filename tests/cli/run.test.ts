import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunsJson, type RunBundle } from '../../src/io/index.ts';
import { trainmap } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'trainmap-run-'));
const read = (f: string): RunBundle => parseRunsJson(readFileSync(f, 'utf8'), f);
const base = ['run', '--task', 'sparse-parity', '--preset', 'paper'];

describe('trainmap run', () => {
  it('trains seeds together with progress, writing the bundle; one seed alone gives the same numbers', () => {
    const out = join(dir, 'three.json');
    const r = trainmap([...base, '--seeds', '3', '--seed-start', '5', '--epochs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /training sparse-parity\/paper: 3 seeds × 2 epochs \(32 steps each, batch 32\).*backend wasm/,
    );
    expect(r.stderr).toMatch(/epoch \d\/2 · step \d+\/64 · [\d.]+ seed-steps\/s · ETA/);
    expect(r.stdout).toMatch(/Trained 3 seeds to epoch 2/);
    const bundle = read(out);
    const runs = bundle.groups[0].runs;
    expect(runs.map((x) => x.id)).toEqual(['seed-5', 'seed-6', 'seed-7']);
    expect(Object.keys(runs[0].checkpoints)).toEqual(
      expect.arrayContaining(['step', 'epoch', 'train_loss', 'train_acc', 'eval_loss', 'eval_acc', 'l1', 'sv_var']),
    );
    expect(runs[0].checkpoints.step).toEqual([32, 64]);
    expect(bundle.groups[0].config).toMatchObject({
      task: 'sparse-parity',
      preset: 'paper',
      epochs: 2,
      backend: 'wasm',
      backendReason: expect.stringMatching(/first choice in Node/),
    });
    const single = join(dir, 'single.json');
    expect(trainmap([...base, '--seeds', '1', '--seed-start', '6', '--epochs', '2', '--out', single]).code).toBe(0);
    expect(read(single).groups[0].runs[0].checkpoints).toEqual(runs[1].checkpoints);
  });

  it('an interrupted run keeps its checkpoints and --resume finishes it exactly as an uninterrupted run', async () => {
    const whole = join(dir, 'whole.json');
    expect(trainmap([...base, '--seeds', '2', '--epochs', '5', '--out', whole]).code).toBe(0);
    const part = join(dir, 'part.json');
    const args = [...base, '--seeds', '2', '--epochs', '5', '--out', part, '--save-every', '0'];
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), ...args], {
      env: { ...process.env, TRAINMAP_PROGRESS_MS: '0' },
    });
    let stderr = '';
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/· 2 checkpoints/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => done(c));
    });
    expect(stderr).toMatch(/interrupted: stopping after this step and saving every completed checkpoint/);
    expect(code).toBe(130);
    const kept = read(part).groups[0].runs[0].checkpoints.step.length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(5);
    expect(existsSync(`${part}.state`)).toBe(true);
    const resumed = trainmap([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at epoch \d/);
    expect(read(part).groups[0].runs).toEqual(read(whole).groups[0].runs);
  });

  it('bad settings get clear errors and nothing is overwritten', () => {
    const cases: [string[], number, RegExp][] = [
      [['--seeds', '0', '--out', join(dir, 'x.json')], 2, /--seeds must be at least 1; got 0/],
      [
        ['--preset', 'fast', '--out', join(dir, 'x.json')],
        2,
        /unknown preset 'fast' for sparse-parity; presets: paper, quick/,
      ],
      [['--lr', 'NaN', '--out', join(dir, 'x.json')], 2, /--lr must be a finite number; got 'NaN'/],
      [['--lr', '-1', '--out', join(dir, 'x.json')], 2, /learning rate must be a finite number > 0, got -1/],
      [
        ['--batch-size', '5000', '--out', join(dir, 'x.json')],
        1,
        /batch size 5000 is larger than the 1000 training examples/,
      ],
      [['--out', join(dir, 'x.csv')], 2, /--out must be a \.json file/],
      [['--layer-norm', '--out', join(dir, 'x.json')], 2, /--layer-norm applies to modular-addition only/],
      [['--backend', 'metal', '--out', join(dir, 'x.json')], 2, /--backend must be one of webgpu, wasm, cpu/],
      [[], 2, /--out is required/],
    ];
    for (const [flags, code, message] of cases) {
      const r = trainmap([...base, ...flags]);
      expect(r.code, flags.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    expect(trainmap(['run', '--out', join(dir, 'x.json')]).stderr).toMatch(/--task is required/);
    const existing = join(dir, 'existing.json');
    writeFileSync(existing, '{"precious": true}');
    const r = trainmap([...base, '--out', existing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/existing\.json exists; use --resume to continue it or --force to overwrite it/);
    expect(readFileSync(existing, 'utf8')).toBe('{"precious": true}');
    const extend = trainmap([
      ...base,
      '--out',
      join(dir, 'three.json'),
      '--seeds',
      '3',
      '--seed-start',
      '5',
      '--resume',
      '--epochs',
      '3',
    ]);
    expect(extend.code, extend.stderr).toBe(0);
    expect(read(join(dir, 'three.json')).groups[0].runs[0].checkpoints.step).toEqual([32, 64, 96]);
    // Without --epochs a resume keeps the run's own length, not the preset's 300.
    const again = trainmap([
      ...base,
      '--out',
      join(dir, 'three.json'),
      '--seeds',
      '3',
      '--seed-start',
      '5',
      '--resume',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Trained 3 seeds to epoch 3 /);
    const mismatch = trainmap([...base, '--out', join(dir, 'three.json'), '--seeds', '2', '--resume']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/cannot resume: it trains seeds 5…7 \(3\), not 0…1 \(2\)/);
    expect(trainmap([...base, '--out', join(dir, 'nothing.json'), '--resume']).stderr).toMatch(/nothing to resume/);
  });
});

describe('trainmap run keeps its files safe', () => {
  const small = [...base, '--seeds', '1', '--epochs', '1'];
  const bytes = (f: string) => readFileSync(f);

  it('an --out (or its state) that is a directory is refused before training, leaving nothing behind', () => {
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    const r = trainmap([...small, '--out', folder]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/folder\.json is a directory; --out must name a file/);
    const stateDir = join(dir, 'statedir.json');
    mkdirSync(`${stateDir}.state`);
    const s = trainmap([...small, '--out', stateDir]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/statedir\.json\.state is a directory/);
    expect(readdirSync(dir).filter((n) => /folder|statedir/.test(n))).toEqual(['folder.json', 'statedir.json.state']);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a second run on the same --out is refused, naming the live one; the lock goes with the first', async () => {
    const out = join(dir, 'busy.json');
    const first = spawn(
      process.execPath,
      ['--import', 'tsx', resolve('src/cli/main.ts'), ...base, '--seeds', '1', '--epochs', '300', '--out', out],
      {
        env: { ...process.env, TRAINMAP_PROGRESS_MS: '0' },
      },
    );
    const exited = new Promise<number | null>((done) => first.on('exit', (c) => done(c)));
    await new Promise<void>((going) =>
      first.stderr.on('data', (chunk: Buffer) => /seed-steps\/s/.test(chunk.toString()) && going()),
    );
    const second = trainmap([...small, '--out', out, '--force']);
    first.kill('SIGINT');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `busy\\.json is in use by another trainmap run \\(pid ${first.pid} on this host, started [0-9T:.-]+Z; lock file .*busy\\.json\\.lock\\); wait for it to end or stop it`,
      ),
    );
    expect(await exited).toBe(130);
    expect(existsSync(`${out}.lock`)).toBe(false);
    // What the first run saved is its own, whole: it resumes.
    const resumed = trainmap([...base, '--seeds', '1', '--epochs', '1', '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('a stale lock of a dead process is taken over with a message; temporaries a killed save left are removed', () => {
    const out = join(dir, 'stale.json');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: dead, host: hostname(), started: '2020-01-01T00:00:00.000Z' }));
    writeFileSync(`${out}.tmp-${dead}-0`, '{"half": ');
    writeFileSync(`${out}.state.tmp-${dead}-1`, 'TRAINMAP');
    const r = trainmap([...small, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `note: took over the lock .*stale\\.json\\.lock of a trainmap run that is no longer running \\(pid ${dead} on this host`,
      ),
    );
    expect(r.stderr).toMatch(/note: removed 2 temporary files left by an interrupted save/);
    expect(
      readdirSync(dir)
        .filter((n) => n.startsWith('stale.json'))
        .sort(),
    ).toEqual(['stale.json', 'stale.json.state']);
  });

  it('--resume refuses an altered state and a bundle of another run, naming the file and changing nothing', () => {
    const mine = join(dir, 'mine.json');
    const theirs = join(dir, 'theirs.json');
    for (const out of [mine, theirs]) expect(trainmap([...small, '--out', out]).code).toBe(0);
    const state = bytes(`${mine}.state`);
    const altered = Buffer.from(state);
    altered.writeFloatLE(altered.readFloatLE(altered.length - 8) + 1, altered.length - 8);
    writeFileSync(`${mine}.state`, altered);
    const before = [bytes(mine), bytes(`${mine}.state`)];
    const r = trainmap([...small, '--epochs', '2', '--out', mine, '--resume']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /mine\.json\.state: checksum mismatch \(recorded [0-9a-f]{8}, contents hash to [0-9a-f]{8}\): the file was altered or damaged/,
    );
    expect([bytes(mine), bytes(`${mine}.state`)]).toEqual(before);

    writeFileSync(`${mine}.state`, state);
    writeFileSync(mine, bytes(theirs));
    const mixed = [bytes(mine), bytes(`${mine}.state`)];
    const m = trainmap([...small, '--epochs', '2', '--out', mine, '--resume']);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(
      /mine\.json: cannot resume: it belongs to another run \(training id [0-9a-f]{32}\) than .*mine\.json\.state \(training id [0-9a-f]{32}\)/,
    );
    expect([bytes(mine), bytes(`${mine}.state`)]).toEqual(mixed);
    expect(existsSync(`${mine}.lock`)).toBe(false);
  });
});
