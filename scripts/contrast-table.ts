/**
 * The paper's contrast at teaching scale (issue #16 §7): analyzes each bundle with the default analysis (K by model
 * selection, 20 stability restarts) and prints one markdown table row per bundle: the convergence distribution
 * (epochs at which eval accuracy first passed the threshold: quartiles, and how many never did), the memorize-first
 * count, K, the map's shape with its support over comparable restarts, the detours with theirs, and R² with its
 * spread. Writes <bundle>.analysis.json beside each bundle (reused when newer than the bundle) and all rows as JSON.
 * Usage: npx tsx scripts/contrast-table.ts out/contrast/a.json out/contrast/b.json … [--json out/contrast/table.json]
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { analyzeRunsWith, type AnalysisReport } from '../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { reviveNonFinite, stringifyNonFinite } from '../src/io/analysisJson.ts';
import { readBundleText } from '../src/io/index.ts';
import { bundleMilestones } from '../src/classroom/milestones.ts';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const runner = workerFitRunner(defaultWorkerCount());
const rows: Record<string, unknown>[] = [];
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
console.log(
  '| bundle | runs | converged | convergence epoch (min / q1 / median / q3 / max) | memorized first | K | map (support) | detours (support) | R² (spread) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const file of args) {
  const bundle = readBundleText(readFileSync(file, 'utf8'), file);
  const config = bundle.groups[0].config as { convergenceThreshold?: number };
  const threshold = Number(config.convergenceThreshold ?? 0.9);
  const cached = file.replace(/\.json$/, '') + '.analysis.json';
  let report: AnalysisReport;
  if (existsSync(cached) && statSync(cached).mtimeMs > statSync(file).mtimeMs) {
    const parsed = reviveNonFinite(JSON.parse(readFileSync(cached, 'utf8'))) as { analysis?: AnalysisReport };
    report = parsed.analysis ?? (parsed as unknown as AnalysisReport);
  } else {
    report = await analyzeRunsWith(runner, bundle, { threshold });
    writeFileSync(cached, stringifyNonFinite(report));
  }
  const milestones = bundleMilestones(bundle, threshold);
  const epochs = milestones.flatMap((m) => (m.generalizedEpoch === null ? [] : [m.generalizedEpoch]));
  const memorizedFirst = milestones.filter((m) => m.evalAtMemorized !== null && m.evalAtMemorized < 0.5).length;
  const st = 'skipped' in report.stability ? null : report.stability;
  const support = st ? ` (${Math.round(100 * st.verdict.support)}% of ${st.comparable})` : '';
  const detours = report.detours.length
    ? report.detours
        .map((d) => {
          const s = st?.detours.find((x) => x.state === d)?.support;
          return s === undefined ? `${d}` : `${d} (${Math.round(100 * s)}%)`;
        })
        .join(', ')
    : 'none';
  const r2 = 'rSquared' in report.regression ? report.regression.rSquared : NaN;
  const r2Spread = st?.rSquared ? ` (${st.rSquared.min.toFixed(2)}–${st.rSquared.max.toFixed(2)})` : '';
  const edges = report.map.edges.map((e) => `${e.from}→${e.to}:${e.runs}`).join(' ');
  const row = {
    bundle: file,
    runs: milestones.length,
    converged: epochs.length,
    convergenceEpochs: [0, 0.25, 0.5, 0.75, 1].map((q) => quantile(epochs, q)),
    memorizedFirst,
    k: report.selection.chosenK,
    kByMean: report.selection.chosenKByMean,
    shape: report.map.shape,
    shapeSupport: st?.verdict.support ?? null,
    edges,
    detours: report.detours,
    rSquared: r2,
    rSquaredSpread: st?.rSquared ?? null,
  };
  rows.push(row);
  console.log(
    `| ${file.replace(/^.*\//, '')} | ${row.runs} | ${row.converged} | ${epochs.length ? row.convergenceEpochs.join(' / ') : '–'} | ${memorizedFirst} | ${row.k} | ${row.shape}${support} | ${detours} | ${Number.isFinite(r2) ? r2.toFixed(3) : '–'}${r2Spread} |`,
  );
  console.log(`<!-- ${file}: edges ${edges} -->`);
}
runner.close();
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 1));
