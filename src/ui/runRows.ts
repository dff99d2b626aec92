/**
 * The runs as table rows (the keyboard's way to a run, beside the ribbons): each run in the ribbons' order with
 * the states it passed through in order, when it converged, and how long it is. Words only; the panel renders them.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { ribbonRuns, stretches, type RibbonOrder } from './charts/ribbonChart.ts';

export interface RunRow {
  key: string;
  /** The states in the order the run visits them, repeats of a stretch folded ("0 → 1 → 3"). */
  states: string;
  /** "at checkpoint 41 (step 410)", or "not converged". */
  converged: string;
  checkpoints: number;
}

export function runRows(report: AnalysisReport, order: RibbonOrder): RunRow[] {
  return ribbonRuns(report, order).map((r) => {
    const c = r.convergence;
    return {
      key: r.key,
      states: stretches(r.path!)
        .map((s) => s[2])
        .join(' → '),
      converged: c?.converged
        ? `at checkpoint ${c.checkpoint}${c.step !== null ? ` (step ${c.step})` : ''}`
        : 'not converged',
      checkpoints: r.checkpoints,
    };
  });
}
