import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, lockPath } from '../../src/cli/runLock.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'trainmap-lock-')), 'runs.json');

/** A pid that has just exited (reused only after the kernel wraps around). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('the run lock on --out', () => {
  it('is created exclusively with its holder, refused while held, and released', () => {
    const out = fresh();
    const notes: string[] = [];
    const lock = acquireRunLock(out, (m) => notes.push(m));
    expect(lock.path).toBe(`${out}.lock`);
    expect(JSON.parse(readFileSync(lockPath(out), 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
      started: lock.holder.started,
    });
    expect(() => acquireRunLock(out, (m) => notes.push(m))).toThrow(
      new RegExp(
        `is in use by another trainmap run \\(pid ${process.pid} on this host, started ${lock.holder.started}; lock file .*runs\\.json\\.lock\\); wait for it to end or stop it`,
      ),
    );
    lock.release();
    expect(existsSync(lockPath(out))).toBe(false);
    acquireRunLock(out, (m) => notes.push(m)).release();
    expect(notes).toEqual([]);
  });

  it('takes over a stale lock of a process that is gone from this host, and says so', () => {
    const out = fresh();
    const pid = deadPid();
    writeFileSync(lockPath(out), JSON.stringify({ pid, host: hostname(), started: '2020-01-01T00:00:00.000Z' }));
    const notes: string[] = [];
    const lock = acquireRunLock(out, (m) => notes.push(m));
    expect(notes).toEqual([
      `note: took over the lock ${lockPath(out)} of a trainmap run that is no longer running (pid ${pid} on this host, started 2020-01-01T00:00:00.000Z)`,
    ]);
    expect(JSON.parse(readFileSync(lockPath(out), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it("refuses a lock held on another host, and one that names no holder; release never removes another's lock", () => {
    const out = fresh();
    writeFileSync(
      lockPath(out),
      JSON.stringify({ pid: 1, host: 'elsewhere.example', started: '2020-01-01T00:00:00.000Z' }),
    );
    expect(() => acquireRunLock(out, () => undefined)).toThrow(
      `is in use by another trainmap run (pid 1 on host elsewhere.example, started 2020-01-01T00:00:00.000Z; lock file ${lockPath(out)}); if that run is over, delete ${lockPath(out)}`,
    );
    writeFileSync(lockPath(out), 'garbage');
    expect(() => acquireRunLock(out, () => undefined)).toThrow(
      `is locked by ${lockPath(out)}, which does not name its holder; if no trainmap run is using`,
    );
    const other = fresh();
    const lock = acquireRunLock(other, () => undefined);
    writeFileSync(lockPath(other), JSON.stringify({ pid: 1, host: hostname(), started: 'later' }));
    lock.release();
    expect(existsSync(lockPath(other)), "someone else's lock stays").toBe(true);
  });
});
