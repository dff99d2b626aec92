/** A memory store and a recording sink for session tests; both check that what crosses them is plain, cloneable data. */
import { expect } from 'vitest';
import { tf } from '../../src/train/backend.ts';
import { decodeState } from '../../src/train/stateCodec.ts';
import { TrainingSession } from '../../src/train/session.ts';
import type {
  CheckpointBatch,
  ResumeFrom,
  SessionEvent,
  SessionFlush,
  SessionOptions,
  SessionStore,
} from '../../src/train/sessionTypes.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';

/** A structured clone that must come back equal, prototypes included (a class instance would not). */
export function cloned<T>(value: T): T {
  const copy = structuredClone(value);
  expect(copy).toStrictEqual(value);
  return copy;
}

export class MemoryStore implements SessionStore {
  readonly flushes: SessionFlush[] = [];
  failOn: number | null = null;

  async flush(flush: SessionFlush): Promise<void> {
    if (this.failOn === this.flushes.length) throw new Error('disk full (test store)');
    this.flushes.push(cloned(flush));
  }

  get last(): SessionFlush {
    const f = this.flushes.at(-1);
    if (!f) throw new Error('nothing was flushed');
    return f;
  }

  /** What the saved run looks like to a resumer. */
  resumePoint(): ResumeFrom {
    return {
      bundle: structuredClone(this.last.bundle),
      saved: decodeState(this.last.state, 'memory state'),
      bundleName: 'memory bundle',
      stateName: 'memory state',
    };
  }
}

/** The checkpoint batches a transactional store ends up holding after applying `flushes` in order. */
export function replayFlushes(flushes: readonly SessionFlush[], into: CheckpointBatch[] = []): CheckpointBatch[] {
  for (const f of flushes) {
    if (f.truncatedAfter !== null) into.splice(0, into.length, ...into.filter((b) => b.step <= f.truncatedAfter!));
    into.push(...f.newCheckpoints);
  }
  return into;
}

export interface Harness {
  session: TrainingSession;
  store: MemoryStore;
  events: SessionEvent[];
  /** Called with each event after it is recorded. */
  on: (listener: (e: SessionEvent, session: TrainingSession) => void) => void;
}

export async function openSession(
  cfg: TrainingConfig,
  seeds: number[],
  options: Partial<SessionOptions> = {},
): Promise<Harness> {
  const store = (options.store as MemoryStore | undefined) ?? new MemoryStore();
  const events: SessionEvent[] = [];
  const listeners: ((e: SessionEvent, session: TrainingSession) => void)[] = [];
  const session: TrainingSession = new TrainingSession({
    model: await createTaskModel(cfg),
    seeds,
    backend: { name: tf.getBackend(), reason: 'chosen by the test' },
    trainingId: 'test-run',
    saveEveryMs: Infinity,
    ...options,
    store,
    sink: (e) => {
      events.push(cloned(e));
      for (const l of listeners) l(e, session);
    },
  });
  return { session, store, events, on: (l) => void listeners.push(l) };
}

/** Resolves at the first event of `type` the harness records. */
export function nextEvent<T extends SessionEvent['type']>(
  h: Harness,
  type: T,
): Promise<Extract<SessionEvent, { type: T }>> {
  return new Promise((resolve) => h.on((e) => e.type === type && resolve(e as Extract<SessionEvent, { type: T }>)));
}
