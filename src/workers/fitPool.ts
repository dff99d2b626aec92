/**
 * Model-selection restarts spread over a pool of workers, whatever a worker is (a Node worker thread for the CLI,
 * a Web Worker in the lab): each gets the data once, jobs go out largest K first so the slowest fits do not start
 * last, and results are the same whichever worker runs a job.
 */
import type { FitJob, FitJobResult, FitRunner, SelectionPlan } from '../analysis/index.ts';
import type { FitWorkerRequest } from './protocol.ts';

export type { FitWorkerRequest };

/** The little a pool needs of a worker. */
export interface FitEndpoint {
  post(message: FitWorkerRequest): void;
  onMessage(handler: (result: FitJobResult) => void): void;
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}

export function poolFitRunner(workers: number, spawn: () => FitEndpoint): FitRunner {
  return {
    run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]> {
      const queue: FitJob[] = [...plan.jobs].sort((a, b) => b.k - a.k || a.restart - b.restart);
      const results: FitJobResult[] = [];
      const n = Math.min(workers, queue.length);
      const pool: FitEndpoint[] = [];
      return new Promise<FitJobResult[]>((resolve, reject) => {
        let finished = false;
        const stop = (err?: Error) => {
          if (finished) return;
          finished = true;
          for (const w of pool) w.terminate();
          if (err) reject(err);
          else resolve(results);
        };
        const feed = (w: FitEndpoint) => {
          const job = queue.shift();
          if (job) w.post({ type: 'job', job });
        };
        for (let i = 0; i < n; i++) {
          const w = spawn();
          pool.push(w);
          w.onMessage((r) => {
            if (finished) return;
            results.push(r);
            onResult(r);
            if (results.length === plan.jobs.length) stop();
            else feed(w);
          });
          w.onError(stop);
          w.post({ type: 'init', train: plan.trainObs, heldOut: plan.heldOutObs, options: plan.options });
          feed(w);
        }
        if (n === 0) stop();
      });
    },
  };
}

/** The worker side: answers jobs once it has the data. */
export function fitWorkerHandler(post: (r: FitJobResult) => void, run: typeof import('../analysis/index.ts').runFitJob): (msg: FitWorkerRequest) => void {
  let context: Extract<FitWorkerRequest, { type: 'init' }> | null = null;
  return (msg) => {
    switch (msg.type) {
      case 'init':
        context = msg;
        return;
      case 'job':
        if (!context) throw new Error('fit worker got a job before its data');
        post(run(context.train, context.heldOut, msg.job, context.options));
        return;
      default:
        return assertNever(msg);
    }
  };
}

export function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
