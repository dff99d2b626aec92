import { describe, expect, it } from 'vitest';
import {
  decodeObservations,
  matchStates,
  packSequences,
  permutePath,
  sampleGaussianHMM,
  selectModel,
  fromFlat,
} from '../../../src/analysis/index.ts';
import { createRng } from '../../../src/numeric/index.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

describe('recovery of a known HMM', () => {
  it('K=4, D=14, 30 runs: model selection chooses K=4 and ≥95% of checkpoints decode to the right state', () => {
    const truth = knownHmm(4, 14, 7);
    const lengths = Array.from({ length: 30 }, (_, i) => 80 + (i % 5) * 10);
    const { sequences, states } = sampleGaussianHMM(truth, lengths, createRng(11, 'recovery'));
    const obs = packSequences(sequences);
    const sel = selectModel(obs, { kMin: 1, kMax: 8, restarts: 3, seed: 3 });
    expect(sel.rows.map((r) => Number.isFinite(r.bic))).toEqual(new Array(8).fill(true));
    expect(sel.chosenK).toBe(4);
    const fitted = fromFlat(sel.chosen.params);
    const order = matchStates(truth, fitted);
    const paths = decodeObservations(sel.chosen.params, obs).map((p) => permutePath(p, order));
    let right = 0;
    let total = 0;
    paths.forEach((p, i) =>
      p.forEach((s, t) => {
        total++;
        if (s === states[i][t]) right++;
      }),
    );
    expect(right / total).toBeGreaterThanOrEqual(0.95);
  });
});
