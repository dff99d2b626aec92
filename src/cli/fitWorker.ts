/** Worker thread: fits model-selection restarts for the pool in fitPool.ts. */
import { parentPort } from 'node:worker_threads';
import { runFitJob, type FitJob, type ObservationSet, type SelectionOptions } from '../analysis/index.ts';

export type FitWorkerRequest = { type: 'init'; train: ObservationSet; heldOut: ObservationSet; options: SelectionOptions } | { type: 'job'; job: FitJob };

let context: { train: ObservationSet; heldOut: ObservationSet; options: SelectionOptions } | null = null;

parentPort!.on('message', (msg: FitWorkerRequest) => {
  if (msg.type === 'init') {
    context = msg;
    return;
  }
  if (!context) throw new Error('fit worker got a job before its data');
  parentPort!.postMessage(runFitJob(context.train, context.heldOut, msg.job, context.options));
});
