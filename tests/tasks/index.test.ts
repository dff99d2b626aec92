import { describe, expect, it } from 'vitest';
import { getTask, taskNames, trainingConfig, validateConfig } from '../../tasks/index.ts';

const presets = (task: string) => getTask(task)!.presets;

describe('trainingConfig', () => {
  it('gives every preset of every task, with the task and preset named', () => {
    for (const task of taskNames()) {
      for (const preset of Object.keys(presets(task))) {
        const cfg = trainingConfig(task, preset);
        expect(cfg.task).toBe(task);
        expect(cfg.preset).toBe(preset);
        expect(cfg.epochs).toBe(presets(task)[preset].epochs);
      }
    }
  });

  it('the paper configurations of method.md §2', () => {
    const parity = trainingConfig('sparse-parity', 'paper');
    expect(parity).toMatchObject({
      epochs: 300,
      batchSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
    });
    const modadd = trainingConfig('modular-addition', 'paper');
    expect(modadd).toMatchObject({
      epochs: 10000,
      optimizer: { kind: 'adamw', learningRate: 1e-3, weightDecay: 1 },
      model: { modulus: 113 },
    });
  });

  it('applies overrides to a copy: the presets themselves do not change', () => {
    const cfg = trainingConfig('modular-addition', 'quick', {
      epochs: 7,
      checkpointEvery: 2,
      batchSize: 64,
      learningRate: 0.5,
      model: { 'layer-norm': true },
    });
    expect(cfg).toMatchObject({
      epochs: 7,
      checkpointEvery: 2,
      batchSize: 64,
      optimizer: { learningRate: 0.5 },
      model: { layerNorm: true },
    });
    expect(presets('modular-addition').quick.epochs).toBe(1000);
    expect(presets('modular-addition').quick.optimizer.learningRate).toBe(5e-3);
    expect(presets('modular-addition').quick.model.layerNorm).toBe(false);
  });

  it('says what is wrong with a task, a preset or an override', () => {
    expect(() => trainingConfig('vision', 'paper')).toThrow(
      "unknown task 'vision'; tasks: modular-addition, sparse-parity",
    );
    expect(() => trainingConfig('sparse-parity', 'huge')).toThrow(
      "unknown preset 'huge' for sparse-parity; presets: paper, quick",
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { model: { 'layer-norm': true } })).toThrow(
      '--layer-norm applies to modular-addition only',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { epochs: 0 })).toThrow(
      'epochs must be a whole number ≥ 1, got 0',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { checkpointEvery: 1.5 })).toThrow(
      'checkpoint interval must be a whole number ≥ 1, got 1.5',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { batchSize: -3 })).toThrow(
      'batch size must be a whole number ≥ 1, got -3',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { learningRate: 0 })).toThrow(
      'learning rate must be a finite number > 0, got 0',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { learningRate: NaN })).toThrow(
      'learning rate must be a finite number > 0, got NaN',
    );
  });

  it('validateConfig refuses a negative or non-finite weight decay', () => {
    for (const wd of [-1, Infinity]) {
      const cfg = trainingConfig('sparse-parity', 'quick');
      cfg.optimizer.weightDecay = wd;
      expect(() => validateConfig(cfg)).toThrow(`weight decay must be finite and ≥ 0, got ${wd}`);
    }
  });
});
