import { describe, expect, it } from 'vitest';
import { analyzeRuns, type AnalysisReport } from '../../src/analysis/index.ts';
import { DEFAULT_FEATURES, type RunBundle } from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';

const quick = { restarts: 2, kMax: 3, seed: 1 };

function clone(b: RunBundle): RunBundle {
  return structuredClone(b);
}

describe('analyzeRuns: the whole pipeline on a run bundle', () => {
  const report: AnalysisReport = analyzeRuns(smallBundle(), quick);

  it('chooses a K by BIC, decodes every run and builds the map', () => {
    expect(report.format).toBe('trainmap.analysis/1');
    expect(report.selection.rows.map((r) => r.k)).toEqual([1, 2, 3]);
    const chosen = report.selection.rows.find((r) => r.k === report.selection.chosenK)!;
    expect(Math.min(...report.selection.rows.map((r) => r.bic))).toBe(chosen.bic);
    expect(report.selection.chosenK).toBe(2);
    expect(report.runs.every((r) => r.included && r.path?.length === 120)).toBe(true);
    expect(report.runs.filter((r) => r.role === 'held-out')).toHaveLength(3);
    // States are numbered by first visit: every run starts in state 0.
    expect(report.runs.every((r) => r.path![0] === 0)).toBe(true);
    expect(report.map.shape).toBe('linear');
    expect(report.map.order).toEqual([0, 1]);
    expect(report.features).toHaveLength(14);
    expect(report.normalization.runs).toHaveLength(15);
    expect(report.warnings.map((w) => w.message)).toContain(
      'only 15 runs (3 held out): model selection is unreliable with so few held-out runs and tends to choose few states; the paper used 40 runs',
    );
  });

  it('relates convergence to occupancy', () => {
    expect('skipped' in report.regression).toBe(false);
    const reg = report.regression as Exclude<AnalysisReport['regression'], { skipped: string }>;
    expect(reg.rSquared).toBeGreaterThan(0.9);
    expect(report.runs.every((r) => r.convergence?.converged)).toBe(true);
    expect(report.detours).toEqual([]);
    expect(report.dissimilarity.stateIndex).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic for a seed', () => {
    expect(analyzeRuns(smallBundle(), quick)).toEqual(report);
  });

  it('excludes runs with NaN/Inf metrics or a diverged mark, reports them and analyzes the rest', () => {
    const b = clone(smallBundle());
    b.groups[0].runs[1].checkpoints.l2[7] = NaN;
    b.groups[0].runs[2].checkpoints.spectral[30] = Infinity;
    b.groups[0].runs[3].diverged = { step: 200, reason: 'loss became NaN' };
    const r = analyzeRuns(b, quick);
    expect(r.runs.filter((x) => !x.included).map((x) => [x.key, x.excludedReason])).toEqual([
      ['seed-1', 'diverged or missing data: l2 is NaN at step 70'],
      ['seed-2', 'diverged or missing data: spectral is Infinity at step 300'],
      ['seed-3', 'diverged at step 200 (loss became NaN)'],
    ]);
    expect(r.runs.filter((x) => x.included)).toHaveLength(12);
    expect(r.warnings.map((w) => w.message)).toContain(
      'run seed-1 excluded: diverged or missing data: l2 is NaN at step 70',
    );
  });

  it('a non-finite metric outside the chosen features still excludes the run; missing accuracy is reported', () => {
    const b = clone(smallBundle());
    b.groups[0].runs[2].checkpoints.sv_var[5] = NaN;
    b.groups[0].runs[4].checkpoints.eval_acc[3] = NaN;
    const r = analyzeRuns(b, { ...quick, features: ['l1', 'l2', 'trace'] });
    expect(r.runs[2].excludedReason).toBe('diverged or missing data: sv_var is NaN at step 50');
    expect(r.warnings.map((w) => w.message)).toContain(
      'run seed-4: eval_acc is missing or non-finite at 1 checkpoint; they count as not converged',
    );
  });

  it('a feature constant within a run becomes 0 there; constant in every run, it is dropped', () => {
    const b = clone(smallBundle());
    b.groups[0].runs[0].checkpoints.trace = new Array(120).fill(3);
    for (const run of b.groups[0].runs) run.checkpoints.bias_var = new Array(120).fill(0);
    const r = analyzeRuns(b, quick);
    expect(r.features).not.toContain('bias_var');
    expect(r.droppedFeatures).toEqual([{ feature: 'bias_var', reason: 'constant within every run' }]);
    expect(r.warnings.map((w) => w.message)).toContain(
      'trace is constant within 1 of 15 runs; set to 0 there after normalization',
    );
    expect(r.model.params.means.flat().every(Number.isFinite)).toBe(true);
  });

  it('too few usable runs', () => {
    const b = clone(smallBundle(2));
    b.groups[0].runs[0].checkpoints.l1[0] = NaN;
    expect(() => analyzeRuns(b, quick)).toThrow(
      /too few runs to analyze: 1 usable of 2 \(the held-out split needs at least 2\); run seed-0 excluded: diverged or missing data: l1 is NaN at step 0/,
    );
  });

  it('a run that never converges gets the longest length and is flagged', () => {
    const b = clone(smallBundle());
    b.groups[0].runs[4].checkpoints.eval_acc = new Array(120).fill(0.2);
    const r = analyzeRuns(b, quick);
    expect(r.runs[4].convergence).toEqual({ checkpoint: 120, step: null, converged: false });
    expect(r.warnings.map((w) => w.message)).toContain(
      "1 run never reached eval_acc > 0.9; counted as converging at the longest run's length",
    );
  });

  it('no accuracy column: the map is still drawn, the regression says why it is skipped', () => {
    const b = clone(smallBundle());
    for (const run of b.groups[0].runs) delete (run.checkpoints as Record<string, number[]>).eval_acc;
    const r = analyzeRuns(b, quick);
    expect(r.regression).toEqual({
      skipped: "no 'eval_acc' column in any run: convergence time and the regression need it",
    });
    expect(r.map.nodes.length).toBeGreaterThan(0);
    const w = r.warnings.filter((x) => x.kind === 'no-accuracy-column');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(
      /^no run has the accuracy column 'eval_acc': convergence times, the regression and detours are skipped/,
    );
  });

  it('the accuracy column can be named (the authors call it eval_accuracy); runs without it are each named', () => {
    const b = clone(smallBundle());
    for (const run of b.groups[0].runs) {
      const cp = run.checkpoints as Record<string, number[]>;
      cp.eval_accuracy = cp.eval_acc;
      delete cp.eval_acc;
    }
    const hint = analyzeRuns(b, quick);
    expect(hint.warnings.find((x) => x.kind === 'no-accuracy-column')?.message).toMatch(
      /columns that look like one: 'eval_accuracy'/,
    );
    const named = analyzeRuns(b, { ...quick, accuracyColumn: 'eval_accuracy' });
    expect(named.settings.accuracyColumn).toBe('eval_accuracy');
    expect('skipped' in named.regression).toBe(false);
    expect(named.runs.filter((x) => x.convergence?.converged)).toHaveLength(15);
    delete (b.groups[0].runs[3].checkpoints as Record<string, number[]>).eval_accuracy;
    const one = analyzeRuns(b, { ...quick, accuracyColumn: 'eval_accuracy' });
    expect(one.warnings.filter((x) => x.kind === 'no-accuracy-column').map((x) => [x.run, x.message])).toEqual([
      [
        'seed-3',
        "run seed-3 has no column 'eval_accuracy': its convergence time is unknown, so the regression and detours are skipped",
      ],
    ]);
    expect(one.regression).toEqual({
      skipped: "no 'eval_accuracy' column in run seed-3: convergence time and the regression need it",
    });
  });

  it('unknown features, K beyond the data, and empty bundles are refused clearly', () => {
    expect(() => analyzeRuns(smallBundle(), { ...quick, features: ['l1', 'nope'] })).toThrow(
      /unknown feature 'nope'; columns in the bundle: step, l1, l2/,
    );
    expect(() => analyzeRuns(smallBundle(3, 10), { ...quick, states: 5 })).toThrow(
      /do not support 5 states: K=5 needs at least 75 training checkpoints/,
    );
    expect(() => analyzeRuns({ format: 'trainmap.runs/1', groups: [{ name: 'g', config: {}, runs: [] }] })).toThrow(
      /holds no runs/,
    );
  });

  it('numbers states by first visit, and carries the identities of a previous fit', () => {
    const prev = report.model.params;
    const swapped = {
      ...prev,
      means: [prev.means[1], prev.means[0]],
      covars: [prev.covars[1], prev.covars[0]],
      startprob: [prev.startprob[1], prev.startprob[0]],
      transmat: [
        [prev.transmat[1][1], prev.transmat[1][0]],
        [prev.transmat[0][1], prev.transmat[0][0]],
      ],
    };
    const r = analyzeRuns(smallBundle(), { ...quick, previous: { params: swapped, features: report.features } });
    // Numbers read in time order whatever came before; the identities (colours) follow the previous states.
    expect(r.runs[0].path).toEqual(report.runs[0].path);
    expect(r.model.params.means).toEqual(report.model.params.means);
    expect(report.map.nodes.map((n) => n.identity)).toEqual([0, 1]);
    expect(r.map.nodes.map((n) => n.identity)).toEqual([1, 0]);
    // Given identities of its own, the previous fit hands those on.
    const named = analyzeRuns(smallBundle(), {
      ...quick,
      previous: { params: swapped, features: report.features, identity: [7, 3] },
    });
    expect(named.map.nodes.map((n) => n.identity)).toEqual([3, 7]);
  });
});

describe('analyzeRuns: values at the ends of the double range', () => {
  it('a run whose metrics sit near 1e300 (or 1e-300) is analyzed like the same run at ordinary scale, not as zeros', () => {
    const plain = smallBundle();
    const huge = clone(plain);
    const tiny = clone(plain);
    for (const [b, factor] of [
      [huge, 1e300],
      [tiny, 1e-300],
    ] as const) {
      const cp = b.groups[0].runs[2].checkpoints as Record<string, number[]>;
      for (const f of DEFAULT_FEATURES) cp[f] = cp[f].map((v) => v * factor);
    }
    const ref = analyzeRuns(plain, quick);
    for (const b of [huge, tiny]) {
      const r = analyzeRuns(b, quick);
      expect(r.runs[2].included).toBe(true);
      expect(r.normalization.runs[2].std.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
      expect(r.warnings.filter((w) => w.kind === 'feature-partly-constant')).toEqual([]);
      expect(r.runs[2].path).toEqual(ref.runs[2].path);
    }
  });
});
