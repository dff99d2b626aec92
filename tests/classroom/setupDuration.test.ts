import { describe, expect, it } from 'vitest';
import {
  checkpointCount,
  estimateSeconds,
  formatDuration,
  LONG_SETUP_SECONDS,
  seedWork,
  setupAdvice,
  stepsPerEpoch,
  throughput,
  type SpeedSample,
} from '../../src/classroom/setupDuration.ts';
import { getTask, trainingConfig } from '../../tasks/index.ts';
import type { TrainingConfig } from '../../src/train/task.ts';

const workloadOf = (c: TrainingConfig) => getTask(c.task)!.workload!(c);
const quick = trainingConfig('modular-addition', 'quick');

/** The measurement: quick, 40 seeds, 9.5 seed-steps/s in the page; 100 epochs with their 20 checkpoints. */
const quickSample: SpeedSample = {
  config: quick,
  workload: workloadOf(quick),
  seeds: 40,
  stepsDone: 100,
  checkpoints: 20,
  seconds: (100 * 40) / 9.5,
};

describe('workloads', () => {
  it('modular addition: the split of p² pairs and the forward multiply-adds of model.ts', () => {
    // p = 59, d = 64, 4 heads of 16, MLP 256: embedding 3·60·64, keys and values 6·64·64, query and output 2·64·64,
    // attention 6·64, MLP 2·64·256, unembedding 64·59.
    expect(workloadOf(quick)).toEqual({
      trainExamples: 1392,
      evalExamples: 59 * 59 - 1392,
      macsPerExample: 11520 + 24576 + 8192 + 384 + 32768 + 3776,
    });
  });

  it('sparse parity: its own sample sizes, bits × hidden + hidden', () => {
    expect(workloadOf(trainingConfig('sparse-parity', 'paper'))).toEqual({
      trainExamples: 1000,
      evalExamples: 100,
      macsPerExample: 40 * 1000 + 1000,
    });
  });
});

describe('estimateSeconds', () => {
  it('for the measured setup, the measurement scaled to the whole run', () => {
    expect(stepsPerEpoch(quick, workloadOf(quick))).toBe(1);
    expect(checkpointCount(quick)).toBe(200);
    // 1000 steps and 200 checkpoints is ten times the sample: 4211 s, the "ETA 1.1–1.4 h".
    expect(estimateSeconds(quick, workloadOf(quick), 40, quickSample)).toBeCloseTo(quickSample.seconds * 10, 6);
    expect(formatDuration(estimateSeconds(quick, workloadOf(quick), 40, quickSample))).toBe('1 h 10 min');
    // Half done: half left. Seeds scale it linearly.
    expect(estimateSeconds(quick, workloadOf(quick), 40, quickSample, 500)).toBeCloseTo(quickSample.seconds * 5, 6);
    expect(estimateSeconds(quick, workloadOf(quick), 10, quickSample)).toBeCloseTo(quickSample.seconds * 2.5, 6);
  });

  it('carries a speed to another configuration in proportion to its work', () => {
    const paper = trainingConfig('modular-addition', 'paper');
    const w = workloadOf(paper);
    expect(stepsPerEpoch(paper, w)).toBe(2);
    const ratio =
      seedWork(paper, w, 20000, checkpointCount(paper)) /
      seedWork(quick, workloadOf(quick), 1000, checkpointCount(quick));
    expect(
      estimateSeconds(paper, w, 40, quickSample) / estimateSeconds(quick, workloadOf(quick), 40, quickSample),
    ).toBeCloseTo(ratio, 9);
    // Hours, not minutes (the page measured an ETA of 69 h for it).
    expect(estimateSeconds(paper, w, 40, quickSample)).toBeGreaterThan(24 * 3600);
  });

  it('an off-grid last epoch is one more checkpoint', () => {
    expect(checkpointCount({ ...quick, epochs: 1003 })).toBe(201);
  });

  it('refuses a measurement without time, steps or seeds, saying what it got', () => {
    expect(() => throughput({ ...quickSample, seconds: 0 })).toThrow(
      'a speed measurement needs time, steps and seeds above zero (got 0 s, 100 steps, 40 seeds)',
    );
    expect(() => estimateSeconds(quick, workloadOf(quick), 40, { ...quickSample, stepsDone: 0 })).toThrow('0 steps');
  });
});

describe('setupAdvice', () => {
  it('over ten minutes: says so and offers fewer seeds, the teaching preset and the replay', () => {
    const fast = { ...quick, preset: 'fast', epochs: 100 };
    const advice = setupAdvice({ config: quick, workload: workloadOf(quick), seeds: 40 }, quickSample, {
      teaching: { preset: 'fast', config: fast, workload: workloadOf(fast) },
      replay: 'modular addition, 40 seeds',
    });
    expect(advice.long).toBe(true);
    expect(advice.seconds).toBeGreaterThan(LONG_SETUP_SECONDS);
    const [fewer, teaching, replay] = advice.routes;
    expect(fewer).toMatchObject({ kind: 'fewer-seeds', seeds: 5 });
    expect(fewer.seconds!).toBeLessThanOrEqual(LONG_SETUP_SECONDS);
    expect(fewer.text).toBe(
      'Train 5 seeds instead of 40: about 9 min (too few for model selection to choose the number of states well).',
    );
    expect(teaching).toMatchObject({ kind: 'teaching-preset', preset: 'fast' });
    expect(teaching.text).toBe('Use the teaching preset for this machine (fast) with 40 seeds: about 7 min.');
    expect(replay.text).toBe('Replay the recorded session (modular addition, 40 seeds): no training at all.');
  });

  it('a setup that fits gets no routes', () => {
    const advice = setupAdvice(
      { config: { ...quick, epochs: 50 }, workload: workloadOf(quick), seeds: 40 },
      quickSample,
      {
        replay: 'x',
      },
    );
    expect(advice).toMatchObject({ long: false, routes: [] });
  });

  it('formatDuration', () => {
    expect([45, 89.6, 600, 3599, 3600 * 69.4, NaN].map(formatDuration)).toEqual([
      '45 s',
      '2 min',
      '10 min',
      '1 h 00 min',
      '69 h 24 min',
      'an unknown time',
    ]);
  });
});
