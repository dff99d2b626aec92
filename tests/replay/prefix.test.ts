import { describe, expect, it } from 'vitest';
import { checkpointSteps, prefixBundle } from '../../src/replay/prefix.ts';
import { ragged } from './fixtures.ts';

describe('prefixBundle', () => {
  it('checkpoints are the sorted distinct steps of every run of every group', () => {
    expect(checkpointSteps(ragged())).toEqual([5, 10, 20, 30, 35, 40]);
  });

  it('holds every row up to the n-th checkpoint, every column, and the runs even while empty', () => {
    const b = ragged();
    const p = prefixBundle(b, 3);
    expect(p.groups.map((g) => g.runs.map((r) => r.checkpoints.step))).toEqual([
      [
        [10, 20],
        [10, 20],
      ],
      [[5, 20]],
    ]);
    expect(p.groups[0].runs[0].checkpoints.fourier_3).toEqual([0.1, 0.2]);
    expect(p.groups[0].runs[1].diverged).toEqual({ step: 20, reason: 'l2 not finite' });
    expect(p.groups[0].config).toEqual({ x: 1 });
    expect(p.analysis).toBeUndefined();
    const empty = prefixBundle(b, 0);
    expect(empty.groups[1].runs[0].checkpoints).toEqual(
      Object.assign(Object.create(null), { step: [], l2: [], fourier_3: [] }),
    );
  });

  it('a diverged mark appears only once its step is in the prefix', () => {
    expect(prefixBundle(ragged(), 2).groups[0].runs[1].diverged).toBeUndefined();
  });

  it('shares no arrays with the recording, and the whole prefix is the recording', () => {
    const b = ragged();
    const all = prefixBundle(b, 6);
    all.groups[0].runs[0].checkpoints.l2.push(99);
    expect(b.groups[0].runs[0].checkpoints.l2).toHaveLength(4);
    const { analysis: _a, ...rest } = ragged();
    expect(prefixBundle(ragged(), 6)).toStrictEqual(rest);
  });

  it('refuses a checkpoint outside the recording', () => {
    expect(() => prefixBundle(ragged(), 7)).toThrow('checkpoint 7 is outside the recording, which has 6');
    expect(() => prefixBundle(ragged(), -1)).toThrow('checkpoint -1 is outside');
    expect(() => prefixBundle(ragged(), 1.5)).toThrow('checkpoint 1.5 is outside');
  });
});
