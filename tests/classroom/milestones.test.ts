import { describe, expect, it } from 'vitest';
import { bundleMilestones, firstAtOrAbove, runMilestones } from '../../src/classroom/milestones.ts';
import type { RunBundle } from '../../src/io/index.ts';

const run = (train: number[], evaluation: number[], epoch = true) => ({
  id: 'r',
  seed: 4,
  checkpoints: {
    step: train.map((_, i) => (i + 1) * 100),
    train_acc: train,
    eval_acc: evaluation,
    ...(epoch ? { epoch: train.map((_, i) => (i + 1) * 5) } : {}),
  },
});

describe('milestones', () => {
  it('first checkpoint at or above a threshold, skipping non-finite values', () => {
    expect(firstAtOrAbove([0.1, NaN, 0.99, 1], 0.99)).toBe(2);
    expect(firstAtOrAbove([Infinity, 0.2], 0.5)).toBe(-1);
    expect(firstAtOrAbove([], 0.5)).toBe(-1);
  });

  it('memorized, eval then, generalized and the gap, in steps and epochs', () => {
    expect(runMilestones(run([0.5, 0.99, 1, 1], [0.1, 0.3, 0.7, 0.95]), 'g', 0.9)).toEqual({
      group: 'g',
      run: 'r',
      seed: 4,
      memorized: 200,
      memorizedEpoch: 10,
      evalAtMemorized: 0.3,
      generalized: 400,
      generalizedEpoch: 20,
      gapSteps: 200,
    });
  });

  it('a run that never gets there, or has no epoch or accuracy columns, gives nulls', () => {
    expect(runMilestones(run([0.5, 0.9], [0.1, 0.2], false), 'g', 0.9)).toMatchObject({
      memorized: null,
      memorizedEpoch: null,
      evalAtMemorized: null,
      generalized: null,
      gapSteps: null,
    });
    expect(runMilestones(run([1], [1], false), 'g', 0.9)).toMatchObject({ memorized: 100, memorizedEpoch: null });
    const bare = { id: 'x', checkpoints: { step: [1, 2] } };
    expect(runMilestones(bare, 'g', 0.9)).toMatchObject({ memorized: null, generalized: null, seed: null });
  });

  it('every run of every group, in order, with its own memorization threshold if asked', () => {
    const bundle: RunBundle = {
      format: 'trainmap.runs/1',
      groups: [
        { name: 'a', config: {}, runs: [run([0.95, 1], [0.2, 0.9])] },
        { name: 'b', config: {}, runs: [run([0.9, 0.95], [0.5, 0.6])] },
      ],
    };
    expect(bundleMilestones(bundle, 0.9).map((m) => [m.group, m.memorized, m.generalized])).toEqual([
      ['a', 200, 200],
      ['b', null, null],
    ]);
    expect(bundleMilestones(bundle, 0.9, 0.9).map((m) => m.memorized)).toEqual([100, 100]);
  });
});
