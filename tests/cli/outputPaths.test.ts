import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPlace, proveWritable } from '../../src/cli/outputPaths.ts';
import { formatRunsCsv } from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { trainmap } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'trainmap-outputs-'));
/** A folder that cannot exist: /proc holds a folder per live process id, and this one is beyond any pid. */
const nowhere = '/proc/999999999';

describe('outputs are proven writable before any work', () => {
  it('a folder that accepts a file passes and keeps nothing of the probe; a missing folder passes if it can be created', () => {
    proveWritable(join(dir, 'a.json'));
    proveWritable(join(dir, 'new', 'deeper', 'a.json'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses with the path and the reason: a folder that cannot be created, one that takes no file, a file as folder', () => {
    expect(() => proveWritable(`${nowhere}/report.json`)).toThrow(
      `cannot write ${nowhere}/report.json: its folder ${nowhere} does not exist and cannot be created in /proc (no such file or directory)`,
    );
    expect(() => proveWritable('/proc/self/report.json')).toThrow(
      /^cannot write \/proc\/self\/report\.json: its folder \/proc\/self does not accept a new file \(/,
    );
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expect(() => proveWritable(join(file, 'a.json'))).toThrow(
      `cannot write ${join(file, 'a.json')}: ${file} is a file, not a directory`,
    );
    expect(() => checkOutputPlace(dir, 'runs.csv')).toThrow(`--out ${dir} is a directory`);
  });

  it('trainmap analyze refuses an unwritable --out at once, where the analysis itself would take minutes', () => {
    const csv = join(dir, 'runs.csv');
    writeFileSync(csv, formatRunsCsv(smallBundle(40, 300)));
    // 8 Ks × 50 restarts and 200 stability restarts in one thread: many minutes of fitting, far beyond the timeout.
    const slow = ['--restarts', '50', '--k-max', '8', '--stability-restarts', '200', '--workers', '0'];
    const r = trainmap(['analyze', csv, '--out', `${nowhere}/report.json`, ...slow], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write ${nowhere}/report.json: its folder ${nowhere} does not exist`);
  });

  it('trainmap run refuses an unwritable --out before training', () => {
    const r = trainmap(
      [
        'run',
        '--task',
        'sparse-parity',
        '--preset',
        'paper',
        '--seeds',
        '40',
        '--out',
        `${nowhere}/runs.json`,
        '--analyze',
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write ${nowhere}/runs.json`);
    expect(r.stderr).not.toMatch(/training sparse-parity/);
  });
});
