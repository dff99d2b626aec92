/** The estimate beside Start: from a measured speed, with faster routes when long; none without a measurement. */
import { describe, expect, it } from 'vitest';
import { presetValues } from '../../src/settings/index.ts';
import { estimateOf, loadSpeeds, saveSpeeds, speedSampleOf } from '../../src/ui/setupEstimate.ts';

const quick = { ...presetValues('modular-addition', 'quick'), seeds: 40, backend: 'wasm' };
/** 40 seeds at 10 seed-steps/s after 100 steps, as the issue measured quick on wasm here. */
const measured = speedSampleOf(quick, { stepsDone: 100, seedStepsPerSecond: 10, aliveSeeds: 40 }, 20)!;

describe('the estimate beside Start', () => {
  it('turns a group’s progress into a speed measurement', () => {
    expect(measured).toMatchObject({ seeds: 40, stepsDone: 100, checkpoints: 20, seconds: 400 });
    expect(speedSampleOf(quick, { stepsDone: 0, seedStepsPerSecond: 10, aliveSeeds: 40 }, 0)).toBeNull();
  });

  it('the measured setup itself takes what its speed says, and over 10 minutes offers the faster routes', () => {
    const e = estimateOf(quick, measured, 'modular addition (grokking)');
    if (!('advice' in e)) throw new Error(e.none);
    // 1000 epochs × 40 seeds at 10 seed-steps/s, the checkpoints' evaluation included in proportion.
    expect(e.advice.seconds).toBeGreaterThan(3000);
    expect(e.advice.long).toBe(true);
    // quick is the GPU's teaching preset: on wasm the CPU's is one of the faster routes.
    expect(e.advice.routes.map((r) => r.kind)).toEqual(['fewer-seeds', 'teaching-preset', 'replay']);
    expect(e.advice.routes[1].text).toMatch(/teaching preset for this machine \(cpu\) with 40 seeds: about 3 min/);
    expect(e.advice.routes[2].text).toMatch(/Replay the recorded session \(modular addition \(grokking\)\)/);
    const few = estimateOf({ ...quick, seeds: 2, epochs: 100 }, measured, null);
    if (!('advice' in few)) throw new Error(few.none);
    expect(few.advice.long).toBe(false);
    expect(few.advice.routes).toEqual([]);
  });

  it('says there is no estimate without a measurement, and nothing for a setup the run refuses', () => {
    expect(estimateOf(quick, null, null)).toEqual({
      none: 'No speed measured on the wasm backend in this browser yet: the estimate appears once a run has trained a few steps, or measure it now.',
      probe: true,
    });
    expect(estimateOf({ ...quick, lr: 0 }, measured, null)).toEqual({ none: '' });
  });

  it('keeps the speeds per backend across visits, and survives broken or missing storage', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    };
    saveSpeeds(storage, { wasm: measured });
    expect(loadSpeeds(storage)).toEqual({ wasm: JSON.parse(JSON.stringify(measured)) });
    store.set('trainmap.speeds', '{not json');
    expect(loadSpeeds(storage)).toEqual({});
    expect(loadSpeeds(undefined)).toEqual({});
    expect(() =>
      saveSpeeds(
        {
          setItem: () => {
            throw new Error('quota');
          },
        },
        {},
      ),
    ).not.toThrow();
  });
});
