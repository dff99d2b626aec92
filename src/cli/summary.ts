import type { AnalysisReport } from '../analysis/index.ts';

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
  out.push(`Trainmap analysis of ${source}`);
  out.push(`  ${report.runs.length} runs, ${included.length} analyzed (${lengthText}), ${report.features.length} features`);
  if (report.droppedFeatures.length) out.push(`  dropped features: ${report.droppedFeatures.map((d) => `${d.feature} (${d.reason})`).join(', ')}`);

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
      map.nodes.map((n) => [String(n.state), pct(n.occupancy), String(n.runs), fmt(n.meanFirstVisit), n.runs > 0 ? n.label : '(never visited)']),
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
          e.label,
        ]),
        [false, true, true, true, false],
      ),
    );
  }

  out.push('');
  if ('skipped' in report.regression) {
    out.push(`Regression of convergence time: skipped (${report.regression.skipped})`);
  } else {
    const r = report.regression;
    const conv = included.filter((x) => x.convergence?.converged).length;
    out.push(
      `Regression of convergence time (checkpoint where ${report.settings.accuracyColumn} > ${report.settings.threshold}; ${conv}/${included.length} runs converged) on state occupancy`,
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
    for (const r of excluded) out.push(`  ${r.key}: ${r.excludedReason}`);
  }
  const other = report.warnings.filter((w) => w.kind !== 'run-excluded');
  if (other.length) {
    out.push('', 'Notes:');
    for (const w of other) out.push(`  ${w.message}`);
  }
  return out.join('\n');
}
