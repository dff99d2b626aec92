/** Runs the speed probe (src/train/speedProbe.ts) in its own worker, which keeps nothing, and ends it after its answer. */
import type { ProbeResult } from '../train/speedProbe.ts';
import type { ProbeReply, ProbeRequest } from '../workers/protocol.ts';
import { workerAnswer } from './workerAnswer.ts';

export function probeInWorker(
  request: Omit<ProbeRequest, 'type'>,
  onProgress: (p: Extract<ProbeReply, { type: 'progress' }>) => void,
): Promise<{ backend: string; result: ProbeResult }> {
  const worker = new Worker(new URL('../workers/probe.worker.ts', import.meta.url), { type: 'module', name: 'probe' });
  const answer = workerAnswer<ProbeReply, 'measured'>(
    worker,
    'measured',
    onProgress,
    'the probe worker stopped (its script could not be loaded or run)',
  );
  worker.postMessage({ type: 'probe', ...request } satisfies ProbeRequest);
  return answer;
}
