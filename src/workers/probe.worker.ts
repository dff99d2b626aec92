/**
 * Web Worker: the speed probe before Start (src/train/speedProbe.ts). A thin adapter: it starts the asked backend,
 * builds the task's model and reports the probe's progress and result; it opens no IndexedDB and keeps nothing.
 * The page ends it after its one answer.
 */
import { selectBackend } from '../train/backend.ts';
import { errorText } from '../train/failures.ts';
import { probeSpeed } from '../train/speedProbe.ts';
import { prepareBrowserWasm } from '../train/wasmBrowser.ts';
import { createTaskModel } from '../../tasks/index.ts';
import type { ProbeReply, ProbeRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (r: ProbeReply) => scope.postMessage(r);

prepareBrowserWasm();

async function probe(req: ProbeRequest): Promise<void> {
  let choice;
  try {
    choice = await selectBackend({ requested: req.backend === 'auto' ? undefined : req.backend });
  } catch (e) {
    // selectBackend's reason names the backend and why it did not start.
    return reply({ type: 'failed', message: errorText(e) });
  }
  const backend = choice.name;
  try {
    const result = await probeSpeed({
      model: await createTaskModel(req.config),
      seeds: req.seeds,
      backend: { name: backend, reason: choice.reason },
      maxSteps: req.maxSteps,
      maxMs: req.maxMs,
      onProgress: (p) => reply({ type: 'progress', backend, ...p }),
    });
    reply({ type: 'measured', backend, result });
  } catch (e) {
    reply({ type: 'failed', message: `training on ${backend}: ${errorText(e)}` });
  }
}

scope.onmessage = (e: MessageEvent<ProbeRequest>) => void probe(e.data);
scope.onmessageerror = () => reply({ type: 'failed', message: 'the probe request could not be read by its worker' });
scope.onunhandledrejection = (e: PromiseRejectionEvent) => {
  e.preventDefault();
  reply({ type: 'failed', message: `the probe worker failed (an unhandled rejection: ${errorText(e.reason)})` });
};
