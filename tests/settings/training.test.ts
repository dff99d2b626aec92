/** Setting values to a run: the configuration, the seeds and the backend, from the table's defaults and a preset. */
import { describe, expect, it } from 'vitest';
import {
  analyzeOptions,
  describePresets,
  presetValues,
  SettingError,
  trainingRequest,
} from '../../src/settings/index.ts';
import { trainingConfig } from '../../tasks/index.ts';

describe('trainingRequest', () => {
  it('with no values is the table default: sparse-parity/paper, 40 seeds from 0, backend auto', () => {
    const r = trainingRequest({});
    expect(r.config).toEqual(trainingConfig('sparse-parity', 'paper', {}));
    expect(r.seeds).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(r.backend).toBe('auto');
  });

  it("a preset's values with changes: the seeds from seed-start, the optimizer's rate and decay, layer norm", () => {
    const r = trainingRequest({
      ...presetValues('modular-addition', 'quick'),
      seeds: 3,
      'seed-start': 40,
      lr: 0.004,
      'weight-decay': 0.5,
      'layer-norm': true,
      backend: 'wasm',
    });
    expect(r.seeds).toEqual([40, 41, 42]);
    expect(r.config.optimizer).toMatchObject({ learningRate: 0.004, weightDecay: 0.5 });
    expect(r.config.model).toMatchObject({ layerNorm: true });
    expect(r.backend).toBe('wasm');
  });

  it('refuses an unknown preset or a bad value as a SettingError naming the setting', () => {
    const refused = (values: Record<string, string | number>) => {
      try {
        trainingRequest(values);
      } catch (e) {
        expect(e).toBeInstanceOf(SettingError);
        return [(e as SettingError).setting, (e as Error).message];
      }
      throw new Error('not refused');
    };
    expect(refused({ task: 'sparse-parity', preset: 'nope' })[0]).toBe('preset');
    expect(refused({ seeds: 0 })).toEqual(['seeds', '--seeds must be at least 1; got 0']);
    expect(refused({ backend: 'tpu' })).toEqual(['backend', expect.stringMatching(/^--backend must be one of /)]);
  });

  it('presetValues are what the controls show: the preset as settings', () => {
    expect(presetValues('sparse-parity', 'quick')).toEqual({
      task: 'sparse-parity',
      preset: 'quick',
      epochs: 200,
      'checkpoint-every': 1,
      'batch-size': 32,
      lr: 0.1,
      'weight-decay': 0.01,
    });
    expect(describePresets().split('\n').length).toBeGreaterThanOrEqual(4);
  });
});

describe('analyzeOptions', () => {
  it('absent values stay absent; auto states is no fixed K; features are a list', () => {
    expect(Object.values(analyzeOptions({})).every((v) => v === undefined)).toBe(true);
    expect(analyzeOptions({ states: 'auto' }).states).toBeUndefined();
    expect(analyzeOptions({ states: 4, 'k-max': 6, features: 'l1, l2,,trace' })).toMatchObject({
      states: 4,
      kMax: 6,
      features: ['l1', 'l2', 'trace'],
    });
  });

  it('an empty feature list or accuracy column, or a value out of range, is refused', () => {
    expect(() => analyzeOptions({ features: ' , ' })).toThrow('--features needs at least one column name');
    expect(() => analyzeOptions({ 'accuracy-column': ' ' })).toThrow('--accuracy-column needs a column name');
    expect(() => analyzeOptions({ restarts: 0 })).toThrow(SettingError);
  });
});
