/**
 * The evidence behind the stability report's choices, on the two real sparse-parity sets and a sampled
 * forking HMM whose states are known:
 * - how far apart restarts are on held-out runs, and the paired standard error of that gap (the tolerance);
 * - how many restarts are linear, forking, degenerate, and the verdict support at several tolerances;
 * - which state matching (means or Viterbi overlap) reproduces the truth, and which is cycle-consistent;
 * - what the stability restarts cost, and a full analysis with stability on 2 worker threads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  analyzeRunsWith,
  assessStability,
  decodeObservations,
  fromFlat,
  matchStates,
  matchStatesByOverlap,
  packSequences,
  pairedZ,
  planSelection,
  prepareRuns,
  runFitJob,
  sampleGaussianHMM,
  subsetObservations,
  type FitJobResult,
  type ObservationSet,
} from '../src/analysis/index.ts';
import { readBundleText } from '../src/io/index.ts';
import { workerFitRunner } from '../src/cli/fitPool.ts';
import { createRng } from '../src/numeric/index.ts';
import { benchHmm } from './data.ts';
import { machine, median, type BenchResult } from './harness.ts';

const SETS = ['static/samples/sparse-parity-paper.csv', 'static/samples/sparse-parity-seeds40-79.csv'];
const RESTARTS = 20;
const TOLERANCES = [0.05, 0.1, 0.15, 0.2, 0.3, 0.5];

interface DataSet {
  name: string;
  obs: ObservationSet;
  k: number;
  /** True state paths, for sampled data. */
  truth?: number[][];
}

interface Fitted {
  r: FitJobResult;
  ms: number;
  paths: Int32Array[];
}

function realSet(file: string, k: number): DataSet {
  const prep = prepareRuns(readBundleText(readFileSync(file, 'utf8'), file), {});
  return { name: `${file.replace(/^.*\//, '')} (real training, K=${k})`, obs: packSequences(prep.z), k };
}

function sampledSet(): DataSet {
  const { sequences, states } = sampleGaussianHMM(
    benchHmm(6, 14, 11),
    new Array(40).fill(300),
    createRng(11, 'bench-stability'),
  );
  return {
    name: 'sampled forking HMM, 40×300×14 (K=6, states known)',
    obs: packSequences(sequences),
    k: 6,
    truth: states,
  };
}

/** Every restart at K, decoded on every run in the order train, held-out (the plan's order). */
function fitAll(set: DataSet): { fits: Fitted[]; all: ObservationSet; order: number[]; nHeld: number } {
  const plan = planSelection(set.obs, { states: set.k, restarts: RESTARTS, seed: 0 });
  const order = [...plan.train, ...plan.heldOut];
  const all = subsetObservations(set.obs, order);
  const fits = plan.jobs.map((job) => {
    const t0 = performance.now();
    const r = runFitJob(plan.trainObs, plan.heldOutObs, job, plan.options);
    const ms = performance.now() - t0;
    return { r, ms, paths: decodeObservations(r.fit!.params, all) };
  });
  return { fits, all, order, nHeld: plan.heldOutObs.nObservations };
}

/** Shared states of two decodings under a matching: agreement of the matched labels. */
function sameOrder(a: readonly number[], b: readonly number[]): number {
  return a.filter((x, i) => x === b[i]).length / a.length;
}

/** The matching the truth implies: fit f's state that plays the best fit's state j, via the true state both carry. */
function truthMatching(truth: number[][], best: Int32Array[], other: Int32Array[], k: number): number[] {
  const tb = matchStatesByOverlap(truth, best, k, k);
  const tf = matchStatesByOverlap(truth, other, k, k);
  const order = new Array<number>(k);
  for (let i = 0; i < k; i++) order[tb[i]] = tf[i];
  return order;
}

function compose(first: readonly number[], second: readonly number[]): number[] {
  // first: b-state j → f-state first[j]; second: f-state i → g-state second[i].
  return first.map((i) => second[i]);
}

