import { describe, expect, it } from 'vitest';
import { kMeans, kMeansPlusPlus } from '../../../src/analysis/hmm/kmeans.ts';
import { createRng } from '../../../src/numeric/rng.ts';

/** n points around each of the given centers, N(0, spread²) per coordinate; returns the data and true labels. */
function blobs(centers: number[][], n: number, spread: number, seed: number): { data: Float64Array; labels: number[] } {
  const rng = createRng(seed, 'blobs');
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let t = 0; t < n * centers.length; t++) {
    const c = t % centers.length;
    rows.push(centers[c].map((m) => m + spread * rng.normal()));
    labels.push(c);
  }
  return { data: Float64Array.from(rows.flat()), labels };
}

function sqDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

const row = (x: Float64Array, i: number, d: number) => x.subarray(i * d, (i + 1) * d);

/** Inertia of the data against given centers, each point to its nearest center. */
function inertiaOf(data: Float64Array, n: number, d: number, centers: Float64Array, k: number): number {
  let s = 0;
  for (let t = 0; t < n; t++)
    s += Math.min(...Array.from({ length: k }, (_, c) => sqDist(row(data, t, d), row(centers, c, d))));
  return s;
}

describe('kMeans', () => {
  it('recovers well-separated clusters: one center near each true mean, inertia that of the true partition', () => {
    const truth = [
      [0, 0, 0],
      [10, 0, -5],
      [-8, 12, 3],
      [4, -9, 9],
    ];
    const d = 3;
    const { data, labels } = blobs(truth, 50, 0.5, 1);
    const n = labels.length;
    const res = kMeans(data, n, d, 4, createRng(2));
    const matched = new Set<number>();
    for (const m of truth) {
      const c = [0, 1, 2, 3].reduce(
        (best, c) => (sqDist(row(res.centers, c, d), m) < sqDist(row(res.centers, best, d), m) ? c : best),
        0,
      );
      expect(sqDist(row(res.centers, c, d), m)).toBeLessThan(0.1);
      matched.add(c);
    }
    expect(matched.size).toBe(4);
    // With the true partition, the centers are the cluster means and the inertia is the within-cluster sum of squares.
    let within = 0;
    for (let c = 0; c < 4; c++) {
      const members = labels.flatMap((l, t) => (l === c ? [t] : []));
      const mean = [0, 1, 2].map((j) => members.reduce((s, t) => s + data[t * d + j], 0) / members.length);
      within += members.reduce((s, t) => s + sqDist(row(data, t, d), mean), 0);
    }
    expect(res.inertia).toBeCloseTo(within, 8);
    expect(res.iterations).toBeGreaterThanOrEqual(1);
  });

  it('returns a Lloyd fixed point: every center is the mean of the points nearest to it, and inertia matches', () => {
    const rng = createRng(7);
    const n = 300;
    const d = 4;
    const data = Float64Array.from({ length: n * d }, () => rng.normal());
    const k = 5;
    const res = kMeans(data, n, d, k, createRng(8), 1, 1000);
    expect(res.inertia).toBeCloseTo(inertiaOf(data, n, d, res.centers, k), 8);
    const sums = new Float64Array(k * d);
    const counts = new Array(k).fill(0);
    for (let t = 0; t < n; t++) {
      let best = 0;
      for (let c = 1; c < k; c++)
        if (sqDist(row(data, t, d), row(res.centers, c, d)) < sqDist(row(data, t, d), row(res.centers, best, d)))
          best = c;
      counts[best]++;
      for (let j = 0; j < d; j++) sums[best * d + j] += data[t * d + j];
    }
    // Lloyd stops when centers move less than 1e-4 × the mean variance (squared), so they sit within ~1e-2 of the means.
    for (let c = 0; c < k; c++) {
      expect(counts[c]).toBeGreaterThan(0);
      for (let j = 0; j < d; j++)
        expect(Math.abs(res.centers[c * d + j] - sums[c * d + j] / counts[c])).toBeLessThan(2e-2);
    }
  });

  it('best of several initializations is never worse than the first of them alone (same random stream)', () => {
    const rng = createRng(3);
    const n = 200;
    const d = 2;
    const data = Float64Array.from({ length: n * d }, () => rng.normal());
    for (let seed = 0; seed < 10; seed++) {
      const one = kMeans(data, n, d, 6, createRng(seed, 'km'), 1);
      const many = kMeans(data, n, d, 6, createRng(seed, 'km'), 6);
      expect(many.inertia).toBeLessThanOrEqual(one.inertia);
    }
  });

  it('is deterministic in its random stream', () => {
    const { data, labels } = blobs([[0], [3], [9]], 20, 1, 4);
    const a = kMeans(data, labels.length, 1, 3, createRng(5));
    const b = kMeans(data, labels.length, 1, 3, createRng(5));
    expect(b).toEqual(a);
  });

  it('k = 1 gives the mean and the total sum of squares; k = n gives zero inertia', () => {
    const data = Float64Array.from([1, 2, 3, 5, 8, 13]);
    const one = kMeans(data, 3, 2, 1, createRng(1));
    // points (1, 2), (3, 5), (8, 13): mean (4, 20/3); sum of squares 26 in x and 198 − 3·(20/3)² in y
    expect(one.centers[0]).toBeCloseTo(4, 14);
    expect(one.centers[1]).toBeCloseTo(20 / 3, 14);
    expect(one.inertia).toBeCloseTo(26 + 198 - 400 / 3, 10);
    const all = kMeans(data, 3, 2, 3, createRng(1));
    expect(all.inertia).toBe(0);
  });

  it('identical points (zero variance, empty clusters) give finite centers and zero inertia', () => {
    const data = new Float64Array(20).fill(2.5);
    const res = kMeans(data, 10, 2, 3, createRng(1));
    expect(Array.from(res.centers)).toEqual(new Array(6).fill(2.5));
    expect(res.inertia).toBe(0);
  });

  it('refuses more clusters than points with a message', () => {
    expect(() => kMeans(new Float64Array(4), 2, 2, 3, createRng(0))).toThrow('k-means needs at least 3 points, got 2');
  });
});

describe('kMeansPlusPlus', () => {
  it('picks k distinct data points as centers, spread over separated clusters', () => {
    const truth = [
      [0, 0],
      [50, 0],
      [0, 50],
      [50, 50],
    ];
    const { data, labels } = blobs(truth, 25, 1, 9);
    const n = labels.length;
    for (let seed = 0; seed < 10; seed++) {
      const centers = kMeansPlusPlus(data, n, 2, 4, createRng(seed));
      const picked = [0, 1, 2, 3].map((c) => {
        const t = labels.findIndex((_, i) => sqDist(row(data, i, 2), row(centers, c, 2)) === 0);
        expect(t, `center ${c} is a data point`).toBeGreaterThanOrEqual(0);
        return labels[t];
      });
      // Greedy D² sampling lands one seed in each far-apart cluster.
      expect(new Set(picked).size).toBe(4);
    }
  });
});
