/**
 * One colour per state, following the state's identity rather than its number: the analysis numbers states by first
 * visit at every refit (docs/method.md §7), so a number can move to another state while its identity stays.
 */
import type { AnalysisReport } from '../analysis/index.ts';

/** A categorical palette with enough contrast for up to 12 states. */
export const STATE_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#17becf',
];

export const stateColor = (k: number): string =>
  STATE_COLORS[((k % STATE_COLORS.length) + STATE_COLORS.length) % STATE_COLORS.length];

/**
 * The stable identity of a shown state: the report's own when it carries one (a non-negative integer on the map
 * node), else the state's number. Every colour of a state goes through here, so where the report keeps identities is
 * read in this one place.
 */
export function stateIdentity(report: Pick<AnalysisReport, 'map'>, state: number): number {
  const identity = (report.map.nodes[state] as { identity?: unknown } | undefined)?.identity;
  return typeof identity === 'number' && Number.isInteger(identity) && identity >= 0 ? identity : state;
}

/** The colour of a shown state, by its identity. */
export const colorOfState = (report: Pick<AnalysisReport, 'map'>, state: number): string =>
  stateColor(stateIdentity(report, state));

/** The marks drawn over the states: detours, text, and what stays in the background. */
export const DETOUR_COLOR = '#c0392b';
export const MUTED = '#9aa0a6';
export const INK = '#1f2933';
