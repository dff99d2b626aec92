/**
 * Web Worker: trains one group with the TrainingSession (the loop the CLI drives too) on the backend chosen here.
 * A thin adapter: commands in, session events out; each flush goes to the page, which writes it to IndexedDB in
 * one transaction and answers, so the session learns whether its save held.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, tf } from '../train/backend.ts';
import { classifyFailure } from '../train/failures.ts';
import { TrainingSession, type ResumeFrom, type SessionEvent, type SessionFlush } from '../train/session.ts';
import { decodeState } from '../train/stateCodec.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { assertNever } from './fitPool.ts';
import type { TrainReply, TrainRequest, TrainStart } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: TrainReply, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

// The tfjs wasm binaries come from this app's own server.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

/** Checkpoints flush at most this often; rows in between go with the next flush (and a resume recomputes them exactly). */
const MIN_FLUSH_MS = 1000;

let session: TrainingSession | null = null;
let groupId = '';
let lastFlush = 0;
let nextFlush = 1;
const flushes = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

function fail(e: unknown): void {
  const { kind, message } = classifyFailure(e);
  reply({ type: 'failed', groupId, kind, message });
}

/** Hands a flush to the page and waits for its transaction. */
function storeFlush(f: SessionFlush): Promise<void> {
  const id = nextFlush++;
  // The state's bytes move to the page rather than being copied.
  const state = f.state.slice();
  const done = new Promise<void>((resolve, reject) => flushes.set(id, { resolve, reject }));
  const checkpoints = Math.max(0, ...f.bundle.groups[0].runs.map((r) => r.checkpoints.step.length));
  reply(
    {
      type: 'flush',
      groupId,
      id,
      reason: f.reason,
      flush: {
        groupId,
        truncatedAfter: f.truncatedAfter,
        newCheckpoints: f.newCheckpoints,
        state: { stepsDone: f.stepsDone, bytes: state },
        update: {
          stepsDone: f.stepsDone,
          checkpoints,
          stateBytes: state.byteLength,
          status: f.reason === 'done' ? 'done' : f.reason === 'stop' ? 'stopped' : 'training',
          head: { name: f.bundle.groups[0].name, config: f.bundle.groups[0].config },
        },
      },
    },
    [state.buffer],
  );
  return done.then(() => void (lastFlush = performance.now()));
}

async function start(msg: TrainStart): Promise<void> {
  groupId = msg.groupId;
  const backend = await selectBackend({ requested: msg.backend === 'auto' ? undefined : msg.backend });
  const sessionBackend = { name: backend.name, reason: backend.reason, ...(backend.adapter ? { adapter: backend.adapter } : {}) };
  reply({ type: 'backend', groupId, backend: sessionBackend, skipped: backend.skipped });
  if (backend.name === 'webgpu') watchDevice();
  const model = await createTaskModel(msg.config);
  let resume: ResumeFrom | undefined;
  if (msg.resume) {
    resume = {
      bundle: msg.resume.bundle,
      saved: decodeState(msg.resume.state, 'the saved training state'),
      bundleName: 'the stored session',
      stateName: 'its saved state',
    };
  }
  session = new TrainingSession({
    model,
    seeds: msg.seeds,
    backend: sessionBackend,
    trainingId: msg.trainingId,
    resume,
    saveEveryMs: 10_000,
    progressEveryMs: 250,
    sink: (event: SessionEvent) => {
      reply({ type: 'session', groupId, event });
      if (event.type === 'checkpoint' && performance.now() - lastFlush >= MIN_FLUSH_MS) void session?.save().catch(() => undefined);
      // A pause is where a user may close the tab: everything so far goes to storage.
      if (event.type === 'status' && event.status === 'paused') void session?.save().catch(() => undefined);
    },
    store: { flush: storeFlush },
  });
  const r = session.info.resumed;
  reply({ type: 'ready', groupId, resumed: r ? { stepsDone: r.stepsDone, droppedRows: r.droppedRows } : null });
  if (msg.then === 'step') await session.step();
  else await session.start();
}

/** A lost GPU device pauses the session with a message; what was saved stays saved. */
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then((info) => {
    reply({
      type: 'failed',
      groupId,
      kind: 'device-lost',
      message: `the GPU device was lost (${info.message || info.reason}); training paused — resume to continue from the last saved checkpoint`,
    });
    session?.pause();
  });
}

scope.onmessage = (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'start':
      start(msg).catch(fail);
      return;
    case 'flushed': {
      const waiting = flushes.get(msg.id);
      flushes.delete(msg.id);
      if (msg.error) waiting?.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else waiting?.resolve();
      return;
    }
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
