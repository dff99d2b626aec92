import {
  CAVEAT_KINDS,
  describeFinding,
  describeSupport,
  describeVerdict,
  type AnalysisReport,
  type AnalysisWarning,
  type StabilityReport,
  type SupportAcrossK,
} from '../analysis/index.ts';
import { caveatList } from '../explain/caveats.ts';
import { safeText } from '../io/index.ts';

/** Names from the bundle (run ids, features) and sentences about them, escaped and cut for the terminal. */
const name = (x: string) => safeText(x, 60);
const sentence = (x: string) => safeText(x, 400);

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const sci = (x: number) =>
  Number.isFinite(x) ? (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toFixed(4)) : '—';
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

const pct0 = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}%` : '—');
const range = (s: { min: number; median: number; max: number }, digits = 3) =>
  s.min === s.max
    ? fmt(s.min, digits)
    : `${fmt(s.min, digits)}–${fmt(s.max, digits)} (median ${fmt(s.median, digits)})`;

/** The note column of the selection table: what the degeneracy guard did, and how the restarts' maps looked. */
function selectionNote(r: AnalysisReport['selection']['rows'][number]): string {
  const parts: string[] = [];
  const shapes = r.restarts.filter((x) => x.shape);
  if (shapes.length) {
    const linear = shapes.filter((x) => x.shape === 'linear').length;
    const degenerate = r.restarts.filter((x) => x.degenerate?.length).length;
    parts.push(`${linear}/${shapes.length} linear${degenerate ? `, ${degenerate} degenerate` : ''}`);
  }
  if (r.guard?.action === 'avoided')
    parts.push(`restart ${r.guard.degenerateRestart} degenerate → ${r.guard.usedRestart}`);
  if (r.guard?.action === 'kept') parts.push(`restart ${r.guard.degenerateRestart} degenerate, kept`);
  return parts.join('; ');
}

/** How sure the map is: verdict, spreads, edges outside the shown map. */
export function stabilitySection(report: AnalysisReport): string[] {
  const st = report.stability;
  if ('skipped' in st) return [`Stability: skipped (${st.skipped})`];
  const s: StabilityReport = st;
  const v = s.verdict;
  const out = [
    `Stability over ${s.fits.length} restarts at K=${s.k}: ${s.comparable} within ${s.comparableWithin} nats per held-out checkpoint of the best (states matched ${s.matching === 'overlap' ? 'by Viterbi overlap' : 'by means'})`,
    `  verdict ${v.shape}: support ${pct0(v.support)} (${v.comparable[v.shape]} of ${v.comparable.fits} comparable fit${v.comparable.fits > 1 ? 's' : ': no other restart comes close, so the supports rest on the shown fit alone'}); all ${v.all.fits} restarts: ${v.all.linear} linear, ${v.all.forking} forking, ${v.all.alternating} with alternating states${v.all.degenerate > v.all.alternating ? `, ${v.all.degenerate - v.all.alternating} with flickering ones` : ''}`,
  ];
  const top = s.fits.slice(0, Math.max(5, s.comparable));
  out.push(
    table(
      ['restart', 'below best', 'z', 'map', 'agrees', 'R²', 'note'],
      top.map((f) => [
        `${f.restart}${f.shown ? ' (shown)' : ''}`,
        f.gapPerCheckpoint.toFixed(3),
        fmt(f.z, 2),
        f.shape,
        pct0(f.agreement),
        fmt(f.rSquared, 3),
        [
          f.comparable || f.shown ? 'comparable' : '',
          f.degenerate
            .map((d) => (d.kind === 'alternation' ? `${d.states.join('⇄')} alternate` : `${d.states[0]} flickers`))
            .join(', '),
        ]
          .filter(Boolean)
          .join('; '),
      ]),
      [false, true, true, false, true, true, false],
    ),
  );
  out.push(
    `  (below best: nats per held-out checkpoint; z: that gap over its standard error, paired over the held-out runs; agrees: checkpoints in matched states)`,
  );
  if (s.rSquared) out.push(`  R² over comparable fits: ${range(s.rSquared)}`);
  out.push(
    `  dissimilarity over comparable fits: ${range(s.dissimilarity.stateIndex)} (state index), ${range(s.dissimilarity.labelFree)} (label-free)`,
  );
  const others = s.edges.filter((e) => !e.shown);
  if (others.length)
    out.push(
      `  edges of comparable fits not in the shown map: ${others.map((e) => `${e.from} → ${e.to} (${pct0(e.support)})`).join(', ')}`,
    );
  const otherDetours = s.states.filter((x) => x.detour > 0 && !report.detours.includes(x.state));
  if (otherDetours.length)
    out.push(
      `  detours in comparable fits but not in the shown map: ${otherDetours.map((x) => `${x.state} (${pct0(x.detour)})`).join(', ')}`,
    );
  const degenerate = s.fits.filter((f) => f.comparable && f.degenerate.length);
  for (const f of degenerate)
    out.push(`  comparable restart ${f.restart} is degenerate: ${f.degenerate.map(describeFinding).join('; ')}`);
  if (st.acrossK) out.push(...acrossKLines(st.acrossK));
  return out;
}

/** The supports over every plausible K: what each K contributes and why it counts. */
function acrossKLines(a: SupportAcrossK): string[] {
  const out = [
    `Support across the plausible K (${a.ks.length > 1 ? 'each weighted by its chance of being chosen' : 'only the chosen K is plausible'}): verdict ${describeVerdict(a)}`,
  ];
  for (const k of a.perK)
    out.push(
      `  K=${k.k}, weight ${pct0(k.weight)} (${k.reasons.join('; ')}): ${k.comparable} of ${k.restarts} restarts comparable, ${k.linear} linear, ${k.forking} forking${Number.isFinite(k.verdictShare) ? ` (${pct0(k.verdictShare)} ${a.verdict.shape})` : ''}`,
    );
  const others = a.edges.filter((e) => !e.shown && e.support > 0);
  if (others.length)
    out.push(
      `  edges of comparable fits not in the shown map: ${others.map((e) => `${e.from} → ${e.to} (${pct0(e.support)})`).join(', ')}`,
    );
  return out;
}

/** An edge's or detour's support as printed: across K where the analysis has it, else at the chosen K. */
function supportOf(report: AnalysisReport, pick: (s: StabilityReport | SupportAcrossK) => number | undefined): string {
  const st = report.stability;
  if ('skipped' in st) return '—';
  return pct0((st.acrossK ? pick(st.acrossK) : pick(st)) ?? NaN);
}

/** The readable summary the CLI prints after an analysis. */
/** When the runs that have not converged should, and how well that worked on the runs that did; `table` lists every run. */
export function forecastSection(report: AnalysisReport, table_ = false): string[] {
  const f = report.forecast;
  if (!f) return [];
  if ('skipped' in f) return [`Convergence forecast: none (${sentence(f.skipped)})`];
  const bt = f.backtest;
  const trust =
    bt.mae === null
      ? 'no converged run to measure it on'
      : `on converged runs cut at ${bt.cuts.map((c) => pct0(c.fraction)).join(', ')} of their convergence time it was off by ${fmt(bt.mae)} checkpoints on average (a naive forecast, the other runs' median, by ${bt.naiveMae === null ? '—' : fmt(bt.naiveMae)}; ${bt.forecasts} forecasts; the fit saw these runs whole)`;
  const out = [
    `Convergence forecast: ${f.runs.length} run${f.runs.length === 1 ? '' : 's'} not converged yet; converged states ${f.convergedStates.join(', ')}; ${trust}`,
  ];
  if (!table_) {
    if (f.runs.length) out.push('  (--forecast lists each run)');
    return out;
  }
  if (f.runs.length === 0) return out;
  out.push(
    table(
      ['run', 'checkpoints', 'P(converged now)', 'P(ever)', 'expected at checkpoint', '± sd', 'step'],
      f.runs.map((r) => [
        name(r.key),
        String(r.checkpoints),
        pct0(r.now),
        pct0(r.reach),
        r.checkpoint === null ? 'never, likely' : fmt(r.checkpoint),
        r.sd === null ? '—' : fmt(r.sd),
        r.step === null ? '—' : String(r.step),
      ]),
      [false, true, true, true, true, true, true],
    ),
  );
  return out;
}

