import type { AnalysisReport, AnalysisWarning } from '../analysis/index.ts';
import { safeText } from '../io/index.ts';

/** Names from the bundle (run ids, features) and sentences about them, escaped and cut for the terminal. */
const name = (x: string) => safeText(x, 60);
const sentence = (x: string) => safeText(x, 400);

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const sci = (x: number) => (Number.isFinite(x) ? (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toFixed(4)) : '—');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (right[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => '  ' + l).join('\n');
}

/** The readable summary the CLI prints after an analysis. */
export function formatSummary(report: AnalysisReport, source: string): string {
  const out: string[] = [];
  const included = report.runs.filter((r) => r.included);
  const lengths = included.map((r) => r.checkpoints);
  const lengthText =
    Math.min(...lengths) === Math.max(...lengths) ? `${lengths[0]} checkpoints each` : `${Math.min(...lengths)}–${Math.max(...lengths)} checkpoints`;
  out.push(`Trainmap analysis of ${safeText(source, 200)}`);
  out.push(`  ${report.runs.length} runs, ${included.length} analyzed (${lengthText}), ${report.features.length} features`);
  if (report.droppedFeatures.length)
    out.push(sentence(`  dropped features: ${report.droppedFeatures.map((d) => `${name(d.feature)} (${d.reason})`).join(', ')}`));

  const sel = report.selection;
  const heldOut = report.runs.filter((r) => r.role === 'held-out').length;
  out.push(
    '',
    `Model selection: fit on ${included.length - heldOut} runs, scored on ${heldOut} held-out runs (${sel.nHeldOutObservations} checkpoints); lowest BIC wins`,
  );
  out.push(
    table(
      ['', 'K', 'params', 'held-out LL', 'BIC', 'AIC', 'note'],
      sel.rows.map((r) => [
        r.k === sel.chosenK ? '*' : '',
        String(r.k),
        String(r.nParameters),
        fmt(r.heldOutLogLikelihood),
        fmt(r.bic),
        fmt(r.aic),
        r.skipped ?? '',
      ]),
      [false, true, true, true, true, true, false],
    ),
  );
  const m = report.model;
  out.push(
    `  chosen K=${sel.chosenK}: best of ${sel.rows.find((r) => r.k === sel.chosenK)?.restarts.length} restarts, ${m.iterations} EM iterations${m.converged ? '' : ' (stopped at the iteration limit)'}`,
  );

  const map = report.map;
  out.push('', `Training map: ${map.shape}${map.order ? ` (${map.order.join(' → ')})` : ''}, ${map.nodes.filter((n) => n.runs > 0).length} visited states`);
  out.push(
    table(
      ['state', 'occupancy', 'runs', 'first visit', 'most important features'],
      map.nodes.map((n) => [String(n.state), pct(n.occupancy), String(n.runs), fmt(n.meanFirstVisit), n.runs > 0 ? sentence(n.label) : '(never visited)']),
      [true, true, true, true, false],
    ),
  );
  if (map.edges.length) {
    out.push('  transitions taken:');
    out.push(
      table(
        ['edge', 'p', 'runs', 'mean conv.', 'change (destination’s top features, in SDs)'],
        map.edges.map((e) => [
          `${e.from} → ${e.to}`,
          e.probability.toFixed(3),
          String(e.runs),
          e.meanConvergence !== undefined ? fmt(e.meanConvergence) : '—',
          sentence(e.label),
        ]),
        [false, true, true, true, false],
      ),
    );
  }

  out.push('');
  if ('skipped' in report.regression) {
    out.push(`Regression of convergence time: skipped (${sentence(report.regression.skipped)})`);
  } else {
    const r = report.regression;
    const conv = included.filter((x) => x.convergence?.converged).length;
    out.push(
      `Regression of convergence time (checkpoint where ${name(report.settings.accuracyColumn)} > ${report.settings.threshold}; ${conv}/${included.length} runs converged) on state occupancy`,
    );
    out.push(
      `  R² ${sci(r.rSquared)}, F-test p-value ${sci(r.fPValue)} (df ${r.dfModel}, ${r.dfResid}) — ${r.significant ? 'significant at 0.05: coefficients can be read' : 'NOT significant at 0.05: do not read the coefficients'}`,
    );
    out.push(
      `  coefficients (checkpoints of convergence per unit of occupancy): ${r.coefficients.map((c, k) => `${k}: ${Number.isFinite(c) ? (c >= 0 ? '+' : '') + c.toFixed(1) : '—'}`).join(', ')}`,
    );
    out.push(
      report.detours.length
        ? `Detour states: ${report.detours.join(', ')} (positive coefficient, skipped by at least one converged run)${r.significant ? '' : ' — but the regression is not significant'}`
        : 'Detour states: none',
    );
  }
  out.push(
    `Trajectory dissimilarity: ${fmt(report.dissimilarity.stateIndex, 3)} (Wasserstein on state indices, paper eq. 3); ${fmt(report.dissimilarity.labelFree, 3)} (label-free, ground distance between state means)`,
  );

  const excluded = report.runs.filter((r) => !r.included);
  if (excluded.length) {
    out.push('', `Excluded runs (${excluded.length}):`);
    for (const r of excluded.slice(0, MAX_LINES_PER_KIND)) out.push(`  ${name(r.key)}: ${sentence(r.excludedReason ?? '')}`);
    if (excluded.length > MAX_LINES_PER_KIND) out.push(`  … and ${excluded.length - MAX_LINES_PER_KIND} more (every one is in the analysis file)`);
  }
  const other = report.warnings.filter((w) => w.kind !== 'run-excluded');
  if (other.length) {
    out.push('', 'Notes:');
    out.push(...noteLines(other));
  }
  // The last line of defence: whatever a line holds, nothing in it can drive the terminal.
  return out.map((l) => safeText(l, 4000)).join('\n');
}

/** Lines of one kind of note shown before the rest are summarized (a bundle can have hundreds of runs). */
const MAX_LINES_PER_KIND = 8;

/** One line per note, in order; a kind with many notes (every run lacking a column, say) shows its first few and a count. */
function noteLines(warnings: readonly AnalysisWarning[]): string[] {
  const seen = new Map<string, number>();
  const lines: string[] = [];
  for (const w of warnings) {
    const n = (seen.get(w.kind) ?? 0) + 1;
    seen.set(w.kind, n);
    if (n <= MAX_LINES_PER_KIND) lines.push(`  ${sentence(w.message)}`);
  }
  for (const [kind, n] of seen) {
    if (n > MAX_LINES_PER_KIND) lines.push(`  … and ${n - MAX_LINES_PER_KIND} more notes like the ${kind} ones above (every one is in the analysis file)`);
  }
  return lines;
}
