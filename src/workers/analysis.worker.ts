/**
 * Web Worker: analyses for the page. A full analysis spreads model-selection restarts over fit workers (one per
 * core, one fewer while training runs; as the CLI uses threads); a warm refit runs here directly. A thin adapter over src/analysis.
 */
import { analysisInputProblem, analyzeRunsWith, warmRefit, type FitRunner } from '../analysis/index.ts';
import { longestRun } from '../io/runBundle.ts';
import { poolFitRunner } from './fitPool.ts';
import type { AnalysisReply, AnalysisRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: AnalysisReply) => scope.postMessage(m);

function fitRunner(workers: number): FitRunner & { close(): void } {
  return poolFitRunner(Math.max(1, Math.floor(workers)), () => {
    const w = new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module' });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (h) => void w.addEventListener('message', (e) => h(e.data)),
      onError: (h) => void w.addEventListener('error', (e) => h(new Error(e.message || 'a fit worker failed'))),
      terminate: () => w.terminate(),
    };
  });
}

scope.onmessage = async (e: MessageEvent<AnalysisRequest>) => {
  // One kind of request (its mode says full or warm); a second kind would make this a switch with assertNever.
  const req = e.data;
  const started = performance.now();
  try {
    let report;
    if (req.mode === 'warm') report = warmRefit(req.bundle, req.previous, req.options);
    else {
      // Fit workers last one analysis (model selection, then its stability restarts).
      const runner = fitRunner(req.fitWorkers);
      try {
        report = await analyzeRunsWith(runner, req.bundle, {
          ...req.options,
          onProgress: (progress) => reply({ type: 'progress', id: req.id, key: req.key, progress }),
        });
      } finally {
        runner.close();
      }
    }
    reply({
      type: 'report',
      id: req.id,
      key: req.key,
      mode: req.mode,
      report,
      ms: performance.now() - started,
      checkpoints: longestRun(req.bundle),
    });
  } catch (err) {
    const problem = analysisInputProblem(err);
    reply({
      type: 'failed',
      id: req.id,
      key: req.key,
      mode: req.mode,
      message: err instanceof Error ? err.message : String(err),
      ...(problem ? { problem } : {}),
    });
  }
};
