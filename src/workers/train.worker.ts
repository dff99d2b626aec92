/**
 * Web Worker: trains one group with the TrainingSession (the loop the CLI drives too) on the backend chosen here,
 * and persists every flush to IndexedDB in one transaction. A thin adapter: commands in, session events out.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { getGroup, loadGroup, openLabDb, updateGroup, writeFlush, type LabDb } from '../store/labStore.ts';
import { selectBackend, tf } from '../train/backend.ts';
import { classifyFailure } from '../train/failures.ts';
import { TrainingSession, type SessionEvent, type SessionFlush } from '../train/session.ts';
import { decodeState } from '../train/stateCodec.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { assertNever } from './fitPool.ts';
import type { TrainReply, TrainRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: TrainReply) => scope.postMessage(m);

// The tfjs wasm binaries come from this app's own server.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

/** Checkpoints flush at most this often; rows in between go with the next flush (and a resume recomputes them exactly). */
const MIN_FLUSH_MS = 1000;

let session: TrainingSession | null = null;
let groupId = '';
let db: LabDb | null = null;
let lastFlush = 0;

function fail(e: unknown): void {
  const { kind, message } = classifyFailure(e);
  reply({ type: 'failed', groupId, kind, message });
  if (db) void updateGroup(db, groupId, { status: 'paused', message }).catch(() => undefined);
}

async function start(id: string, resume: boolean, then: 'run' | 'step'): Promise<void> {
  groupId = id;
  db = await openLabDb();
  const record = await getGroup(db, id);
  if (!record) throw new Error(`the group ${id} is not in this browser's storage`);
  const backend = await selectBackend({ requested: record.backendRequested === 'auto' ? undefined : (record.backendRequested as never) });
  reply({
    type: 'backend',
    groupId,
    backend: { name: backend.name, reason: backend.reason, ...(backend.adapter ? { adapter: backend.adapter } : {}) },
    skipped: backend.skipped,
  });
  if (backend.name === 'webgpu') watchDevice();
  const model = await createTaskModel(record.config);
  let resumeFrom;
  if (resume) {
    const stored = await loadGroup(db, id);
    if (!stored.state) throw new Error('this session has no saved training state to continue from');
    resumeFrom = {
      bundle: stored.bundle,
      saved: decodeState(stored.state.bytes, 'the saved training state'),
      bundleName: 'the stored session',
      stateName: 'its saved state',
    };
  }
  const store = db;
  session = new TrainingSession({
    model,
    seeds: record.seeds,
    backend: { name: backend.name, reason: backend.reason, ...(backend.adapter ? { adapter: backend.adapter } : {}) },
    trainingId: record.trainingId,
    resume: resumeFrom,
    saveEveryMs: 10_000,
    progressEveryMs: 250,
    sink: (event: SessionEvent) => {
      reply({ type: 'session', groupId, event });
      if (event.type === 'done') void updateGroup(store, id, { status: event.reason === 'stopped' ? 'stopped' : 'done' }).catch(() => undefined);
      if (event.type === 'checkpoint' && performance.now() - lastFlush >= MIN_FLUSH_MS) void session?.save().catch(() => undefined);
      // A pause is where a user may close the tab: everything so far goes to storage.
      if (event.type === 'status' && event.status === 'paused') void session?.save().catch(() => undefined);
    },
    store: {
      async flush(f: SessionFlush) {
        const t0 = performance.now();
        await writeFlush(store, {
          groupId,
          truncatedAfter: f.truncatedAfter,
          newCheckpoints: f.newCheckpoints,
          state: { stepsDone: f.stepsDone, bytes: f.state },
          update: {
            stepsDone: f.stepsDone,
            checkpoints: Math.max(0, ...f.bundle.groups[0].runs.map((r) => r.checkpoints.step.length)),
            stateBytes: f.state.byteLength,
            status: f.reason === 'done' ? 'done' : f.reason === 'stop' ? 'stopped' : 'training',
            head: { name: f.bundle.groups[0].name, config: f.bundle.groups[0].config },
            backend: { name: backend.name, reason: backend.reason },
          },
        });
        lastFlush = performance.now();
        reply({ type: 'stored', groupId, reason: f.reason, rows: f.newCheckpoints.length, stateBytes: f.state.byteLength, ms: lastFlush - t0 });
      },
    },
  });
  await updateGroup(db, id, { head: { name: session.bundle.groups[0].name, config: session.bundle.groups[0].config }, status: 'training', message: undefined });
  if (then === 'step') await session.step();
  else await session.start();
}

/** A lost GPU device pauses the session with a message; what was saved stays saved. */
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then((info) => {
    if (info.reason === 'destroyed' && !session) return;
    reply({
      type: 'failed',
      groupId,
      kind: 'device-lost',
      message: `the GPU device was lost (${info.message || info.reason}); training paused — everything up to the last saved checkpoint is kept`,
    });
    session?.pause();
  });
}

scope.onmessage = (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'start':
      start(msg.groupId, msg.resume, msg.then).catch(fail);
      return;
    case 'pause':
      session?.pause();
      return;
    case 'resume':
      session?.resume();
      return;
    case 'step':
      session?.step().catch(fail);
      return;
    case 'stop':
      session?.stop().catch(fail);
      return;
    default:
      assertNever(msg);
  }
};
