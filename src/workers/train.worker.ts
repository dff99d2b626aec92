/**
 * Web Worker: trains one group. A thin adapter: the page's requests go to the GroupOwner (groupOwner.ts), which
 * reads and writes IndexedDB itself; its reports go to the page and, over a BroadcastChannel, to every tab. The
 * backend is chosen here, in `trainingBackend`, the one place that knows this worker's environment.
 */
import { TRAIN_EVENTS } from '../store/groupLocks.ts';
import { selectBackend, tf } from '../train/backend.ts';
import { prepareBrowserWasm } from '../train/wasmBrowser.ts';
import type { BackendName } from '../train/backendNames.ts';
import { GroupOwner, type TrainingBackend } from './groupOwner.ts';
import type { TrainReply, TrainRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// The tfjs wasm binaries come from this app's own server; threads when the page is cross-origin isolated.
prepareBrowserWasm();

/** The backend this worker trains on: the one asked for, else the best available, with the reasons. */
async function trainingBackend(requested: BackendName | 'auto'): Promise<TrainingBackend> {
  const choice = await selectBackend({ requested: requested === 'auto' ? undefined : requested });
  const backend = {
    name: choice.name,
    reason: choice.reason,
    ...(choice.adapter ? { adapter: choice.adapter } : {}),
    ...(choice.threads ? { threads: choice.threads } : {}),
  };
  const device = choice.name === 'webgpu' ? (tf.backend() as unknown as { device?: GPUDevice }).device : undefined;
  const lost = device?.lost.then(
    (info) =>
      `the GPU device was lost (${info.message || info.reason}); training stopped — resume to continue from the last saved checkpoint`,
  );
  return { backend, skipped: choice.skipped, ...(lost ? { lost } : {}) };
}

/** The next backend that starts here after `failed` did not (it is started by trying it, so it does work). */
async function nextBackend(failed: BackendName | 'auto', why: string): Promise<BackendName | null> {
  if (failed === 'auto') return null;
  return (await selectBackend({ exclude: [{ name: failed, why }] })).name;
}

let events: BroadcastChannel | null = new BroadcastChannel(TRAIN_EVENTS);
const owner = new GroupOwner({
  report(reply: TrainReply) {
    scope.postMessage(reply);
    events?.postMessage(reply);
  },
  backend: trainingBackend,
  nextBackend,
  finished() {
    events?.close();
    events = null;
  },
});

scope.onmessage = (e: MessageEvent<TrainRequest>) => owner.handle(e.data);
// A request that cannot be read, or a promise rejected with nobody to catch it, would otherwise go unheard (neither
// reaches the page's worker.onerror): the group stops or fails with the reason.
scope.onmessageerror = () => owner.crash('a request from the page could not be read by the train worker');
scope.onunhandledrejection = (e: PromiseRejectionEvent) => {
  e.preventDefault();
  const why = e.reason instanceof Error ? e.reason.message : String(e.reason);
  owner.crash(`the train worker failed (an unhandled rejection: ${why})`);
};
