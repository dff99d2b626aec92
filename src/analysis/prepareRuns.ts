/** method.md §4: from a bundle to the normalized sequences the HMM sees, with every run's fate recorded. */
import { column, DEFAULT_FEATURES, hasColumn, type RunBundle } from '../io/runBundle.ts';
import { quoted, quotedList, safeText } from '../io/safeText.ts';
import type { AnalysisReport, AnalysisWarning, AnalyzeOptions, RunSummary } from './analysisReport.ts';
import { AnalysisInputError } from './analysisInputError.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { NormalizationError, NORMALIZATION_WINDOW, zScoreRun } from './normalize.ts';

/** A run key or column name as messages show it: control characters escaped, long values cut. */
const show = (s: string) => safeText(s, 80);

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
  if (requested.length === 0) throw new AnalysisInputError('no features chosen', { kind: 'no-features' });
  const all = bundle.groups.flatMap((g) => g.runs.map((run) => ({ group: g.name, run })));
  if (all.length === 0) throw new AnalysisInputError('the bundle holds no runs', { kind: 'no-runs' });
  const columns = new Set(all.flatMap(({ run }) => Object.keys(run.checkpoints)));
  const unknown = requested.filter((f) => !columns.has(f));
  if (unknown.length > 0) {
    const available = numericColumns(all.map(({ run }) => run));
    const plural = unknown.length > 1 ? 's' : '';
    throw new AnalysisInputError(
      options.features
        ? `unknown feature${plural} ${quotedList(unknown)}; columns in the bundle: ${safeText([...columns].join(', '), 400)}`
        : `the bundle lacks the default feature${plural} ${quotedList(unknown)} (the 14 weight metrics); choose features among its numeric columns: ${available.length ? safeText(available.join(', '), 400) : 'none'}`,
      { kind: 'missing-features', missing: unknown, available },
    );
  }
  const multi = bundle.groups.length > 1;
  const warnings: AnalysisWarning[] = (bundle.notes ?? []).map((n) => ({
    kind: n.kind,
    run: multi ? `${n.group}/${n.run}` : n.run,
    message: n.message,
  }));
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
    warnings.push({ kind: 'run-excluded', run: runs[i].key, message: `run ${show(runs[i].key)} excluded: ${reason}` });
  };
  all.forEach(({ run }, i) => {
    const missing = requested.filter((f) => !hasColumn(run.checkpoints, f));
    if (run.diverged) return exclude(i, `diverged at step ${run.diverged.step} (${run.diverged.reason})`);
    if (missing.length > 0) return exclude(i, `no column ${quotedList(missing)}`);
    if (run.checkpoints.step.length < 2)
      return exclude(i, `only ${run.checkpoints.step.length} checkpoint; a sequence needs at least 2`);
    // Any non-finite metric excludes the run (method.md §4), also one not chosen as a feature.
    for (const f of [
      ...requested,
      ...DEFAULT_FEATURES.filter((m) => hasColumn(run.checkpoints, m) && !requested.includes(m)),
    ]) {
      const t = run.checkpoints[f].findIndex((v) => !Number.isFinite(v));
      if (t >= 0)
        return exclude(
          i,
          `diverged or missing data: ${show(f)} is ${run.checkpoints[f][t]} at step ${run.checkpoints.step[t]}`,
        );
    }
  });
  const included = runs.flatMap((r, i) => (r.included ? [i] : []));
  if (included.length < 2) {
    const why = warnings.slice(0, 5).map((w) => w.message);
    if (warnings.length > 5) why.push(`and ${warnings.length - 5} more`);
    throw new AnalysisInputError(
      `too few runs to analyze: ${included.length} usable of ${runs.length} (the held-out split needs at least 2)${why.length ? '; ' + why.join('; ') : ''}`,
      { kind: 'too-few-runs', usable: included.length, runs: runs.length, needed: 2 },
    );
  }
  const accuracyColumn = options.accuracyColumn ?? ANALYSIS_DEFAULTS.accuracyColumn;
  warnings.push(...accuracyWarnings(all, runs, included, accuracyColumn));
  const normalized = included.map((i) => {
    const cp = all[i].run.checkpoints;
    try {
      return zScoreRun(cp.step.map((_, t) => requested.map((f) => cp[f][t])));
    } catch (e) {
      if (e instanceof NormalizationError)
        throw new Error(
          `run ${show(runs[i].key)}: cannot normalize feature ${quoted(requested[e.feature])}: ${e.detail}`,
          { cause: e },
        );
      throw e;
    }
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
          message: `${show(f)} is constant within ${constantIn} of ${normalized.length} runs; set to 0 there after normalization`,
        });
      }
    }
  });
  if (keep.length === 0)
    throw new AnalysisInputError(
      `every feature is constant within every run (${safeText(requested.join(', '), 300)}); nothing to model`,
      { kind: 'constant-features', features: [...requested] },
    );
  const features = keep.map((j) => requested[j]);
  if (options.previous && !sameFeatures(options.previous.features, features)) {
    warnings.push({
      kind: 'previous-features-differ',
      message: `the previous analysis used other features (${safeText(options.previous.features.join(', '), 200)}); its state numbering cannot be kept`,
    });
  }
  for (const d of droppedFeatures)
    warnings.push({
      kind: 'feature-dropped',
      feature: d.feature,
      message: `feature ${show(d.feature)} dropped: ${d.reason}`,
    });
  return {
    features,
    droppedFeatures,
    runs,
    included,
    z: normalized.map((n) => n.z.map((row) => keep.map((j) => row[j]))),
    normalization: {
      window: NORMALIZATION_WINDOW,
      runs: included.map((i, r) => ({
        key: runs[i].key,
        mean: keep.map((j) => normalized[r].mean[j]),
        std: keep.map((j) => normalized[r].std[j]),
      })),
    },
    accuracy: included.map((i) => accuracyOf(all[i].run, accuracyColumn)),
    steps: included.map((i) => all[i].run.checkpoints.step),
    warnings,
  };
}

