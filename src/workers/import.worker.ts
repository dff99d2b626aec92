/**
 * Web Worker: reads imported files into a bundle off the page's thread (a 40-run × 1000-checkpoint CSV is tens of
 * megabytes, a TensorBoard logdir hundreds), and takes the analysis out of an exported one. A thin adapter over src/io.
 */
import { exportedAnalysisOf } from '../analysis/index.ts';
import { importBytes, safeMessage } from '../io/index.ts';
import { assertNever, type ImportReply, type ImportRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (m: ImportReply) => scope.postMessage(m);

scope.onmessage = async (e: MessageEvent<ImportRequest>) => {
  const req = e.data;
  switch (req.type) {
    case 'import': {
      try {
        const bytes = req.files.reduce((n, f) => n + f.bytes.byteLength, 0);
        reply({
          type: 'progress',
          id: req.id,
          message: `parsing ${req.files.length} file${req.files.length > 1 ? 's' : ''} (${(bytes / 2 ** 20).toFixed(1)} MiB)…`,
        });
        const group = req.files.length > 1 ? 'imported runs' : undefined;
        // Read whatever can be read; the page lists what could not and lets the user decide (importClient.ts).
        const { bundle, notes, skipped } = await importBytes(req.files, group, { skipBad: true });
        let analysis = null;
        let analysisProblem = null;
        if (bundle.analysis !== undefined) {
          reply({ type: 'progress', id: req.id, message: 'reading the exported analysis…' });
          try {
            analysis = exportedAnalysisOf(bundle, req.files[0].name);
          } catch (err) {
            analysisProblem = `${(err as Error).message}; the runs are analyzed afresh instead`;
          }
          delete bundle.analysis;
        }
        reply({ type: 'imported', id: req.id, bundle, notes, skipped, analysis, analysisProblem });
      } catch (err) {
        reply({ type: 'failed', id: req.id, message: safeMessage(err instanceof Error ? err.message : String(err)) });
      }
      return;
    }
    default:
      assertNever(req.type);
  }
};
