/**
 * Web Worker: trains one group with the TrainingSession (the loop the CLI drives too) on the backend chosen here.
 * A thin adapter: commands in, session events out; each flush goes to IndexedDB in one transaction from here,
 * so the page's thread never clones the training state.
 */
import { openLabDb, writeFlush, type LabDb } from '../store/labStore.ts';
import { selectBackend, tf } from '../train/backend.ts';
import { classifyFailure } from '../train/failures.ts';
import { TrainingSession, type ResumeFrom, type SessionEvent, type SessionFlush } from '../train/session.ts';
import { decodeState } from '../train/stateCodec.ts';
import { prepareBrowserWasm } from '../train/wasmBrowser.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { assertNever } from './fitPool.ts';
import type { TrainReply, TrainRequest, TrainStart } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: TrainReply) => scope.postMessage(m);

// The tfjs wasm binaries come from this app's own server; threads when the page is cross-origin isolated.
prepareBrowserWasm();

/** Checkpoints flush at most this often; rows in between go with the next flush (and a resume recomputes them exactly). */
const MIN_FLUSH_MS = 1000;

let session: TrainingSession | null = null;
let groupId = '';
let lastFlush = 0;
let db: LabDb | null = null;

function fail(e: unknown): void {
  const { kind, message } = classifyFailure(e);
  reply({ type: 'failed', groupId, kind, message });
}

/** Writes a flush (new rows, dropped rows, state, progress) in one IndexedDB transaction, here off the page's thread. */
async function storeFlush(f: SessionFlush): Promise<void> {
  const t0 = performance.now();
  db ??= await openLabDb();
  const checkpoints = Math.max(0, ...f.bundle.groups[0].runs.map((r) => r.checkpoints.step.length));
  await writeFlush(db, {
    groupId,
    truncatedAfter: f.truncatedAfter,
    newCheckpoints: f.newCheckpoints,
    state: { stepsDone: f.stepsDone, bytes: f.state },
    update: {
      stepsDone: f.stepsDone,
      checkpoints,
      stateBytes: f.state.byteLength,
      status: f.reason === 'done' ? 'done' : f.reason === 'stop' ? 'stopped' : 'training',
      head: { name: f.bundle.groups[0].name, config: f.bundle.groups[0].config },
    },
  });
  lastFlush = performance.now();
  reply({ type: 'stored', groupId, reason: f.reason, checkpoints, stateBytes: f.state.byteLength, ms: lastFlush - t0 });
}

async function start(msg: TrainStart): Promise<void> {
  groupId = msg.groupId;
  const backend = await selectBackend({ requested: msg.backend === 'auto' ? undefined : msg.backend });
  const sessionBackend = {
    name: backend.name,
    reason: backend.reason,
    ...(backend.adapter ? { adapter: backend.adapter } : {}),
  };
  reply({
    type: 'backend',
    groupId,
    backend: { ...sessionBackend, ...(backend.threads ? { threads: backend.threads } : {}) },
    skipped: backend.skipped,
  });
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
      if (event.type === 'checkpoint' && performance.now() - lastFlush >= MIN_FLUSH_MS)
        void session?.save().catch(() => undefined);
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
