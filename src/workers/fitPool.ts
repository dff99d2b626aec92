/**
 * Model-selection restarts spread over a pool of workers, whatever a worker is (a Node worker thread for the CLI,
 * a Web Worker in the lab): each gets the data once, jobs go out largest K first so the slowest fits do not start
 * last, and results are the same whichever worker runs a job.
 */
import type { FitJob, FitJobResult, FitRunner, SelectionPlan } from '../analysis/index.ts';
import { assertNever, type FitWorkerRequest } from './protocol.ts';

export type { FitWorkerRequest };

/** The little a pool needs of a worker. */
export interface FitEndpoint {
  post(message: FitWorkerRequest): void;
  onMessage(handler: (result: FitJobResult) => void): void;
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}

export function poolFitRunner(workers: number, spawn: () => FitEndpoint): FitRunner & { close(): void } {
  // Workers start with the first batch and stay for the next ones (model selection, then the stability
  // restarts) until close(); each batch sends its data again, so a batch may come from another plan.
  const pool: FitEndpoint[] = [];
  let batch: { message(w: FitEndpoint, r: FitJobResult): void; failed(e: Error): void } | null = null;
  const close = () => {
    for (const w of pool.splice(0)) w.terminate();
  };
  const add = () => {
    const w = spawn();
    w.onMessage((r) => batch?.message(w, r));
    w.onError((e) => {
      // A worker that dies leaves the pool; the batch it was in fails.
      if (pool.includes(w)) pool.splice(pool.indexOf(w), 1);
      batch?.failed(e);
    });
    pool.push(w);
  };
  return {
    close,
    run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]> {
      if (batch) return Promise.reject(new Error('poolFitRunner: a batch is already running'));
      const queue: FitJob[] = [...plan.jobs].sort((a, b) => b.k - a.k || a.restart - b.restart);
      const results: FitJobResult[] = [];
      if (queue.length === 0) return Promise.resolve(results);
      while (pool.length < Math.min(workers, queue.length)) add();
      return new Promise<FitJobResult[]>((resolve, reject) => {
        const feed = (w: FitEndpoint) => {
          const job = queue.shift();
          if (job) w.post({ type: 'job', job });
        };
        const finish = (err?: Error) => {
          batch = null;
          if (err) {
            close();
            reject(err);
          } else resolve(results);
        };
        batch = {
          message(w, r) {
            results.push(r);
            onResult(r);
            if (results.length === plan.jobs.length) finish();
            else feed(w);
          },
          failed: finish,
        };
        for (const w of pool) {
          w.post({ type: 'init', train: plan.trainObs, heldOut: plan.heldOutObs, options: plan.options });
          feed(w);
        }
      });
    },
  };
}

/** The worker side: answers jobs once it has the data. */
export function fitWorkerHandler(
  post: (r: FitJobResult) => void,
  run: typeof import('../analysis/index.ts').runFitJob,
): (msg: FitWorkerRequest) => void {
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