export async function stabilityBench(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const sets: DataSet[] = [
    ...SETS.filter((f) => existsSync(f)).map((f, i) => realSet(f, i === 0 ? 6 : 7)),
    sampledSet(),
  ];
  for (const set of sets) {
    const { fits, all, order, nHeld } = fitAll(set);
    const k = set.k;
    const ok = fits
      .filter((f) => Number.isFinite(f.r.heldOutLogLikelihood))
      .sort((a, b) => b.r.heldOutLogLikelihood - a.r.heldOutLogLikelihood);
    const best = ok[0];
    const gaps = ok.map((f) => (best.r.heldOutLogLikelihood - f.r.heldOutLogLikelihood) / nHeld);
    const ses = ok.map((f) => {
      const z = pairedZ(best.r.heldOutPerRun, f.r.heldOutPerRun);
      return f === best ? NaN : (best.r.heldOutLogLikelihood - f.r.heldOutLogLikelihood) / z / nHeld;
    });
    const near = ses.filter((s, i) => i > 0 && gaps[i] <= 0.3 && Number.isFinite(s));
    const allSe = ses.filter(Number.isFinite);
    const shapeOf = (f: Fitted) => f.r.shape;
    const base = {
      data: set.name,
      restarts: ok.length,
      linear: ok.filter((f) => shapeOf(f) === 'linear').length,
      forking: ok.filter((f) => shapeOf(f) === 'forking').length,
      degenerate: ok.filter((f) => f.r.degenerate.length > 0).length,
      alternating: ok.filter((f) => f.r.degenerate.some((d) => d.kind === 'alternation')).length,
      'best map': best.r.shape ?? '',
      'ms per fit (median)': median(fits.map((f) => f.ms)),
      'paired SE/cp, near best (median)': near.length ? median(near) : null,
      'paired SE/cp, near best (range)': near.length
        ? `${Math.min(...near).toFixed(3)}–${Math.max(...near).toFixed(3)} (${near.length} fits within 0.3)`
        : 'none within 0.3',
      'paired SE/cp, all (median)': median(allSe),
    };
    for (const tau of TOLERANCES) {
      const comparable = ok.filter((_, i) => gaps[i] <= tau);
      (base as Record<string, unknown>)[`comparable at ${tau}`] = comparable.length;
      (base as Record<string, unknown>)[`verdict support at ${tau}`] =
        comparable.filter((f) => f.r.shape === best.r.shape).length / comparable.length;
    }
    // Matching: against the truth where it is known; agreement and cycle consistency everywhere.
    const others = ok.slice(1);
    const means = others.map((f) => matchStates(fromFlat(best.r.fit!.params), fromFlat(f.r.fit!.params)));
    const overlap = others.map((f) => matchStatesByOverlap(best.paths, f.paths, k, k));
    const agree = means.filter((m, i) => sameOrder(m, overlap[i]) === 1).length;
    const match: Record<string, number | string | null> = { 'means = overlap (fits)': `${agree}/${others.length}` };
    if (set.truth) {
      const truth = order.map((i) => set.truth![i]);
      const recovered = others.filter((f) => {
        const m = matchStatesByOverlap(truth, f.paths, k, k);
        let same = 0;
        let total = 0;
        f.paths.forEach((p, r) => {
          for (let t = 0; t < p.length; t++) same += p[t] === m[truth[r][t]] ? 1 : 0;
          total += p.length;
        });
        return same / total >= 0.9;
      });
      const ideal = recovered.map((f) => truthMatching(truth, best.paths, f.paths, k));
      const idx = recovered.map((f) => others.indexOf(f));
      match['fits recovering the truth (≥90% of checkpoints)'] = `${recovered.length}/${others.length}`;
      match['means: states matched as the truth says'] = idx.length
        ? idx.reduce((s, i, j) => s + sameOrder(means[i], ideal[j]), 0) / idx.length
        : null;
      match['overlap: states matched as the truth says'] = idx.length
        ? idx.reduce((s, i, j) => s + sameOrder(overlap[i], ideal[j]), 0) / idx.length
        : null;
      match['means: every state right (fits)'] = idx.filter((i, j) => sameOrder(means[i], ideal[j]) === 1).length;
      match['overlap: every state right (fits)'] = idx.filter((i, j) => sameOrder(overlap[i], ideal[j]) === 1).length;
    }
    // Cycle consistency over pairs of other fits: best→f then f→g should equal best→g.
    const cycle = (method: 'means' | 'overlap', within = Infinity) => {
      let consistent = 0;
      let pairs = 0;
      const direct = method === 'means' ? means : overlap;
      const near = (i: number) => gaps[i + 1] <= within;
      for (let a = 0; a < others.length; a++) {
        for (let b = 0; b < others.length; b++) {
          if (a === b || !near(a) || !near(b)) continue;
          const fg =
            method === 'means'
              ? matchStates(fromFlat(others[a].r.fit!.params), fromFlat(others[b].r.fit!.params))
              : matchStatesByOverlap(others[a].paths, others[b].paths, k, k);
          consistent += sameOrder(compose(direct[a], fg), direct[b]);
          pairs++;
        }
      }
      return pairs ? consistent / pairs : null;
    };
    match['means: cycle-consistent states'] = cycle('means');
    match['overlap: cycle-consistent states'] = cycle('overlap');
    match['means: cycle-consistent, fits within 0.3'] = cycle('means', 0.3);
    match['overlap: cycle-consistent, fits within 0.3'] = cycle('overlap', 0.3);
    match['means = overlap, fits within 0.3'] =
      `${means.filter((m, i) => gaps[i + 1] <= 0.3 && sameOrder(m, overlap[i]) === 1).length}/${others.filter((_, i) => gaps[i + 1] <= 0.3).length}`;
    // The supports each matching gives, with the best fit shown at the default tolerance.
    for (const matching of ['overlap', 'means'] as const) {
      const s = assessStability({
        k,
        fits: ok.map((f) => f.r),
        shownRestart: best.r.job.restart,
        shownOrder: Array.from({ length: k }, (_, i) => i),
        shownParams: fromFlat(best.r.fit!.params),
        shownPaths: best.paths.map((p) => Array.from(p)),
        shownDetours: [],
        obs: all,
        nHeldOutObservations: nHeld,
        matching,
      });
      match[`${matching}: shown edges' support (min)`] = Math.min(
        ...s.edges.filter((e) => e.shown).map((e) => e.support),
      );
      match[`${matching}: agreement of comparable fits with the shown (min)`] = Math.min(
        ...s.fits.filter((f) => f.comparable).map((f) => f.agreement),
      );
    }
    rows.push({ ...base, ...match });
  }
  // The whole analysis with stability, as `trainmap analyze` runs it.
  const file = SETS[0];
  const bundle = readBundleText(readFileSync(file, 'utf8'), file);
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const runner = workerFitRunner(2);
  const report = await analyzeRunsWith(runner, bundle, {}).finally(() => runner.close?.());
  const seconds = (performance.now() - t0) / 1000;
  const st = report.stability;
  rows.push({
    data: `${file.replace(/^.*\//, '')}: full analysis with stability (defaults), 2 worker threads`,
    seconds,
    'chosen K': report.selection.chosenK,
    'K by mean BIC': report.selection.chosenKByMean,
    map: report.map.shape,
    'verdict support': 'skipped' in st ? null : st.verdict.support,
    comparable: 'skipped' in st ? null : st.comparable,
    'load average before / after': `${load0.toFixed(2)} / ${loadavg()[0].toFixed(2)}`,
  });
  notes.push(
    `${RESTARTS} seeded restarts at the given K (seed 0, the 80/20 split of the analysis, ≤32 EM iterations); gap and SE in nats per held-out checkpoint; the paired SE of a gap is over the held-out runs (sd of the per-run differences × √n)`,
    'near best: fits within 0.3 nats per held-out checkpoint of the best restart; the default tolerance (ANALYSIS_DEFAULTS.comparableWithin) is about two of these SEs',
    'matching: "as the truth says" counts the states that means-Hungarian or overlap-Hungarian match to the best fit as their common true state does, over fits that recover the truth; cycle-consistent: best→f→g equals best→g',
    'the load average is that of the whole machine (2 cores, shared with other jobs)',
  );
  return { benchmark: 'hmm-stability', date: new Date().toISOString(), machine: machine(), rows, notes };
}
