/** Modular addition (grokking; Nanda et al. 2023): the task's presets; the transformer loads on demand (model.ts). */
import { registerTask } from '../registry.ts';
import { MODADD_CPU, MODADD_PAPER, MODADD_QUICK, modularAdditionWorkload } from './data.ts';

const adamw = (learningRate: number, weightDecay: number) => ({
  kind: 'adamw' as const,
  learningRate,
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-8,
  weightDecay,
});

registerTask({
  name: 'modular-addition',
  title: 'Modular addition (one-layer transformer, grokking)',
  presets: {
    cpu: {
      description:
        'Grokking for a CPU, in about 3 minutes (p=29, 600 epochs): most seeds memorize the training pairs first, then some generalize early, some late and some not at all; the map forks when the run ends.',
      teaching: true,
      device: 'cpu',
      epochs: 600,
      checkpointEvery: 5,
      batchSize: 378,
      optimizer: adamw(0.02, 1.5),
      convergenceThreshold: 0.9,
      model: { ...MODADD_CPU },
    },
    quick: {
      description:
        'Grokking for a GPU, in a fraction of the paper’s compute (p=59, 1000 epochs): seeds memorize the training pairs first, then generalize at different times; watch the map fork.',
      teaching: true,
      device: 'gpu',
      epochs: 1000,
      checkpointEvery: 5,
      batchSize: 1392,
      optimizer: adamw(5e-3, 2.0),
      convergenceThreshold: 0.9,
      model: { ...MODADD_QUICK },
    },
    paper: {
      description:
        'The paper’s setting (p=113, 10,000 epochs): a forking map with detours (authors: K=6, R² 0.977); hours even on a GPU.',
      epochs: 10000,
      checkpointEvery: 10,
      batchSize: 2048,
      optimizer: adamw(1e-3, 1.0),
      convergenceThreshold: 0.9,
      model: { ...MODADD_PAPER },
    },
    stabilized: {
      description:
        'The paper’s stabilized variant: layer norm and batch 256; the authors report ~30× faster convergence and a linear 3-state map.',
      epochs: 10000,
      checkpointEvery: 10,
      batchSize: 256,
      optimizer: adamw(1e-3, 1.0),
      convergenceThreshold: 0.9,
      model: { ...MODADD_PAPER, layerNorm: true },
    },
  },
  modelSettings: { 'layer-norm': 'layerNorm' },
  loadModel: async () => (await import('./model.ts')).modularAdditionModel,
  workload: modularAdditionWorkload,
});
