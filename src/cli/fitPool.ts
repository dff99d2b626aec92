import { availableParallelism } from 'node:os';
import type { FitRunner } from '../analysis/index.ts';
import { poolFitRunner } from '../workers/fitPool.ts';
import { spawnModuleWorker } from './spawnWorker.ts';

/** How many restarts to run at once by default: one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Model-selection restarts on worker threads (src/workers/fitPool.ts does the scheduling). */
/** Call close() when done, or the worker threads keep the process alive. */
export function workerFitRunner(
  workers: number,
  workerUrl = new URL('./fitWorker.ts', import.meta.url),
): FitRunner & { close(): void } {
  return poolFitRunner(workers, () => {
    const w = spawnModuleWorker(workerUrl);
    let failed: ((e: Error) => void) | null = null;
    w.on('error', (e) => failed?.(e instanceof Error ? e : new Error(String(e))));
    let closing = false;
    w.on('exit', (code) => {
      if (!closing) failed?.(new Error(`a fit worker exited with code ${code}`));
    });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (h) => void w.on('message', h),
      onError: (h) => void (failed = h),
      terminate: () => {
        closing = true;
        void w.terminate();
      },
    };
  });
}
