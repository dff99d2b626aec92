import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRuns, sampleGaussianHMM } from '../../src/analysis/index.ts';
import { convergenceTimes } from '../../src/analysis/convergence.ts';
import { convergedStates, forecastWait, hittingTimes, type ConvergenceForecast } from '../../src/analysis/forecast.ts';
import { filteredPosteriors } from '../../src/analysis/hmm/filter.ts';
import { emissionLogLikelihoods } from '../../src/analysis/hmm/inference.ts';
import { packSequences } from '../../src/analysis/hmm/observations.ts';
import { toFlat } from '../../src/analysis/hmm/params.ts';
import { parseRunsCsv, type RunBundle } from '../../src/io/index.ts';
import { createRng } from '../../src/numeric/index.ts';
import { shapedHmm, sampledBundle } from '../helpers/sampledRuns.ts';

describe('hitting times of the converged states', () => {
  it('a left-to-right chain: sums of geometric waits, their variance, and 0 inside', () => {
    const h = hittingTimes(
      [
        [0.9, 0.1, 0],
        [0, 0.8, 0.2],
        [0, 0, 1],
      ],
      [2],
    );
    expect(h.reach).toEqual([1, 1, 1]);
    // Waits 1/0.1 + 1/0.2 and 1/0.2; variances (1−p)/p² add up.
    expect(h.m[0]).toBeCloseTo(15, 10);
    expect(h.m[1]).toBeCloseTo(5, 10);
    expect(h.m[2]).toBe(0);
    const f0 = forecastWait(h, [1, 0, 0]);
    expect(f0.wait).toBeCloseTo(15, 10);
    expect(f0.sd).toBeCloseTo(Math.sqrt(0.9 / 0.01 + 0.8 / 0.04), 8);
    // A posterior split between states mixes the moments.
    const mixed = forecastWait(h, [0.5, 0.5, 0]);
    expect(mixed.wait).toBeCloseTo(10, 10);
    expect(mixed.sd).toBeCloseTo(Math.sqrt(0.5 * (110 + 225) + 0.5 * (20 + 25) - 100), 8);
    expect(forecastWait(h, [0, 0, 1])).toEqual({ reach: 1, now: 1, wait: 0, sd: 0 });
  });

  it('a trap beside the converged state: the reach probability, the wait given it is reached, and no forecast when it is unlikely', () => {
    const h = hittingTimes(
      [
        [0.5, 0.25, 0.25],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [1],
    );
    expect(h.reach).toEqual([0.5, 1, 0]);
    // P(wait = n | reached) = 0.5ⁿ: mean 2, variance 2.
    const f = forecastWait(h, [1, 0, 0]);
    expect(f.wait).toBeCloseTo(2, 10);
    expect(f.sd).toBeCloseTo(Math.SQRT2, 8);
    expect(forecastWait(h, [0.5, 0, 0.5])).toMatchObject({ reach: 0.25, wait: null, sd: null });
    expect(() => hittingTimes([[1]], [3])).toThrow('converged state 3 is not a state of a 1-state chain');
  });

  it('the converged states: mostly after convergence, else where converged runs end', () => {
    const conv = [
      { checkpoint: 2, converged: true },
      { checkpoint: 5, converged: false },
    ];
    expect(
      convergedStates(
        [
          [0, 1, 2, 2, 2],
          [0, 0, 1, 1, 1],
        ],
        3,
        conv,
      ),
    ).toEqual([2]);
    // Only one checkpoint after convergence, in a state mostly visited before: the end state stands for it.
    expect(
      convergedStates(
        [
          [0, 1, 1],
          [1, 1, 1],
        ],
        2,
        [{ checkpoint: 2, converged: true }, conv[1]],
      ),
    ).toEqual([1]);
    expect(convergedStates([[0, 1]], 2, [conv[1]])).toEqual([]);
  });
});

describe('forecasts from the filtered posterior', () => {
  it('on runs sampled from a known HMM, the mean forecast equals the mean true wait (within its standard error)', () => {
    const params = shapedHmm('linear', 3, 11);
    const n = 400;
    const { sequences, states } = sampleGaussianHMM(params, new Array(n).fill(400), createRng(5, 'forecast'));
    const flat = toFlat(params);
    const obs = packSequences(sequences);
    const logB = emissionLogLikelihoods(flat, obs);
    const h = hittingTimes(params.transmat, [3]);
    const cut = 15;
    const forecasts: number[] = [];
    const truth: number[] = [];
    let exact = 0;
    sequences.forEach((_, r) => {
      if (states[r][cut] === 3) return;
      const post = filteredPosteriors(logB[r], obs.lengths[r], flat.startprob, flat.transmat).subarray(
        cut * 4,
        cut * 4 + 4,
      );
      const f = forecastWait(h, post);
      forecasts.push(f.wait!);
      truth.push(states[r].indexOf(3, cut) - cut);
      if (Math.abs(f.wait! - h.m[states[r][cut]]) < 1e-6) exact++;
    });
    // The states are well separated: the posterior names the true state.
    expect(exact / forecasts.length).toBeGreaterThan(0.95);
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(mean(truth.map((t) => (t - mean(truth)) ** 2)));
    expect(Math.abs(mean(forecasts) - mean(truth))).toBeLessThan((3 * sd) / Math.sqrt(truth.length));
  });

  it('the analysis of sampled runs forecasts the runs still training and measures itself on those that converged', () => {
    const bundle = sampledBundle(shapedHmm('linear', 3, 4), 30, 80, 8);
    const report = analyzeRuns(bundle, { features: ['f0', 'f1', 'f2'], states: 4, restarts: 3, stabilityRestarts: 0 });
    const f = report.forecast as ConvergenceForecast;
    expect(f.convergedStates).toEqual([3]);
    const open = report.runs.filter((r) => r.included && !r.convergence!.converged);
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(30);
    expect(f.runs.map((r) => r.key)).toEqual(open.map((r) => r.key));
    for (const r of f.runs) {
      expect(r.checkpoints).toBe(80);
      if (r.checkpoint !== null) expect(r.checkpoint).toBeGreaterThanOrEqual(79);
      expect(r.step).toBe(r.checkpoint === null ? null : Math.round(r.checkpoint));
    }
    const converged = report.runs.filter((r) => r.convergence?.converged).length;
    expect(f.backtest.cuts.map((c) => c.fraction)).toEqual([0.25, 0.5, 0.75]);
    for (const c of f.backtest.cuts) expect(c.forecasts + c.withoutForecast).toBeLessThanOrEqual(converged);
    expect(f.backtest.mae).toBeGreaterThan(0);
    expect(f.backtest.naiveMae).toBeGreaterThan(0);
  });

  it('says why there is no forecast when no run has converged', () => {
    const bundle = sampledBundle(shapedHmm('linear', 3, 4), 12, 80, 8);
    for (const run of bundle.groups[0].runs) run.checkpoints.eval_acc = run.checkpoints.eval_acc.map(() => 0.2);
    const report = analyzeRuns(bundle, { features: ['f0', 'f1', 'f2'], states: 4, restarts: 2, stabilityRestarts: 0 });
    expect(report.forecast).toEqual({
      skipped: 'no run has converged yet, so there are no converged states to forecast the others into',
    });
  });

  it('the sparse-parity sample cut at half its training: forecasts for the runs still training, against when they really converged', () => {
    const file = resolve(import.meta.dirname, '../../static/samples/sparse-parity-paper.csv');
    const whole = parseRunsCsv(readFileSync(file, 'utf8'), file);
    const part: RunBundle = structuredClone(whole);
    for (const run of part.groups[0].runs)
      for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, 150);
    const report = analyzeRuns(part, { states: 6, stabilityRestarts: 0 });
    const f = report.forecast as ConvergenceForecast;
    const real = new Map(whole.groups[0].runs.map((r) => [r.id, convergenceTimes([r.checkpoints.eval_acc], 0.9)[0]]));
    const open = report.runs.filter((r) => !r.convergence!.converged);
    expect(open.length).toBeGreaterThan(0);
    expect(f.runs).toHaveLength(open.length);
    const errors = f.runs.map((r) => {
      const truth = real.get(report.runs.find((x) => x.key === r.key)!.id)!;
      expect(truth.converged).toBe(true);
      expect(r.checkpoint).not.toBeNull();
      expect(r.checkpoint!).toBeGreaterThanOrEqual(149);
      return Math.abs(r.checkpoint! - truth.checkpoint);
    });
    // These runs converged between checkpoints 150 and 200; forecasting them blind would be off by up to 50.
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(30);
  });
});
