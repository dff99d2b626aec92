/** The one data shape that crosses every boundary (SPEC §11): trainer output, imports, store, CLI, exports. */

export const RUN_BUNDLE_FORMAT = 'trainmap.runs/1';

import { METRIC_NAMES } from '../metrics/columns.ts';

/** The 14 weight metrics of SPEC §2, the default HMM features. */
export const DEFAULT_FEATURES = METRIC_NAMES;

/** Column name -> one value per checkpoint; `step` is required and strictly increasing. */
export type Checkpoints = { step: number[] } & Record<string, number[]>;

export interface Run {
  id: string;
  seed?: number | null;
  checkpoints: Checkpoints;
  /** Set by the trainer when the run's loss or weights became non-finite. */
  diverged?: { step: number; reason: string };
}

export interface RunGroup {
  name: string;
  config: Record<string, unknown>;
  runs: Run[];
}

export interface RunBundle {
  format: typeof RUN_BUNDLE_FORMAT;
  groups: RunGroup[];
  /** Present in an exported analysis: the fitted HMM, normalization constants and the map. */
  analysis?: unknown;
}

/** Checkpoints of the longest run: how far a (growing) bundle has got. */
export function longestRun(bundle: RunBundle): number {
  let n = 0;
  for (const g of bundle.groups) for (const r of g.runs) n = Math.max(n, r.checkpoints.step.length);
  return n;
}