export function formatSummary(report: AnalysisReport, source: string, options: { forecast?: boolean } = {}): string {
  const out: string[] = [];
  const included = report.runs.filter((r) => r.included);
  const lengths = included.map((r) => r.checkpoints);
  const lengthText =
    Math.min(...lengths) === Math.max(...lengths)
      ? `${lengths[0]} checkpoints each`
      : `${Math.min(...lengths)}–${Math.max(...lengths)} checkpoints`;
  out.push(`Trainmap analysis of ${safeText(source, 200)}`);
  out.push(
    `  ${report.runs.length} runs, ${included.length} analyzed (${lengthText}), ${report.features.length} features`,
  );
  if (report.droppedFeatures.length)
    out.push(
      sentence(
        `  dropped features: ${report.droppedFeatures.map((d) => `${name(d.feature)} (${d.reason})`).join(', ')}`,
      ),
    );

  const sel = report.selection;
  const heldOut = report.runs.filter((r) => r.role === 'held-out').length;
  out.push(
    '',
    `Model selection: fit on ${included.length - heldOut} runs, scored on ${heldOut} held-out runs (${sel.nHeldOutObservations} checkpoints); lowest ${sel.kCriterion === 'mean' ? 'mean BIC over restarts' : "best restart's BIC"} wins`,
  );
  out.push(
    table(
      ['', 'K', 'params', 'held-out LL', 'BIC', 'mean BIC', 'AIC', 'note'],
      sel.rows.map((r) => [
        r.k === sel.chosenK ? '*' : '',
        String(r.k),
        String(r.nParameters),
        fmt(r.heldOutLogLikelihood),
        fmt(r.bic),
        fmt(r.meanBic),
        fmt(r.aic),
        r.skipped ?? selectionNote(r),
      ]),
      [false, true, true, true, true, true, true, false],
    ),
  );
  const m = report.model;
  const st = report.stability;
  const shownText =
    'skipped' in st || st.shownRestart === st.selectionRestart
      ? `best of ${sel.rows.find((r) => r.k === sel.chosenK)?.restarts.length} restarts`
      : `restart ${st.shownRestart}, the best of all ${st.fits.length} restarts at K=${sel.chosenK} (model selection's best was restart ${st.selectionRestart})`;
  out.push(
    `  chosen K=${sel.chosenK}: ${shownText}, ${m.iterations} EM iterations${m.converged ? '' : ' (stopped at the iteration limit)'}`,
  );
  out.push(`  ${st.kChoice.note}`);

  const map = report.map;
  const verdictSupport =
    'skipped' in st
      ? ''
      : st.acrossK
        ? `; verdict support ${describeSupport(st.acrossK.verdict.support, st.acrossK)} (at K=${st.k} alone: ${pct0(st.verdict.support)} of ${st.comparable} comparable fits)`
        : `; verdict support ${pct0(st.verdict.support)} of ${st.comparable} comparable fits`;
  out.push(
    '',
    `Training map: ${map.shape}${map.order ? ` (${map.order.join(' → ')})` : ''}, ${map.nodes.filter((n) => n.runs > 0).length} visited states${verdictSupport}`,
  );
  out.push(
    table(
      ['state', 'occupancy', 'runs', 'first visit', 'most important features'],
      map.nodes.map((n) => [
        n.identity === undefined || n.identity === n.state ? String(n.state) : `${n.state} (identity ${n.identity})`,
        pct(n.occupancy),
        String(n.runs),
        fmt(n.meanFirstVisit),
        n.runs > 0 ? sentence(n.label) : '(never visited)',
      ]),
      [true, true, true, true, false],
    ),
  );
  if (map.edges.length) {
    out.push('  transitions taken:');
    out.push(
      table(
        ['edge', 'p', 'runs', 'support', 'mean conv.', 'change (destination’s top features, in SDs)'],
        map.edges.map((e) => [
          `${e.from} → ${e.to}`,
          e.probability.toFixed(3),
          String(e.runs),
          supportOf(report, (x) => x.edges.find((y) => y.from === e.from && y.to === e.to)?.support),
          e.meanConvergence !== undefined ? fmt(e.meanConvergence) : '—',
          sentence(e.label),
        ]),
        [false, true, true, true, true, false],
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
        ? `Detour states: ${report.detours.map((d) => ('skipped' in st ? String(d) : `${d} (support ${supportOf(report, (x) => x.detours.find((y) => y.state === d)?.support)})`)).join(', ')} (positive coefficient, skipped by at least one converged run)${r.significant ? '' : ' — but the regression is not significant'}`
        : 'Detour states: none',
    );
  }
  out.push(
    `Trajectory dissimilarity: ${fmt(report.dissimilarity.stateIndex, 3)} (Wasserstein on state indices, paper eq. 3); ${fmt(report.dissimilarity.labelFree, 3)} (label-free, ground distance between state means)`,
  );

  out.push('', ...stabilitySection(report));
  const forecast = forecastSection(report, options.forecast);
  if (forecast.length) out.push('', ...forecast);

  const excluded = report.runs.filter((r) => !r.included);
  if (excluded.length) {
    out.push('', `Excluded runs (${excluded.length}):`);
    for (const r of excluded.slice(0, MAX_LINES_PER_KIND))
      out.push(`  ${name(r.key)}: ${sentence(r.excludedReason ?? '')}`);
    if (excluded.length > MAX_LINES_PER_KIND)
      out.push(`  … and ${excluded.length - MAX_LINES_PER_KIND} more (every one is in the analysis file)`);
  }
  // The page lists the same caveats in the same words (src/explain/caveats.ts).
  const caveats = caveatList(report);
  if (caveats.length) {
    out.push('', 'Caveats (how far to trust this map):');
    out.push(...caveats.map((c) => `  ${c.text}`));
  }
  const other = report.warnings.filter(
    (w) => w.kind !== 'run-excluded' && !(CAVEAT_KINDS as readonly string[]).includes(w.kind),
  );
  if (other.length) {
    out.push('', 'Notes:');
    out.push(...noteLines(other));
  }
  // The last line of defence: whatever a line holds, nothing in it can drive the terminal. Tables are one
  // entry of several lines: split first, so their own line breaks are not escaped with the rest.
  return out
    .flatMap((l) => l.split('\n'))
    .map((l) => safeText(l, 4000))
    .join('\n');
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
    if (n > MAX_LINES_PER_KIND)
      lines.push(
        `  … and ${n - MAX_LINES_PER_KIND} more notes like the ${kind} ones above (every one is in the analysis file)`,
      );
  }
  return lines;
}
