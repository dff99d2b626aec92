/**
 * Degenerate fits: EM sometimes explains stretches of training by two states that swap at every
 * checkpoint (i→j and j→i both near 1), or by a state entered and left at once by most runs. Such a
 * state is no phase of training, and it puts spurious forks and edges on the map, so fits are checked
 * for it and the check is reported.
 */
import { HMM_DEFAULTS } from './defaults.ts';

export interface DegenerateFinding {
  /** 'alternation': two states swapping with each other; 'flicker': one state visited only briefly by most runs. */
  kind: 'alternation' | 'flicker';
  states: number[];
  /** Mean checkpoints per visit of each state in the Viterbi paths. */
  meanDwell: number[];
  /** Runs whose path visits any of the states, of nRuns. */
  runs: number;
  nRuns: number;
  /** For an alternation, the transition probabilities i→j and j→i. */
  probabilities?: number[];
}

export interface DegeneracyThresholds {
  dwell: number;
  runShare: number;
  alternationProbability: number;
}

export const DEFAULT_DEGENERACY: DegeneracyThresholds = {
  dwell: HMM_DEFAULTS.degenerateDwell,
  runShare: HMM_DEFAULTS.degenerateRunShare,
  alternationProbability: HMM_DEFAULTS.alternationProbability,
};

interface Visits {
  checkpoints: number;
  segments: number;
  runs: number;
}

function visitsOf(paths: readonly ArrayLike<number>[], k: number): Visits[] {
  const v = Array.from({ length: k }, () => ({ checkpoints: 0, segments: 0, runs: 0 }));
  const seen = new Uint8Array(k);
  for (const p of paths) {
    seen.fill(0);
    for (let t = 0; t < p.length; t++) {
      const s = p[t];
      v[s].checkpoints++;
      if (t === 0 || p[t - 1] !== s) v[s].segments++;
      if (!seen[s]) {
        seen[s] = 1;
        v[s].runs++;
      }
    }
  }
  return v;
}

function runsVisitingAny(paths: readonly ArrayLike<number>[], states: readonly number[]): number {
  return paths.filter((p) => {
    for (let t = 0; t < p.length; t++) if (states.includes(p[t])) return true;
    return false;
  }).length;
}

/**
 * Degenerate states of a fit, from its transition matrix (flat K×K, row-major, or nested rows) and the
 * Viterbi paths of every run. An alternating pair is reported once, not also as two flickering states.
 */
export function findDegenerateStates(
  transmat: ArrayLike<number> | readonly (readonly number[])[],
  paths: readonly ArrayLike<number>[],
  thresholds: DegeneracyThresholds = DEFAULT_DEGENERACY,
): DegenerateFinding[] {
  const nested = typeof (transmat as ArrayLike<unknown>)[0] === 'object';
  const k = nested ? (transmat as readonly number[][]).length : Math.round(Math.sqrt(transmat.length));
  const a = (i: number, j: number): number =>
    nested ? (transmat as readonly number[][])[i][j] : (transmat as ArrayLike<number>)[i * k + j];
  const visits = visitsOf(paths, k);
  const dwell = visits.map((v) => (v.segments > 0 ? v.checkpoints / v.segments : NaN));
  const short = dwell.map((d) => d < thresholds.dwell);
  const nRuns = paths.length;
  const findings: DegenerateFinding[] = [];
  const paired = new Set<number>();
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (!(short[i] && short[j])) continue;
      if (a(i, j) < thresholds.alternationProbability || a(j, i) < thresholds.alternationProbability) continue;
      paired.add(i).add(j);
      findings.push({
        kind: 'alternation',
        states: [i, j],
        meanDwell: [dwell[i], dwell[j]],
        runs: runsVisitingAny(paths, [i, j]),
        nRuns,
        probabilities: [a(i, j), a(j, i)],
      });
    }
  }
  for (let s = 0; s < k; s++) {
    if (paired.has(s) || !short[s] || visits[s].runs < thresholds.runShare * nRuns) continue;
    findings.push({ kind: 'flicker', states: [s], meanDwell: [dwell[s]], runs: visits[s].runs, nRuns });
  }
  return findings;
}

/** The same findings with states renumbered: new state i is old state order[i]. */
export function renumberFindings(
  findings: readonly DegenerateFinding[],
  order: readonly number[],
): DegenerateFinding[] {
  const inverse = new Array<number>(order.length);
  order.forEach((old, i) => (inverse[old] = i));
  return findings.map((f) => {
    const states = f.states.map((s) => inverse[s]);
    // A pair reads lowest state first; its dwell times and probabilities follow it round.
    if (states.length === 2 && states[0] > states[1]) {
      return {
        ...f,
        states: [states[1], states[0]],
        meanDwell: [f.meanDwell[1], f.meanDwell[0]],
        ...(f.probabilities ? { probabilities: [f.probabilities[1], f.probabilities[0]] } : {}),
      };
    }
    return { ...f, states };
  });
}

const dwellText = (d: number) => d.toFixed(1);

/** One sentence about a finding, for warnings and summaries. */
export function describeFinding(f: DegenerateFinding): string {
  if (f.kind === 'alternation') {
    const [i, j] = f.states;
    const [pij, pji] = f.probabilities ?? [NaN, NaN];
    return (
      `states ${i} and ${j} alternate (${i}→${j} with probability ${formatProbability(pij)}, ${j}→${i} with ${formatProbability(pji)}; ` +
      `mean dwell ${dwellText(f.meanDwell[0])} and ${dwellText(f.meanDwell[1])} checkpoints; ${f.runs} of ${f.nRuns} runs visit them)`
    );
  }
  return `state ${f.states[0]} flickers (mean dwell ${dwellText(f.meanDwell[0])} checkpoints, yet ${f.runs} of ${f.nRuns} runs visit it)`;
}

/** Probabilities near 1 keep enough digits to show how near (0.99999, not 1.000). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p >= 0.999 && p < 1) {
    if (1 - p < 1e-6) return `1 − ${(1 - p).toExponential(0)}`;
    return p.toFixed(Math.ceil(-Math.log10(1 - p)) + 1).replace(/0+$/, '');
  }
  return p.toFixed(3);
}
