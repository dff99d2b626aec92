/**
 * How sure the map is, as the page, the figure and the legend write it: the share of fits that agree and what it
 * rests on ("62% of 31 fits, K = 7–8"). docs/method.md §13: the comparable fits at every plausible K.
 */
import type { AnalysisReport } from '../analysis/index.ts';

export interface SupportBasis {
  /** Fits the supports are counted over. */
  fits: number;
  /** The K those fits were made at, ascending. */
  ks: number[];
}

/** The measured stability of a report, or null when it was skipped. */
export function measuredStability(report: AnalysisReport) {
  const st = report.stability;
  return st && !('skipped' in st) ? st : null;
}

/**
 * The supports the page shows: across the plausible Ks where the analysis measured them (docs/method.md §13.7, as
 * the CLI summary prints them), else at the chosen K alone (an analysis made before supports across K existed).
 */
function supports(report: AnalysisReport) {
  const st = measuredStability(report);
  return st ? (st.acrossK ?? st) : null;
}

/** What every support of this report is counted over, or null when stability was not measured. */
export function supportBasis(report: AnalysisReport): SupportBasis | null {
  const st = measuredStability(report);
  if (!st) return null;
  return st.acrossK ? { fits: st.acrossK.fits, ks: [...st.acrossK.ks] } : { fits: st.comparable, ks: [st.k] };
}

/** "K = 6" or "K = 7–8" (a range when the Ks are consecutive, else a list). */
export function kRange(ks: readonly number[]): string {
  if (ks.length === 0) return 'K = ?';
  const sorted = [...ks].sort((a, b) => a - b);
  const consecutive = sorted.every((k, i) => i === 0 || k === sorted[i - 1] + 1);
  if (sorted.length === 1) return `K = ${sorted[0]}`;
  return consecutive ? `K = ${sorted[0]}–${sorted.at(-1)}` : `K = ${sorted.join(', ')}`;
}

export const percent = (share: number): string => `${Math.round(100 * share)}%`;

/** "62% of 31 fits, K = 7–8". */
export function supportText(share: number, basis: SupportBasis): string {
  return `${percent(share)} of ${basis.fits} fit${basis.fits === 1 ? '' : 's'}, ${kRange(basis.ks)}`;
}

/** The linear/forking verdict's support, or null when it was not measured. */
export function verdictSupport(report: AnalysisReport): number | null {
  return supports(report)?.verdict.support ?? null;
}

/** An edge's support (share of the fits whose map has it), or undefined when stability was not measured. */
export function edgeSupport(report: AnalysisReport, from: number, to: number): number | undefined {
  return supports(report)?.edges.find((e) => e.from === from && e.to === to)?.support;
}

/** Edges of comparable fits that the shown map lacks, with their support (none when stability was not measured). */
export function otherEdges(report: AnalysisReport): { from: number; to: number; support: number }[] {
  return (supports(report)?.edges ?? []).filter((e) => !e.shown);
}

/** A state's detour support, or undefined when stability was not measured. */
export function detourSupport(report: AnalysisReport, state: number): number | undefined {
  return supports(report)?.detours.find((d) => d.state === state)?.support;
}
