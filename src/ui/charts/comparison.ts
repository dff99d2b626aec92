/** One row per group, as the paper's Table 1: what each configuration's map says, side by side. */
import type { AnalysisReport } from '../../analysis/index.ts';

export interface ComparisonRow {
  group: string;
  runs: number;
  k: number;
  rSquared: number | null;
  pValue: number | null;
  dissimilarity: number;
  labelFree: number;
  shape: 'linear' | 'forking';
  /** Share of comparable restarts with the same shape; null when stability was not measured. */
  shapeSupport: number | null;
  detours: number[];
  converged: number;
  /** Mean and sample standard deviation of convergence (checkpoints) over the runs that converged. */
  convergenceMean: number | null;
  convergenceSd: number | null;
}

export function comparisonRow(group: string, report: AnalysisReport): ComparisonRow {
  const reg = 'skipped' in report.regression ? null : report.regression;
  const st = report.stability && !('skipped' in report.stability) ? report.stability : null;
  const included = report.runs.filter((r) => r.included);
  const times = included.filter((r) => r.convergence?.converged).map((r) => r.convergence!.checkpoint);
  const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
  const sd =
    times.length > 1 && mean !== null
      ? Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / (times.length - 1))
      : null;
  return {
    group,
    runs: included.length,
    k: report.selection.chosenK,
    rSquared: reg ? reg.rSquared : null,
    pValue: reg ? reg.fPValue : null,
    dissimilarity: report.dissimilarity.stateIndex,
    labelFree: report.dissimilarity.labelFree,
    shape: report.map.shape,
    shapeSupport: st ? st.verdict.support : null,
    detours: report.detours,
    converged: times.length,
    convergenceMean: mean,
    convergenceSd: sd,
  };
}

const num = (x: number | null, digits = 3) =>
  x === null || !Number.isFinite(x) ? '—' : Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(1) : x.toFixed(digits);

/** The row as the table's cells, in COMPARISON_COLUMNS order. */
export function comparisonCells(r: ComparisonRow): string[] {
  return [
    r.group,
    String(r.runs),
    String(r.k),
    num(r.rSquared),
    num(r.pValue),
    `${num(r.dissimilarity)} / ${num(r.labelFree)}`,
    `${r.shape}${r.shapeSupport !== null ? ` (${Math.round(100 * r.shapeSupport)}%)` : ''}`,
    r.detours.length ? r.detours.join(', ') : 'none',
    r.convergenceMean === null
      ? `none of ${r.runs}`
      : `${num(r.convergenceMean, 0)} ± ${num(r.convergenceSd, 0)} (${r.converged}/${r.runs})`,
  ];
}

export const COMPARISON_COLUMNS = [
  'group',
  'runs',
  'K',
  'R²',
  'p',
  'dissimilarity (index / label-free)',
  'map (support)',
  'detours',
  'convergence (checkpoints)',
];
