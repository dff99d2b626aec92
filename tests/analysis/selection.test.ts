import { describe, expect, it } from 'vitest';
import { packSequences, planSelection, sampleGaussianHMM, selectModel, splitRuns } from '../../src/analysis/index.ts';
import { createRng } from '../../src/numeric/index.ts';
import { restartInit } from '../../src/analysis/selection.ts';
import { knownHmm } from '../helpers/knownHmm.ts';

describe('model selection plumbing', () => {
  it('splits runs 80/20 by seed, never splitting a run, the same way for the same seed', () => {
    const a = splitRuns(40, 3);
    expect(a.heldOut).toHaveLength(8);
    expect(a.train).toHaveLength(32);
    expect(new Set([...a.train, ...a.heldOut]).size).toBe(40);
    expect(splitRuns(40, 3)).toEqual(a);
    expect(splitRuns(40, 4)).not.toEqual(a);
    expect(splitRuns(2, 0).heldOut).toHaveLength(1);
    expect(() => splitRuns(10, 0, 1.5)).toThrow(/held-out fraction must be in \(0, 1\)/);
  });

  it("'mixed' alternates sticky and hmmlearn starts over restarts; other choices apply to all", () => {
    expect([0, 1, 2, 3, 4].map((r) => restartInit('mixed', r))).toEqual([
      'sticky',
      'hmmlearn',
      'sticky',
      'hmmlearn',
      'sticky',
    ]);
    expect(restartInit('sticky', 3)).toBe('sticky');
    expect(restartInit(undefined, 3)).toBeUndefined();
  });

  it('keeps the best restart per K by held-out likelihood and chooses the lowest BIC', () => {
    const seqs = sampleGaussianHMM(knownHmm(3, 4, 9), new Array(12).fill(60), createRng(9, 's')).sequences;
    const obs = packSequences(seqs);
    const sel = selectModel(obs, { kMax: 5, restarts: 3, seed: 2, init: 'mixed' });
    for (const row of sel.rows) {
      expect(row.heldOutLogLikelihood).toBe(Math.max(...row.restarts.map((r) => r.heldOutLogLikelihood)));
      expect(row.restarts[row.bestRestart].heldOutLogLikelihood).toBe(row.heldOutLogLikelihood);
    }
    expect(sel.rows.find((r) => r.k === sel.chosenK)!.bic).toBe(Math.min(...sel.rows.map((r) => r.bic)));
    expect(sel.chosenK).toBe(3);
    const plan = planSelection(obs, { kMax: 5, restarts: 3, seed: 2 });
    expect(plan.jobs).toHaveLength(15);
    expect(new Set(plan.jobs.map((j) => j.seed)).size).toBe(15);
  });
});