/**
 * What the analysis says about the accuracy column that defines convergence: one warning when no run has it
 * (naming columns that look like one), one per run that lacks it, and one per run where it has gaps.
 */
function accuracyWarnings(
  all: { run: RunBundle['groups'][number]['runs'][number] }[],
  runs: RunSummary[],
  included: number[],
  accuracyColumn: string,
): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const lacking = included.filter((i) => accuracyOf(all[i].run, accuracyColumn) === undefined);
  if (lacking.length === included.length) {
    const names = new Set(included.flatMap((i) => Object.keys(all[i].run.checkpoints)));
    const alike = [...names].filter((c) => /acc/i.test(c));
    out.push({
      kind: 'no-accuracy-column',
      feature: accuracyColumn,
      message: `no run has the accuracy column ${quoted(accuracyColumn)}${alike.length ? ` (columns that look like one: ${quotedList(alike, 5)})` : ''}: convergence times, the regression and detours are skipped; name the accuracy column (--accuracy-column)`,
    });
    return out;
  }
  for (const i of lacking) {
    const what = hasColumn(all[i].run.checkpoints, accuracyColumn)
      ? `no values in column ${quoted(accuracyColumn)}`
      : `no column ${quoted(accuracyColumn)}`;
    out.push({
      kind: 'no-accuracy-column',
      run: runs[i].key,
      feature: accuracyColumn,
      message: `run ${show(runs[i].key)} has ${what}: its convergence time is unknown, so the regression and detours are skipped`,
    });
  }
  for (const i of included) {
    const acc = accuracyOf(all[i].run, accuracyColumn);
    const bad = acc ? acc.filter((v) => !Number.isFinite(v)).length : 0;
    if (bad > 0)
      out.push({
        kind: 'accuracy-missing',
        run: runs[i].key,
        feature: accuracyColumn,
        message: `run ${show(runs[i].key)}: ${show(accuracyColumn)} is missing or non-finite at ${bad} checkpoint${bad > 1 ? 's' : ''}; they count as not converged`,
      });
  }
  return out;
}

/** Columns a feature could be chosen from: every column but `step` with a finite value in some run, in first-seen order. */
/** The columns of a bundle that can be features: numeric, with a finite value somewhere, not `step`. */
export function featureColumns(bundle: RunBundle): string[] {
  return numericColumns(bundle.groups.flatMap((g) => g.runs));
}

function numericColumns(runs: readonly RunBundle['groups'][number]['runs'][number][]): string[] {
  const out = new Set<string>();
  for (const run of runs)
    for (const [name, values] of Object.entries(run.checkpoints))
      if (name !== 'step' && !out.has(name) && values.some(Number.isFinite)) out.add(name);
  return [...out];
}

/** The same features in the same order (the previous fit's means line up with this one's). */
export function sameFeatures(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/**
 * A run's accuracy values, or undefined when it has none: no such column, or (as a CSV gives a run that
 * lacks it) a column with no finite value, which says nothing about when the run converged.
 */
function accuracyOf(run: RunBundle['groups'][number]['runs'][number], accuracyColumn: string): number[] | undefined {
  const acc = column(run.checkpoints, accuracyColumn);
  return acc && acc.some(Number.isFinite) ? acc : undefined;
}
