import { describe, expect, it } from 'vitest';
import {
  fitGaussianHMM,
  packSequences,
  planSelection,
  selectModel,
  viterbi,
  type HMMParams,
} from '../../../src/analysis/index.ts';
import { createRng } from '../../../src/numeric/index.ts';
import { ForwardBackwardWorkspace, forwardBackward } from '../../../src/analysis/hmm/forwardBackward.ts';

function finite(p: HMMParams): boolean {
  return [...p.startprob, ...p.transmat.flat(), ...p.means.flat(), ...p.covars.flat(2)].every(Number.isFinite);
}

const rng = createRng(5, 'degenerate');
const noisy = (n: number, d: number, shift: number) =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => shift + rng.normal()));

describe('degenerate fits are repaired and reported, never NaN', () => {
  it('a covariance that goes singular mid-fit (a state owning identical checkpoints)', () => {
    // Runs that sit still at one point for a while: the state that owns that stretch has zero scatter.
    const flat = Array.from({ length: 30 }, () => [10, 10, 10]);
    const seqs = [0, 1, 2].map(() => [...noisy(30, 3, 0), ...flat]);
    const start: HMMParams = {
      startprob: [0.5, 0.5],
      transmat: [
        [0.9, 0.1],
        [0.1, 0.9],
      ],
      means: [
        [0, 0, 0],
        [10, 10, 10],
      ],
      covars: [0, 1].map(() => [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    };
    const fit = fitGaussianHMM(seqs, { nStates: 2, start, maxIterations: 10 });
    expect(finite(fit.params)).toBe(true);
    const singular = fit.warnings.filter((w) => w.kind === 'singular-covariance');
    expect(singular.length).toBeGreaterThan(0);
    expect(singular[0].state).toBe(1);
    expect(singular[0].message).toMatch(/not positive definite/);
    expect(viterbi(fit.params, seqs[0]).path.slice(-30)).toEqual(new Array(30).fill(1));
  });

  it('a state that receives no posterior mass is re-seeded', () => {
    const seqs = [0, 1, 2, 3].map((i) => [...noisy(40, 2, 0), ...noisy(40, 2, i % 2 ? 8 : 0)]);
    const start: HMMParams = {
      startprob: [0.5, 0.25, 0.25],
      transmat: [
        [0.8, 0.1, 0.1],
        [0.1, 0.8, 0.1],
        [0.1, 0.1, 0.8],
      ],
      means: [
        [0, 0],
        [8, 8],
        [1e6, 1e6],
      ],
      covars: [0, 1, 2].map(() => [
        [1, 0],
        [0, 1],
      ]),
    };
    const fit = fitGaussianHMM(seqs, { nStates: 3, start, maxIterations: 6 });
    expect(finite(fit.params)).toBe(true);
    const empty = fit.warnings.find((w) => w.kind === 'empty-state');
    expect(empty?.state).toBe(2);
    expect(empty?.message).toMatch(/re-seeded/);
    expect(Math.max(...fit.params.means[2])).toBeLessThan(100);
  });

  it('extreme emissions underflow the scaled pass and fall back to log space', () => {
    const logB = Float64Array.from([0, -2000, -2000, 0, 0, -2000]);
    const gamma = new Float64Array(6);
    // Start forbids state 1 where the first observation is likely: the scaled pass underflows to 0.
    const r = forwardBackward(
      logB,
      3,
      Float64Array.from([0, 1]),
      Float64Array.from([0.5, 0.5, 0.5, 0.5]),
      gamma,
      null,
      new ForwardBackwardWorkspace(3, 2),
    );
    expect(r.usedLogSpace).toBe(true);
    expect(Number.isFinite(r.logLikelihood)).toBe(true);
    gamma.forEach((g) => expect(Number.isFinite(g)).toBe(true));
  });

  it('K larger than the data supports is skipped with a reason, or refused when asked for', () => {
    const seqs = [0, 1, 2, 3, 4].map(() => noisy(6, 3, 0));
    const obs = packSequences(seqs);
    const plan = planSelection(obs, { kMax: 8 });
    expect(plan.skipped.get(8)).toMatch(/K=8 needs at least 32 training checkpoints/);
    expect(() => planSelection(obs, { states: 8 })).toThrow(/do not support 8 states/);
    const sel = selectModel(obs, { kMax: 8, restarts: 2 });
    expect(sel.rows.find((r) => r.k === 8)?.skipped).toMatch(/needs at least/);
    expect(sel.chosenK).toBeLessThanOrEqual(6);
  });

  it('fewer runs than a held-out split needs', () => {
    expect(() => selectModel(packSequences([noisy(50, 2, 0)]))).toThrow(/at least 2 runs/);
  });

  it('bad options and inputs get clear errors', () => {
    const seqs = [noisy(10, 2, 0), noisy(10, 2, 0)];
    expect(() => fitGaussianHMM(seqs, { nStates: 0 })).toThrow(/positive integer/);
    expect(() => fitGaussianHMM(seqs, { nStates: 21 })).toThrow(/cannot fit 21 states to 20 checkpoints/);
    expect(() =>
      fitGaussianHMM(
        [
          [
            [1, 2],
            [NaN, 1],
          ],
        ],
        { nStates: 1 },
      ),
    ).toThrow(/sequence 0, step 1, feature 0: NaN is not a finite number/);
    expect(() => fitGaussianHMM([[[1, 2], [1]]], { nStates: 1 })).toThrow(/1 features, expected 2/);
    expect(() => fitGaussianHMM([], { nStates: 1 })).toThrow(/no sequences/);
    const bad: HMMParams = {
      startprob: [0.5, 0.6],
      transmat: [
        [1, 0],
        [0, 1],
      ],
      means: [
        [0, 0],
        [1, 1],
      ],
      covars: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ],
    };
    expect(() => fitGaussianHMM(seqs, { nStates: 2, start: bad })).toThrow(/startprob does not sum to 1/);
  });
});
