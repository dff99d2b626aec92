import { describe, expect, it } from 'vitest';
import { colorOfState, STATE_COLORS, stateColor, stateIdentity } from '../../src/render/stateColor.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

describe('state colours', () => {
  it('follow the state’s identity when the report carries one, else its number', () => {
    const report = sparseParityReport();
    expect(stateIdentity(report, 2)).toBe(2);
    expect(colorOfState(report, 2)).toBe(STATE_COLORS[2]);
    // After a refit renumbers the states by first visit, state 2 may be the state first seen as 4: it keeps 4's colour.
    (report.map.nodes[2] as { identity?: number }).identity = 4;
    expect(stateIdentity(report, 2)).toBe(4);
    expect(colorOfState(report, 2)).toBe(STATE_COLORS[4]);
    for (const bad of [-1, 1.5, NaN, '3', null]) {
      (report.map.nodes[2] as { identity?: unknown }).identity = bad;
      expect(stateIdentity(report, 2)).toBe(2);
    }
    expect(stateIdentity(report, 99)).toBe(99);
    expect(stateColor(12)).toBe(STATE_COLORS[0]);
  });
});
