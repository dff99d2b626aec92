import type { Rng } from '../../numeric/rng.ts';

export interface KMeansResult {
  centers: Float64Array; // K×D
  inertia: number;
  iterations: number;
}

/**
 * Lloyd's k-means with greedy k-means++ seeding (2 + ln K candidates per center, as scikit-learn),
 * stopping when the centers move less than 1e-4 × the mean feature variance. Best of `nInit` runs.
 */
export function kMeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  nInit = 2,
  maxIter = 100,
): KMeansResult {
  if (k > n) throw new Error(`k-means needs at least ${k} points, got ${n}`);
  const tol = 1e-4 * meanVariance(data, n, d);
  let best: KMeansResult | null = null;
  for (let r = 0; r < nInit; r++) {
    const res = lloyd(data, n, d, kMeansPlusPlus(data, n, d, k, rng), k, tol, maxIter);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

function meanVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let t = 0; t < n; t++) m += data[t * d + j];
    m /= n;
    let v = 0;
    for (let t = 0; t < n; t++) v += (data[t * d + j] - m) ** 2;
    total += v / n;
  }
  return total / d;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const x = a[ao + j] - b[bo + j];
    s += x * x;
  }
  return s;
}

export function kMeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let t = 0; t < n; t++) pot += closest[t] = sqDist(data, t * d, centers, 0, d);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestIdx = -1;
    for (let trial = 0; trial < trials; trial++) {
      // Sample a point with probability proportional to its squared distance to the nearest center.
      let target = rng.next() * pot;
      let idx = n - 1;
      for (let t = 0; t < n; t++) {
        target -= closest[t];
        if (target < 0) {
          idx = t;
          break;
        }
      }
      if (pot === 0) idx = rng.int(n);
      let newPot = 0;
      for (let t = 0; t < n; t++) {
        const v = Math.min(closest[t], sqDist(data, t * d, data, idx * d, d));
        candidateDist[t] = v;
        newPot += v;
      }
      if (newPot < bestPot) {
        bestPot = newPot;
        bestIdx = idx;
        bestDist.set(candidateDist);
      }
    }
    centers.set(data.subarray(bestIdx * d, bestIdx * d + d), c * d);
    closest.set(bestDist);
    pot = bestPot;
  }
  return centers;
}

function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  tol: number,
  maxIter: number,
): KMeansResult {
  const label = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let it = 0;
  for (; it < maxIter; it++) {
    assign(data, n, d, centers, k, label);
    sums.fill(0);
    counts.fill(0);
    for (let t = 0; t < n; t++) {
      const c = label[t];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += data[t * d + j];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // An empty cluster takes the point farthest from its center, as scikit-learn does.
        const far = farthestPoint(data, n, d, centers, label);
        for (let j = 0; j < d; j++) sums[c * d + j] = data[far * d + j];
        counts[c] = 1;
      }
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        shift += (v - centers[c * d + j]) ** 2;
        centers[c * d + j] = v;
      }
    }
    if (shift <= tol) {
      it++;
      break;
    }
  }
  const inertia = assign(data, n, d, centers, k, label);
  return { centers, inertia, iterations: it };
}

function assign(data: Float64Array, n: number, d: number, centers: Float64Array, k: number, label: Int32Array): number {
  let inertia = 0;
  for (let t = 0; t < n; t++) {
    let best = Infinity;
    let bi = 0;
    for (let c = 0; c < k; c++) {
      const v = sqDist(data, t * d, centers, c * d, d);
      if (v < best) {
        best = v;
        bi = c;
      }
    }
    label[t] = bi;
    inertia += best;
  }
  return inertia;
}

function farthestPoint(data: Float64Array, n: number, d: number, centers: Float64Array, label: Int32Array): number {
  let best = -1;
  let bi = 0;
  for (let t = 0; t < n; t++) {
    const v = sqDist(data, t * d, centers, label[t] * d, d);
    if (v > best) {
      best = v;
      bi = t;
    }
  }
  return bi;
}
