/** The map in words, for the panel's accessible text (screen readers and tests read it). */
import type { AnalysisReport } from '../../analysis/index.ts';
import { supportBasis, supportText, verdictSupport } from '../../explain/support.ts';

export function mapSummaryText(report: AnalysisReport): string {
  const visited = report.map.nodes.filter((n) => n.runs > 0);
  const included = report.runs.filter((r) => r.included).length;
  const edges = report.map.edges.map((e) => `${e.from}→${e.to} (${e.runs} run${e.runs === 1 ? '' : 's'})`);
  const basis = supportBasis(report);
  const share = verdictSupport(report);
  const support = basis && share !== null ? `, supported by ${supportText(share, basis)}` : '';
  const shape =
    (report.map.shape === 'linear'
      ? `linear${report.map.order ? ` (${report.map.order.join(' → ')})` : ''}`
      : 'forking') + support;
  const detours = report.detours.length ? `detour states: ${report.detours.join(', ')}` : 'no detour states';
  return [
    `${visited.length} state${visited.length === 1 ? '' : 's'} over ${included} run${included === 1 ? '' : 's'}.`,
    `Edges: ${edges.length ? edges.join(', ') : 'none'}.`,
    `The map is ${shape}; ${detours}.`,
  ].join(' ');
}
