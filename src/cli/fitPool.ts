import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FitJob, FitJobResult, FitRunner, SelectionPlan } from '../analysis/index.ts';
import { spawnModuleWorker } from './spawnWorker.ts';

/** How many restarts to run at once by default: one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs model-selection restarts on worker threads. Each worker gets the data once; jobs go out largest K
 * first so the slowest fits do not start last. Results are the same whichever worker runs a job.
 */
export function workerFitRunner(workers: number, workerUrl = new URL('./fitWorker.ts', import.meta.url)): FitRunner {
  return {
    run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]> {
      const queue: FitJob[] = [...plan.jobs].sort((a, b) => b.k - a.k || a.restart - b.restart);
      const results: FitJobResult[] = [];
      const n = Math.min(workers, queue.length);
      const pool: Worker[] = [];
      return new Promise<FitJobResult[]>((resolve, reject) => {
        let finished = false;
        const stop = (err?: Error) => {
          if (finished) return;
          finished = true;
          for (const w of pool) void w.terminate();
          if (err) reject(err);
          else resolve(results);
        };
        const feed = (w: Worker) => {
          const job = queue.shift();
          if (job) w.postMessage({ type: 'job', job });
        };
        for (let i = 0; i < n; i++) {
          const w = spawnModuleWorker(workerUrl);
          pool.push(w);
          w.on('message', (r: FitJobResult) => {
            results.push(r);
            onResult(r);
            if (results.length === plan.jobs.length) stop();
            else feed(w);
          });
          w.on('error', (e) => stop(e instanceof Error ? e : new Error(String(e))));
          w.on('exit', (code) => {
            if (!finished && code !== 0) stop(new Error(`a fit worker exited with code ${code}`));
          });
          w.postMessage({ type: 'init', train: plan.trainObs, heldOut: plan.heldOutObs, options: plan.options });
          feed(w);
        }
        if (n === 0) stop();
      });
    },
  };
}
