import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/numeric/rng.ts';

/**
 * First outputs of nextUint32, from an independent Python transcription of splitmix32 → sfc32 (12 discarded
 * outputs) and of deriveSeed's label hashing. They pin the stream: a change here changes every seeded result.
 */
const GOLDEN: { args: [number, ...(number | string)[]]; first: number[] }[] = [
  { args: [0], first: [4205396811, 3543653536, 1222415357, 3047368389, 387095348] },
  { args: [42], first: [1028872839, 2516511472, 400437680, 853279530, 1920286840] },
  { args: [42, 'split', 7], first: [3181951363, 2067985021, 1062429836, 4244651813, 3086678501] },
  { args: [2 ** 32 + 5], first: [2829050452, 2860774583, 3790325044, 3576815003, 1587314800] },
];

describe('createRng', () => {
  for (const g of GOLDEN) {
    it(`reproduces the reference stream for createRng(${g.args.map((a) => JSON.stringify(a)).join(', ')})`, () => {
      const rng = createRng(...g.args);
      expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual(g.first);
    });
  }

  it('seeds are taken modulo 2^32 (2^32 + 5 is seed 5)', () => {
    const a = createRng(2 ** 32 + 5);
    const b = createRng(5);
    expect(Array.from({ length: 8 }, () => a.next())).toEqual(Array.from({ length: 8 }, () => b.next()));
  });

  it('next() is built from two outputs with 53 random bits, in [0, 1)', () => {
    const ref = createRng(123);
    const [u0, u1, u2, u3] = Array.from({ length: 4 }, () => ref.nextUint32());
    const rng = createRng(123);
    expect(rng.next()).toBe(((u0 >>> 5) * 67108864 + (u1 >>> 6)) / 2 ** 53);
    expect(rng.next()).toBe(((u2 >>> 5) * 67108864 + (u3 >>> 6)) / 2 ** 53);
    expect(createRng(123).next()).toBe(0.14654769968514036); // the Python transcription's value
    let oddLowBit = 0;
    for (let i = 0; i < 10000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const scaled = x * 2 ** 53;
      expect(Number.isInteger(scaled)).toBe(true);
      oddLowBit += scaled % 2;
    }
    // The lowest of the 53 bits is random too (a 32-bit generator scaled to [0,1) would leave it 0).
    expect(oddLowBit).toBeGreaterThan(4700);
    expect(oddLowBit).toBeLessThan(5300);
  });

  it('the same seed and labels give the same stream; another seed or label another one', () => {
    const draw = (...args: [number, ...(number | string)[]]) => {
      const r = createRng(...args);
      return Array.from({ length: 16 }, () => r.nextUint32());
    };
    expect(draw(9, 'init', 3)).toEqual(draw(9, 'init', 3));
    expect(draw(9, 'init', 3)).not.toEqual(draw(9, 'init', 4));
    expect(draw(9, 'init', 3)).not.toEqual(draw(10, 'init', 3));
    expect(draw(9, 'init')).not.toEqual(draw(9));
    // Labels are the same as deriving the seed first.
    expect(draw(9, 'init', 3)).toEqual(draw(deriveSeed(9, 'init', 3)));
  });

  it('int(n) is uniform on 0..n−1 and rejects n < 1 with a message', () => {
    const rng = createRng(5);
    const counts = new Array(7).fill(0);
    const draws = 70000;
    for (let i = 0; i < draws; i++) {
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      counts[k]++;
    }
    // χ² with 6 degrees of freedom: 22.5 is the 0.999 quantile.
    const chi2 = counts.reduce((s, c) => s + (c - draws / 7) ** 2 / (draws / 7), 0);
    expect(chi2).toBeLessThan(22.5);
    expect(createRng(1).int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow('rng.int needs n >= 1, got 0');
    expect(() => rng.int(NaN)).toThrow('rng.int needs n >= 1, got NaN');
  });

  it('normal() has mean 0, variance 1, and the normal share within one and two standard deviations', () => {
    const rng = createRng(11);
    const n = 100000;
    let s = 0,
      s2 = 0,
      s4 = 0,
      in1 = 0,
      in2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) < 1) in1++;
      if (Math.abs(z) < 2) in2++;
    }
    // Tolerances are about 5 standard errors for n = 1e5.
    expect(Math.abs(s / n)).toBeLessThan(0.016);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.023);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.17);
    expect(Math.abs(in1 / n - 0.6826894921)).toBeLessThan(0.0075);
    expect(Math.abs(in2 / n - 0.9544997361)).toBeLessThan(0.0035);
  });

  for (const shape of [0.05, 0.5, 1, 3.7, 40]) {
    it(`gamma(${shape}) has mean and variance ${shape}, and is positive`, () => {
      const rng = createRng(3, 'gamma', shape);
      const n = 60000;
      let s = 0,
        s2 = 0;
      for (let i = 0; i < n; i++) {
        const g = rng.gamma(shape);
        expect(g).toBeGreaterThanOrEqual(0);
        s += g;
        s2 += g * g;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      // SE of the mean is sqrt(shape/n); of the variance about sqrt((2 shape² + 6 shape)/n) (4th cumulant 6·shape).
      expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
      expect(Math.abs(variance - shape)).toBeLessThan(6 * Math.sqrt((2 * shape * shape + 6 * shape) / n));
    });
  }

  it('dirichlet draws sum to 1 with the right means, even for tiny concentrations that underflow a plain Gamma draw', () => {
    const rng = createRng(8);
    const alpha = [0.5, 1, 2.5];
    const mean = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const w = rng.dirichlet(alpha);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      w.forEach((x, j) => (mean[j] += x / n));
    }
    mean.forEach((m, j) => expect(Math.abs(m - alpha[j] / 4)).toBeLessThan(0.01));
    for (let i = 0; i < 200; i++) {
      const w = rng.dirichlet([1e-3, 1e-3, 1e-3, 1e-3]);
      expect(w.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    }
  });

  it('shuffle permutes plain and typed arrays in place, each of the 6 orders of 3 items equally often', () => {
    const rng = createRng(21);
    const counts = new Map<string, number>();
    const n = 60000;
    for (let i = 0; i < n; i++) {
      const a = ['a', 'b', 'c'];
      rng.shuffle(a);
      counts.set(a.join(''), (counts.get(a.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5); // 0.999 quantile of χ² with 5 degrees of freedom
    for (const arr of [
      new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]),
      new Float64Array([0.5, 1.5, 2.5, 3.5, 4.5]),
      new Uint32Array([9, 8, 7]),
    ]) {
      const before = Array.from(arr as ArrayLike<number>).sort();
      rng.shuffle(arr);
      expect(Array.from(arr as ArrayLike<number>).sort()).toEqual(before);
    }
    const empty: number[] = [];
    rng.shuffle(empty);
    expect(empty).toEqual([]);
  });
});

describe('deriveSeed', () => {
  it('matches the Python transcription and is order-sensitive', () => {
    expect(deriveSeed(7, 'a')).toBe(2688357656);
    expect(deriveSeed(7, 'a', 'b')).toBe(1697823357);
    expect(deriveSeed(7, 'b', 'a')).toBe(312140932);
    expect(deriveSeed(7, 3)).toBe(1340390384);
  });

  it('numeric labels keep their high bits (3 and 3 + 2^32 differ) and the result is an unsigned 32-bit integer', () => {
    expect(deriveSeed(7, 3 + 2 ** 32)).toBe(788667687);
    expect(deriveSeed(7, 3 + 2 ** 32)).not.toBe(deriveSeed(7, 3));
    for (let s = 0; s < 100; s++) {
      const h = deriveSeed(s, 'x', s);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });

  it('spreads nearby seeds: 1000 consecutive seeds give 1000 distinct derived seeds', () => {
    expect(new Set(Array.from({ length: 1000 }, (_, s) => deriveSeed(s, 'batch-order'))).size).toBe(1000);
  });
});
