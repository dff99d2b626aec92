/** The one data shape that crosses every boundary (method.md §14): trainer output, imports, store, CLI, exports. */

export const RUN_BUNDLE_FORMAT = 'trainmap.runs/1';

import { METRIC_NAMES } from '../metrics/columns.ts';

/** The 14 weight metrics of method.md §3, the default HMM features. */
export const DEFAULT_FEATURES = METRIC_NAMES;

/**
 * Column name -> one value per checkpoint; `step` is required and strictly increasing. A column may have any
 * name, `__proto__`, `constructor` or `toString` included: readers build checkpoints with `newCheckpoints()`
 * (no prototype, so such a name is an ordinary key) and code looks columns up with `column()`/`hasColumn()`
 * (own keys only, so an object literal's inherited members are never mistaken for columns).
 */
export type Checkpoints = { step: number[] } & Record<string, number[]>;

/** An empty set of columns that holds any name as a plain key. */
export function newCheckpoints(): Checkpoints {
  return Object.create(null) as Checkpoints;
}

export function hasColumn(cp: Checkpoints, name: string): boolean {
  return Object.hasOwn(cp, name);
}

/** The column called `name`, or undefined when the run has none (never an inherited member). */
export function column(cp: Checkpoints, name: string): number[] | undefined {
  return Object.hasOwn(cp, name) ? cp[name] : undefined;
}

/** Something a reader changed while reading, for the analysis to pass on (never written to a file). */
export interface BundleNote {
  kind: 'steps-reordered';
  group: string;
  run: string;
  /** A sentence, already safe to show (safeText). */
  message: string;
}

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
  /** What the reader changed (rows re-sorted by step); in memory only, the writers leave it out. */
  notes?: BundleNote[];
}

/** Checkpoints of the longest run: how far a (growing) bundle has got. */
export function longestRun(bundle: RunBundle): number {
  let n = 0;
  for (const g of bundle.groups) for (const r of g.runs) n = Math.max(n, r.checkpoints.step.length);
  return n;
}
