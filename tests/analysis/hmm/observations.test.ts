import { describe, expect, it } from 'vitest';
import { packSequences, subsetObservations } from '../../../src/analysis/hmm/observations.ts';

describe('packSequences', () => {
  it('packs ragged runs one after another, with lengths and offsets', () => {
    const obs = packSequences([
      [
        [1, 2],
        [3, 4],
      ],
      [[5, 6]],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    expect(obs.nFeatures).toBe(2);
    expect(obs.nObservations).toBe(6);
    expect(Array.from(obs.lengths)).toEqual([2, 1, 3]);
    expect(Array.from(obs.offsets)).toEqual([0, 2, 3]);
    expect(Array.from(obs.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('says where the input is wrong', () => {
    expect(() => packSequences([])).toThrow('no sequences to fit');
    expect(() => packSequences([[]])).toThrow('sequence 0 is empty or has no features');
    expect(() => packSequences([[[]]])).toThrow('sequence 0 is empty or has no features');
    expect(() => packSequences([[[1]], []])).toThrow('sequence 1 is empty');
    expect(() => packSequences([[[1, 2]], [[1, 2], [3]]])).toThrow('sequence 1, step 1: 1 features, expected 2');
    expect(() => packSequences([[[1, 2]], [[1, NaN]]])).toThrow(
      'sequence 1, step 0, feature 1: NaN is not a finite number',
    );
    expect(() => packSequences([[[Infinity]]])).toThrow(
      'sequence 0, step 0, feature 0: Infinity is not a finite number',
    );
  });
});

describe('subsetObservations', () => {
  it('repacks the chosen sequences in the order given', () => {
    const obs = packSequences([[[1], [2]], [[3]], [[4], [5], [6]]]);
    const sub = subsetObservations(obs, [2, 0]);
    expect(Array.from(sub.data)).toEqual([4, 5, 6, 1, 2]);
    expect(Array.from(sub.lengths)).toEqual([3, 2]);
    expect(Array.from(sub.offsets)).toEqual([0, 3]);
    expect(sub.nObservations).toBe(5);
    expect(sub.nFeatures).toBe(1);
    expect(subsetObservations(obs, []).nObservations).toBe(0);
  });

  it('copies: changing the subset leaves the original alone', () => {
    const obs = packSequences([[[1], [2]]]);
    subsetObservations(obs, [0]).data[0] = 99;
    expect(obs.data[0]).toBe(1);
  });
});
