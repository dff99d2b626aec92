/** SPEC §4: from a bundle to the normalized sequences the HMM sees, with every run's fate recorded. */
import { DEFAULT_FEATURES, type RunBundle } from '../io/runBundle.ts';
import type { AnalysisReport, AnalysisWarning, AnalyzeOptions, RunSummary } from './analysisReport.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { NORMALIZATION_WINDOW, zScoreRun } from './normalize.ts';

export interface PreparedRuns {
  features: string[];
  droppedFeatures: { feature: string; reason: string }[];
  runs: RunSummary[];
  included: number[];
  z: number[][][];
  normalization: AnalysisReport['normalization'];
  accuracy: (number[] | undefined)[];
  steps: number[][];
  warnings: AnalysisWarning[];
}

export function prepareRuns(bundle: RunBundle, options: AnalyzeOptions): PreparedRuns {
  const requested = options.features ?? [...DEFAULT_FEATURES];
  if (requested.length === 0) throw new Error('no features chosen');
  const all = bundle.groups.flatMap((g) => g.runs.map((run) => ({ group: g.name, run })));
  if (all.length === 0) throw new Error('the bundle holds no runs');
  const columns = new Set(all.flatMap(({ run }) => Object.keys(run.checkpoints)));
  const unknown = requested.filter((f) => !columns.has(f));
  if (unknown.length > 0) {
    throw new Error(
      `unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `'${f}'`).join(', ')}; columns in the bundle: ${[...columns].join(', ')}`,
    );
  }
  const multi = bundle.groups.length > 1;
  const warnings: AnalysisWarning[] = [];
  const runs: RunSummary[] = all.map(({ group, run }) => ({
    key: multi ? `${group}/${run.id}` : run.id,
    group,
    id: run.id,
    seed: run.seed ?? null,
    checkpoints: run.checkpoints.step.length,
    included: true,
  }));
  const exclude = (i: number, reason: string) => {
    runs[i].included = false;
    runs[i].excludedReason = reason;
    warnings.push({ kind: 'run-excluded', run: runs[i].key, message: `run ${runs[i].key} excluded: ${reason}` });
  };
  all.forEach(({ run }, i) => {
    const missing = requested.filter((f) => !(f in run.checkpoints));
    if (run.diverged) return exclude(i, `diverged at step ${run.diverged.step} (${run.diverged.reason})`);
    if (missing.length > 0) return exclude(i, `no column ${missing.join(', ')}`);
    if (run.checkpoints.step.length < 2) return exclude(i, `only ${run.checkpoints.step.length} checkpoint; a sequence needs at least 2`);
    // Any non-finite metric excludes the run (SPEC §4), also one not chosen as a feature.
    for (const f of [...requested, ...DEFAULT_FEATURES.filter((m) => m in run.checkpoints && !requested.includes(m))]) {
      const t = run.checkpoints[f].findIndex((v) => !Number.isFinite(v));
      if (t >= 0) return exclude(i, `diverged or missing data: ${f} is ${run.checkpoints[f][t]} at step ${run.checkpoints.step[t]}`);
    }
  });
  const included = runs.flatMap((r, i) => (r.included ? [i] : []));
  if (included.length < 2) {
    throw new Error(
      `too few runs to analyze: ${included.length} usable of ${runs.length} (the held-out split needs at least 2)${warnings.length ? '; ' + warnings.map((w) => w.message).join('; ') : ''}`,
    );
  }
  if (options.previous && options.previous.features.join() !== requested.join()) {
    warnings.push({
      kind: 'previous-features-differ',
      message: `the previous analysis used other features (${options.previous.features.join(', ')}); its state numbering cannot be kept`,
    });
  }
  const accuracyColumn = options.accuracyColumn ?? ANALYSIS_DEFAULTS.accuracyColumn;
  for (const i of included) {
    const acc = all[i].run.checkpoints[accuracyColumn];
    const bad = acc ? acc.filter((v) => !Number.isFinite(v)).length : 0;
    if (bad > 0)
      warnings.push({
        kind: 'accuracy-missing',
        run: runs[i].key,
        feature: accuracyColumn,
        message: `run ${runs[i].key}: ${accuracyColumn} is missing or non-finite at ${bad} checkpoint${bad > 1 ? 's' : ''}; they count as not converged`,
      });
  }
  const normalized = included.map((i) => {
    const cp = all[i].run.checkpoints;
    return zScoreRun(cp.step.map((_, t) => requested.map((f) => cp[f][t])));
  });
  // A feature constant within every run carries nothing: drop it rather than feed the HMM a zero column.
  const droppedFeatures: PreparedRuns['droppedFeatures'] = [];
  const keep: number[] = [];
  requested.forEach((f, j) => {
    const constantIn = normalized.filter((n) => n.constant[j]).length;
    if (constantIn === normalized.length) droppedFeatures.push({ feature: f, reason: 'constant within every run' });
    else {
      keep.push(j);
      if (constantIn > 0) {
        warnings.push({
          kind: 'feature-partly-constant',
          feature: f,
          message: `${f} is constant within ${constantIn} of ${normalized.length} runs; set to 0 there after normalization`,
        });
      }
    }
  });
  if (keep.length === 0) throw new Error(`every feature is constant within every run (${requested.join(', ')}); nothing to model`);
  for (const d of droppedFeatures) warnings.push({ kind: 'feature-dropped', feature: d.feature, message: `feature ${d.feature} dropped: ${d.reason}` });
  return {
    features: keep.map((j) => requested[j]),
    droppedFeatures,
    runs,
    included,
    z: normalized.map((n) => n.z.map((row) => keep.map((j) => row[j]))),
    normalization: {
      window: NORMALIZATION_WINDOW,
      runs: included.map((i, r) => ({ key: runs[i].key, mean: keep.map((j) => normalized[r].mean[j]), std: keep.map((j) => normalized[r].std[j]) })),
    },
    accuracy: included.map((i) => all[i].run.checkpoints[accuracyColumn]),
    steps: included.map((i) => all[i].run.checkpoints.step),
    warnings,
  };
}
