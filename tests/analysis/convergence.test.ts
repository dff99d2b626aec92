import { describe, expect, it } from 'vitest';
import { convergenceTimes } from '../../src/analysis/convergence.ts';

describe('convergenceTimes (method.md §9)', () => {
  it('is the first checkpoint strictly above the threshold; runs that never get there get the longest run’s length', () => {
    const acc = [
      [0.1, 0.5, 0.9, 0.95, 0.2],
      [0.91, 0.1],
      [0.2, 0.3],
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    ];
    expect(convergenceTimes(acc, 0.9)).toEqual([
      { checkpoint: 3, converged: true }, // 0.9 is not above 0.9
      { checkpoint: 0, converged: true },
      { checkpoint: 6, converged: false },
      { checkpoint: 6, converged: false },
    ]);
    expect(convergenceTimes([[1]], 1)).toEqual([{ checkpoint: 1, converged: false }]);
    expect(convergenceTimes([], 0.5)).toEqual([]);
  });

  it('refuses a threshold outside (0, 1]', () => {
    for (const t of [0, -0.1, 1.5, NaN])
      expect(() => convergenceTimes([[0.5]], t)).toThrow(`convergence threshold must be in (0, 1], got ${t}`);
  });
});
