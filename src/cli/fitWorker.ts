/** Worker thread: fits model-selection restarts for the pool in fitPool.ts. */
import { parentPort } from 'node:worker_threads';
import { runFitJob } from '../analysis/index.ts';
import { fitWorkerHandler } from '../workers/fitPool.ts';

parentPort!.on(
  'message',
  fitWorkerHandler((r) => parentPort!.postMessage(r), runFitJob),
);
