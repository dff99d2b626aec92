/** Web Worker: one model-selection restart at a time for the analysis worker's pool. */
import { runFitJob } from '../analysis/index.ts';
import { fitWorkerHandler } from './fitPool.ts';
import type { FitWorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = fitWorkerHandler((r) => scope.postMessage(r), runFitJob);
scope.onmessage = (e: MessageEvent<FitWorkerRequest>) => handle(e.data);
