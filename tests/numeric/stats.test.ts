import { describe, expect, it } from 'vitest';
import { mean, median, medianWithout } from '../../src/numeric/stats.ts';

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
  it('medianWithout is the median of the other values, for every value left out', () => {
    for (const xs of [[3], [1, 2], [5, 1, 4, 2, 3], [2, 2, 2, 7, 7, 1], [0.5, 9, 9, 9, -1, 4, 4]]) {
      const sorted = Float64Array.from(xs).sort();
      sorted.forEach((_, skip) => {
        const rest = [...sorted.slice(0, skip), ...sorted.slice(skip + 1)];
        if (rest.length === 0) expect(medianWithout(sorted, skip)).toBeNaN();
        else expect(medianWithout(sorted, skip)).toBe(median(rest));
      });
    }
  });
});
