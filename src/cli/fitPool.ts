import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FitJob, FitJobResult, FitRunner, SelectionPlan } from '../analysis/index.ts';
import { spawnModuleWorker } from './spawnWorker.ts';

/** How many restarts to run at once by default: one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs fit jobs on worker threads. The workers start with the first batch and stay for the next ones
 * (model selection, then the stability restarts) until `close`; each batch sends the data again, so a
 * batch may come from another plan. Jobs go out largest K first so the slowest fits do not start last.
 * Results are the same whichever worker runs a job.
 */
export function workerFitRunner(workers: number, workerUrl = new URL('./fitWorker.ts', import.meta.url)): FitRunner {
  const pool: Worker[] = [];
  let busy = false;
  const close = () => {
    for (const w of pool.splice(0)) void w.terminate();
  };
  return {
    close,
    run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]> {
      if (busy) return Promise.reject(new Error('workerFitRunner: a batch is already running'));
      const queue: FitJob[] = [...plan.jobs].sort((a, b) => b.k - a.k || a.restart - b.restart);
      const results: FitJobResult[] = [];
      if (queue.length === 0) return Promise.resolve(results);
      while (pool.length < Math.min(workers, queue.length)) {
        const w = spawnModuleWorker(workerUrl);
        // A worker that dies between batches leaves the pool, so the next batch starts a fresh one.
        w.once('exit', () => pool.includes(w) && pool.splice(pool.indexOf(w), 1));
        pool.push(w);
      }
      busy = true;
      return new Promise<FitJobResult[]>((resolve, reject) => {
        let finished = false;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Worker's listener types differ per event
        type Listener = (...args: any[]) => void;
        const listeners: [Worker, string, Listener][] = [];
        const on = (w: Worker, event: string, fn: Listener) => {
          w.on(event, fn);
          listeners.push([w, event, fn]);
        };
        const detach = () => {
          for (const [w, event, fn] of listeners) w.off(event, fn);
        };
        const stop = (err?: Error) => {
          if (finished) return;
          finished = true;
          busy = false;
          detach();
          if (err) {
            close();
            reject(err);
          } else resolve(results);
        };
        const feed = (w: Worker) => {
          const job = queue.shift();
          if (job) w.postMessage({ type: 'job', job });
        };
        for (const w of pool) {
          on(w, 'message', (r: FitJobResult) => {
            results.push(r);
            onResult(r);
            if (results.length === plan.jobs.length) stop();
            else feed(w);
          });
          on(w, 'error', (e: unknown) => stop(e instanceof Error ? e : new Error(String(e))));
          on(w, 'exit', (code: number) => {
            if (!finished) stop(new Error(`a fit worker exited with code ${code}`));
          });
          w.postMessage({ type: 'init', train: plan.trainObs, heldOut: plan.heldOutObs, options: plan.options });
          feed(w);
        }
      });
    },
  };
}
