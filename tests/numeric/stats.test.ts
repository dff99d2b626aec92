import { describe, expect, it } from 'vitest';
import { mean, median } from '../../src/numeric/stats.ts';

describe('mean and median', () => {
  it('mean sums left to right; an empty array has no mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([0.1, 0.2, 0.3])).toBe((0.1 + 0.2 + 0.3) / 3);
    expect(mean([])).toBeNaN();
  });
  it('median of odd and even counts, unsorted input left as it was', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
