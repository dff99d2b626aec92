/** Small recordings for the replay tests: runs sampled from a known forking HMM, and a hand-made bundle. */
import { analyzeRuns, warmRefit, type AnalyzeOptions } from '../../src/analysis/index.ts';
import type { AnalysisPort } from '../../src/replay/replayLive.ts';
import type { RunBundle } from '../../src/io/index.ts';
import { sampledBundle, shapedHmm } from '../helpers/sampledRuns.ts';

/** 30 runs × 16 checkpoints from a 4-state HMM that forks (0 → 1 → 3 or 0 → 2 → 3). */
export function forkingRecording(): RunBundle {
  return sampledBundle(shapedHmm('forking', 3, 11), 30, 16, 5);
}

/** Cheap but real analysis options for those runs. */
export const REPLAY_OPTIONS: AnalyzeOptions = {
  features: ['f0', 'f1', 'f2'],
  restarts: 2,
  kMax: 5,
  stabilityRestarts: 0,
  seed: 3,
};

/** Two groups, runs of different lengths, a diverged run and an extra column. */
export function ragged(): RunBundle {
  const run = (id: string, steps: number[], diverged?: number) => ({
    id,
    seed: null,
    checkpoints: Object.assign(Object.create(null), {
      step: steps,
      l2: steps.map((s) => s / 10),
      fourier_3: steps.map((s) => s / 100),
    }),
    ...(diverged !== undefined ? { diverged: { step: diverged, reason: 'l2 not finite' } } : {}),
  });
  return {
    format: 'trainmap.runs/1',
    groups: [
      { name: 'a', config: { x: 1 }, runs: [run('r0', [10, 20, 30, 40]), run('r1', [10, 20], 20)] },
      { name: 'b', config: {}, runs: [run('r0', [5, 20, 35])] },
    ],
    analysis: { stale: true },
  };
}

/** The live path's two analyses, run in this thread on a copy of the data as they stand (as a worker gets them). */
export const inProcess: AnalysisPort = {
  full: async (bundle, options) => analyzeRuns(structuredClone(bundle), options),
  warm: async (bundle, previous, options) => warmRefit(structuredClone(bundle), previous, options),
};
