/**
 * One `trainmap run` per --out at a time: a lock file beside the bundle, created exclusively, naming its
 * holder (pid, host, start time). A lock whose process is gone from this host is taken over; a live one,
 * or one held on another host (whose processes cannot be checked from here), is refused with its holder.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

export interface RunLock {
  path: string;
  holder: LockHolder;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

export function lockPath(out: string): string {
  return `${out}.lock`;
}

/** Takes the lock of `out`, or throws saying who holds it. `note` hears about a stale lock taken over. */
export function acquireRunLock(out: string, note: (message: string) => void): RunLock {
  const path = lockPath(out);
  const mine: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = JSON.stringify(mine) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusively(path, text)) return heldLock(path, mine, text);
    const found = readHolder(path);
    if (found === 'gone') continue;
    if (found === 'unreadable')
      throw new Error(
        `${out} is locked by ${path}, which does not name its holder; if no trainmap run is using ${out}, delete ${path}`,
      );
    const { holder, raw } = found;
    const who = `pid ${holder.pid} on ${holder.host === mine.host ? 'this host' : `host ${holder.host}`}, started ${holder.started}`;
    if (holder.host !== mine.host)
      throw new Error(
        `${out} is in use by another trainmap run (${who}; lock file ${path}); if that run is over, delete ${path}`,
      );
    if (isRunning(holder.pid))
      throw new Error(
        `${out} is in use by another trainmap run (${who}; lock file ${path}); wait for it to end or stop it`,
      );
    if (takeOver(path, raw))
      note(`note: took over the lock ${path} of a trainmap run that is no longer running (${who})`);
  }
  throw new Error(`could not lock ${out}: ${path} kept changing (is another trainmap run starting on it?)`);
}

function heldLock(path: string, holder: LockHolder, text: string): RunLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A crash that skips the caller's finally still releases the lock on the way out.
  process.on('exit', release);
  return { path, holder, release };
}

function createExclusively(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`could not create the lock file ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    return Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.started === 'string'
      ? (h as LockHolder)
      : null;
  } catch {
    return null;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The lock's holder; a file still being written (created, not yet filled) is read again a moment later. */
function readHolder(path: string): { holder: LockHolder; raw: string } | 'gone' | 'unreadable' {
  for (let attempt = 0; attempt < 3; attempt++) {
    let raw: string;
    try {
      raw = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw new Error(`could not read the lock file ${path}: ${(e as Error).message}`, { cause: e });
    }
    const holder = parseHolder(raw);
    if (holder) return { holder, raw };
    sleepMs(50);
  }
  return 'unreadable';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside and checks it is still the one judged stale (another process may have taken
 * it over and locked anew in between); a lock moved aside by mistake is put back.
 */
function takeOver(path: string, staleText: string): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(`could not take over the stale lock ${path}: ${(e as Error).message}`, { cause: e });
  }
  const moved = readFileSync(aside, 'utf8');
  rmSync(aside, { force: true });
  if (moved !== staleText) createExclusively(path, moved);
  return moved === staleText;
}
