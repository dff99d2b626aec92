/** The CLI's session store: the bundle JSON at --out and the training state at <out>.state, both written atomically. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatRunsJson, parseRunsJson } from '../io/index.ts';
import type { ResumeFrom, SessionFlush, SessionStore } from '../train/session.ts';
import { decodeState } from '../train/stateCodec.ts';
import { writeFileAtomic } from './atomicFile.ts';

export function statePath(out: string): string {
  return `${out}.state`;
}

/** Refuses, before anything is trained, an --out (or its state file) that names a directory. */
export function checkOutPaths(out: string): void {
  for (const file of [out, statePath(out)]) {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(
        `${file} is a directory; --out must name a file (the state is written beside it as ${statePath(out)})`,
      );
  }
}

export class FileRunStore implements SessionStore {
  constructor(readonly out: string) {}

  async flush(flush: SessionFlush): Promise<void> {
    // Bundle first: a crash between the two leaves a bundle ahead of its state, whose extra rows a resume recomputes.
    writeFileAtomic(this.out, formatRunsJson(flush.bundle));
    writeFileAtomic(statePath(this.out), flush.state);
  }
}

/** The saved run at `out`, decoded and checked (checksum, header); the session checks that bundle and state belong together. */
export function readResume(out: string): ResumeFrom {
  const state = statePath(out);
  if (!existsSync(out)) throw new Error(`${out}: nothing to resume (no such file)`);
  if (!existsSync(state))
    throw new Error(`${state}: no saved training state next to the bundle, so it cannot be resumed exactly`);
  const bundle = parseRunsJson(readFileSync(out, 'utf8'), out);
  const saved = decodeState(new Uint8Array(readFileSync(state)), state);
  return { bundle, saved, bundleName: out, stateName: state };
}
