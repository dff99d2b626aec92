/** The page's side of the analysis worker: numbered requests, replies routed back by id. */
import type { AnalysisReport } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import type { AnalysisReply, AnalysisRequestOptions } from '../workers/protocol.ts';

export interface AnalysisCallbacks {
  onReply(reply: AnalysisReply): void;
  onCrash(message: string): void;
  /** Whether training is running: a full analysis then leaves a core to it (otherwise it takes every core). */
  training?(): boolean;
}

export class AnalysisClient {
  private worker: Worker;
  private nextId = 1;

  constructor(private readonly callbacks: AnalysisCallbacks) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = new Worker(new URL('../workers/analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'analysis',
    });
    w.onmessage = (e: MessageEvent<AnalysisReply>) => this.callbacks.onReply(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.callbacks.onCrash(e.message || 'the analysis worker stopped');
      // A crashed worker is replaced; the page asks again when data next arrive.
      this.worker.terminate();
      this.worker = this.spawn();
    };
    return w;
  }

  full(key: string, bundle: RunBundle, options: AnalysisRequestOptions): number {
    const id = this.nextId++;
    const cores = navigator.hardwareConcurrency || 2;
    const fitWorkers = Math.max(1, cores - (this.callbacks.training?.() ? 1 : 0));
    this.worker.postMessage({ type: 'analyze', id, key, mode: 'full', bundle, options, fitWorkers });
    return id;
  }

  warm(key: string, bundle: RunBundle, previous: AnalysisReport, options: AnalysisRequestOptions): number {
    const id = this.nextId++;
    this.worker.postMessage({ type: 'analyze', id, key, mode: 'warm', bundle, previous, options });
    return id;
  }

  dispose(): void {
    this.worker.terminate();
  }
}
