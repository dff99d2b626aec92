/**
 * Seeded random numbers for everything random in Trainmap: the same seed gives the same stream on
 * every platform (only 32-bit integer ops and IEEE doubles are used, no Math.random).
 * Generator: sfc32, seeded through splitmix32; `derive` makes independent child streams by hashing
 * the seed with labels, so a run's split, init and batch order never depend on how many runs share a batch.
 */
export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal. */
  normal(): number;
  /** Gamma(shape, 1). */
  gamma(shape: number): number;
  /** One draw from Dirichlet(alpha). */
  dirichlet(alpha: readonly number[]): number[];
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array | Float64Array): void;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes a seed with labels into a new 32-bit seed (order-sensitive). */
export function deriveSeed(seed: number, ...labels: (number | string)[]): number {
  let h = splitmix32((seed >>> 0) ^ 0x5bd1e995)();
  for (const label of labels) {
    const parts =
      typeof label === 'number'
        ? [label >>> 0, Math.floor(label / 2 ** 32) >>> 0]
        : [...label].map((c) => c.charCodeAt(0));
    for (const p of parts) h = splitmix32((h ^ Math.imul(p + 0x27d4eb2f, 0x165667b1)) >>> 0)();
  }
  return h >>> 0;
}

export function createRng(seed: number, ...labels: (number | string)[]): Rng {
  const init = splitmix32(labels.length > 0 ? deriveSeed(seed, ...labels) : seed >>> 0);
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // Marsaglia's polar method: exact, no trigonometry.
    for (;;) {
      const u = 2 * next() - 1;
      const v = 2 * next() - 1;
      const r = u * u + v * v;
      if (r > 0 && r < 1) {
        const f = Math.sqrt((-2 * Math.log(r)) / r);
        spare = v * f;
        return u * f;
      }
    }
  };
  const logGamma = (shape: number): number => {
    // log of a Gamma(shape) draw; the boost for shape < 1 stays in log space so tiny draws never underflow.
    if (shape < 1) return logGamma(shape + 1) + Math.log(1 - next()) / shape;
    const d0 = shape - 1 / 3;
    const c0 = 1 / Math.sqrt(9 * d0);
    for (;;) {
      let x: number, v: number;
      do {
        x = normal();
        v = 1 + c0 * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d0 - d0 * v + d0 * Math.log(v)) return Math.log(d0 * v);
    }
  };
  const rng: Rng = {
    next,
    nextUint32,
    int(n: number): number {
      if (!(n >= 1)) throw new Error(`rng.int needs n >= 1, got ${n}`);
      return Math.floor(next() * n);
    },
    normal,
    gamma: (shape: number) => Math.exp(logGamma(shape)),
    dirichlet(alpha: readonly number[]): number[] {
      const logs = alpha.map((a) => logGamma(a));
      const m = Math.max(...logs);
      const w = logs.map((l) => Math.exp(l - m));
      const s = w.reduce((p, q) => p + q, 0);
      return w.map((x) => x / s);
    },
    shuffle(items): void {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t as never;
      }
    },
  };
  return rng;
}
