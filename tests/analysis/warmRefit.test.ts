import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRuns, warmRefit } from '../../src/analysis/index.ts';
import { parseRunsCsv, type RunBundle } from '../../src/io/index.ts';

const root = resolve(import.meta.dirname, '../..');
const sample = parseRunsCsv(
  readFileSync(resolve(root, 'static/samples/synthetic-forking.csv'), 'utf8'),
  'synthetic-forking.csv',
);

/** The bundle as it stood after `n` checkpoints of every run: what the live lab holds mid-training. */
function firstCheckpoints(bundle: RunBundle, n: number): RunBundle {
  const b = structuredClone(bundle);
  for (const run of b.groups.flatMap((g) => g.runs))
    for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, n);
  return b;
}

describe('warmRefit: the live refit at the current K', () => {
  const options = { states: 4, restarts: 3, seed: 0, stabilityRestarts: 0 };
  const early = analyzeRuns(firstCheckpoints(sample, 120), options);

  it('refits at the previous K from its parameters, states matched to it, on the grown data', () => {
    const later = firstCheckpoints(sample, 200);
    const warm = warmRefit(later, early, { seed: 0 });
    expect(warm.refit?.mode).toBe('warm');
    expect(warm.selection.chosenK).toBe(4);
    expect(warm.runs.every((r) => !r.included || r.path?.length === 200)).toBe(true);
    // Matched states: on the checkpoints both decoded, the identities agree with the earlier decoding (whose
    // identities are its numbers) as well as any renumbering of the warm states could (all 4! permutations).
    const agreement = (perm: number[]) =>
      warm.runs.reduce((n, r, i) => n + (early.runs[i].path ?? []).filter((s, t) => s === perm[r.path![t]]).length, 0);
    expect(early.map.nodes.map((n) => n.identity)).toEqual([0, 1, 2, 3]);
    const byIdentity = agreement(warm.map.nodes.map((n) => n.identity));
    const best = Math.max(...permutations([0, 1, 2, 3]).map(agreement));
    expect(byIdentity).toBe(best);
    expect(byIdentity / early.runs.reduce((n, r) => n + r.path!.length, 0)).toBeGreaterThan(0.8);
    // Numbers read in time order at every refit: mean first visits never decrease with the state number.
    const firsts = warm.map.nodes.filter((n) => n.runs > 0).map((n) => n.meanFirstVisit);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    // Warm-started EM needs few iterations; a cold fit of the same K needs more than one.
    expect(warm.model.iterations).toBeLessThanOrEqual(early.model.iterations);
    // The earlier selection's curves are carried, not recomputed.
    expect(warm.selection.rows).toEqual(early.selection.rows);
    expect(Number.isFinite(warm.refit!.heldOutLogLikelihood)).toBe(true);
  });

  it('gives the same decoding as a full fit at that K would on the same data when the states are clear', () => {
    const later = firstCheckpoints(sample, 200);
    const warm = warmRefit(later, early, { seed: 0 });
    const cold = analyzeRuns(later, {
      ...options,
      previous: {
        params: early.model.params,
        features: early.features,
        paths: early.runs.map((r) => ({ key: r.key, path: r.path! })),
      },
    });
    const agree = warm.runs.reduce(
      (n, r, i) => n + (r.path ?? []).filter((s, t) => s === cold.runs[i].path?.[t]).length,
      0,
    );
    const total = warm.runs.reduce((n, r) => n + (r.path?.length ?? 0), 0);
    expect(agree / total).toBeGreaterThan(0.95);
    // Both carry the earlier report's identities the same way.
    expect(cold.map.nodes.map((n) => n.identity)).toEqual(warm.map.nodes.map((n) => n.identity));
  });

  it('refuses when the features changed, so the caller runs a full selection', () => {
    const fewer = { ...early, features: early.features.slice(1) };
    expect(() => warmRefit(firstCheckpoints(sample, 150), fewer, { seed: 0 })).toThrow(
      /cannot refit from the previous fit: the features changed/,
    );
  });
});

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
