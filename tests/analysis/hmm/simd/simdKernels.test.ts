import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EStepWorkspace,
  NEGLIGIBLE_SHARE,
  accumulateMoments,
  emptyStats,
  expectationStep,
} from '../../../../src/analysis/hmm/estep.ts';
import { ForwardBackwardWorkspace, forwardBackward } from '../../../../src/analysis/hmm/forwardBackward.ts';
import { factorGaussians, gaussianLogDensities, type GaussianFactors } from '../../../../src/analysis/hmm/gaussian.ts';
import { packSequences } from '../../../../src/analysis/hmm/observations.ts';
import type { FlatParams, HMMParams } from '../../../../src/analysis/hmm/types.ts';
import { KERNELS_WASM_BASE64 } from '../../../../src/analysis/hmm/simd/kernelsWasm.ts';
import { simdKernels, type SimdWorkspace } from '../../../../src/analysis/hmm/simd/simdKernels.ts';
import { fixtureRoot } from '../../../helpers/fixtures.ts';

const REL = 1e-12;

/** Deterministic uniform [0, 1) stream (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

function randomFactors(k: number, d: number, u: () => number): GaussianFactors {
  const means = Float64Array.from({ length: k * d }, () => 4 * u() - 2);
  const covars = new Float64Array(k * d * d);
  for (let s = 0; s < k; s++) {
    const a = Float64Array.from({ length: d * d }, () => u() - 0.5);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = 0;
        for (let m = 0; m < d; m++) v += a[i * d + m] * a[j * d + m];
        covars[s * d * d + i * d + j] = v + (i === j ? 0.3 + u() : 0);
      }
    }
  }
  return factorGaussians(k, d, means, covars);
}

/** Posteriors with exact zeros and near-zeros, so that some 4-row blocks fall under the skip threshold. */
function randomGamma(n: number, k: number, u: () => number): Float64Array {
  const g = new Float64Array(n * k);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const r = u();
      s += g[t * k + i] = r < 0.3 ? 0 : r < 0.4 ? 1e-30 * u() : u();
    }
    if (s === 0) g[t * k] = 1;
    else for (let i = 0; i < k; i++) g[t * k + i] /= s;
  }
  return g;
}

/** max over i of |a_i − b_i| / scale_i, with scale_i = max(|a_i|, |b_i|, floor). */
function maxRelDiff(a: Float64Array, b: Float64Array, floor = 0): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]), floor);
    const r = Math.abs(a[i] - b[i]) / scale;
    worst = Math.max(worst, Number.isNaN(r) ? Infinity : r);
  }
  return worst;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function bitEqual(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const simd = simdKernels();

describe('SIMD kernels: availability', () => {
  it('the embedded module validates and Node 20 supports WebAssembly SIMD', () => {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(simd).not.toBeNull();
  });

  it('the embedded module is the build of kernels.wat (run npx tsx scripts/build-simd.ts after editing it)', async () => {
    const { createHash } = await import('node:crypto');
    const { KERNELS_SOURCE_SHA256 } = await import('../../../../src/analysis/hmm/simd/kernelsWasm.ts');
    const src = readFileSync(join(import.meta.dirname, '../../../../src/analysis/hmm/simd/kernels.wat'), 'utf8');
    expect(createHash('sha256').update(src).digest('hex').slice(0, 16)).toBe(KERNELS_SOURCE_SHA256);
  });
});

describe('SIMD gaussianLogDensities matches gaussian.ts', () => {
  it('every D in 1..20, K in 1..8, N around the 8-row block, with offsets', () => {
    const u = rng(1);
    let worst = 0;
    let cases = 0;
    for (let d = 1; d <= 20; d++) {
      for (let k = 1; k <= 8; k++) {
        const n = [1, 7, 8, 9, 23, 64, 67][(d + k) % 7];
        const data = Float64Array.from({ length: n * d }, () => 6 * u() - 3);
        const g = randomFactors(k, d, u);
        const ws = simd!.createWorkspace(data, n, d);
        ws.setGaussians(g);
        const ranges: [number, number][] = [
          [0, n],
          [n - 1, 1],
          [Math.floor(n / 3), n - Math.floor(n / 3)],
          [1, Math.max(0, n - 2)],
        ];
        for (const [row0, count] of ranges) {
          if (row0 < 0 || count < 0 || row0 + count > n) continue;
          const js = new Float64Array(count * k);
          const wasm = new Float64Array(count * k).fill(NaN);
          gaussianLogDensities(g, data, row0, count, js);
          ws.logDensities(row0, count, wasm);
          worst = Math.max(worst, maxRelDiff(js, wasm));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
    expect(worst).toBeLessThanOrEqual(REL);
  });

  it('writes only count×K values of out', () => {
    const u = rng(2);
    const d = 5;
    const k = 3;
    const n = 13;
    const data = Float64Array.from({ length: n * d }, () => u());
    const ws = simd!.createWorkspace(data, n, d);
    const out = new Float64Array(20 * k).fill(7);
    ws.gaussianLogDensities(randomFactors(k, d, u), 2, 11, out);
    expect(out.subarray(0, 11 * k).every((v) => v !== 7)).toBe(true);
    expect(out.subarray(11 * k).every((v) => v === 7)).toBe(true);
  });

  it('rejects rows outside the workspace and mismatched factors', () => {
    const u = rng(3);
    const ws = simd!.createWorkspace(new Float64Array(10 * 3), 10, 3);
    expect(() => ws.logDensities(0, 1, new Float64Array(3))).toThrow(/setGaussians/);
    ws.setGaussians(randomFactors(2, 3, u));
    expect(() => ws.logDensities(5, 6, new Float64Array(12))).toThrow(/outside/);
    expect(() => ws.logDensities(0, 4, new Float64Array(7))).toThrow(/out holds/);
    expect(() => ws.setGaussians(randomFactors(2, 4, u))).toThrow(/features/);
  });
});

describe('SIMD accumulateMoments matches estep.ts', () => {
  it('every D in 1..20, K in 1..8, N not a multiple of 4, with skipped blocks, onto non-zero sums', () => {
    const u = rng(4);
    let worst = 0;
    for (let d = 1; d <= 20; d++) {
      for (let k = 1; k <= 8; k++) {
        const n = [1, 3, 4, 5, 17, 38, 61][(d * 3 + k) % 7];
        const data = Float64Array.from({ length: n * d }, () => 6 * u() - 3);
        const gamma = randomGamma(n, k, u);
        const post = new Float64Array(k);
        for (let t = 0; t < n; t++) for (let i = 0; i < k; i++) post[i] += gamma[t * k + i];
        // a high threshold for some states so whole blocks are skipped; the usual one for the rest
        const negligible = post.map((p, i) => (i % 3 === 1 ? 0.2 * p : NEGLIGIBLE_SHARE * p));
        const obs0 = Float64Array.from({ length: k * d }, () => u());
        const oo0 = Float64Array.from({ length: k * d * d }, () => u());
        const [obsJ, ooJ, obsW, ooW] = [obs0.slice(), oo0.slice(), obs0.slice(), oo0.slice()];
        accumulateMoments(data, n, gamma, k, d, obsJ, ooJ, negligible);
        const ws = simd!.createWorkspace(data, n, d);
        ws.accumulateMoments(gamma, k, negligible, obsW, ooW);
        worst = Math.max(worst, maxRelDiff(obsJ, obsW, maxAbs(obsJ)), maxRelDiff(ooJ, ooW, maxAbs(ooJ)));
        // bit-identical to the JS loop, and the upper triangle is left alone
        expect(bitEqual(obsJ, obsW) && bitEqual(ooJ, ooW), `D=${d} K=${k} N=${n}`).toBe(true);
      }
    }
    expect(worst).toBeLessThanOrEqual(REL);
  });

  it('a workspace serves fits with different K, growing its memory', () => {
    const u = rng(5);
    const d = 7;
    const n = 1003;
    const data = Float64Array.from({ length: n * d }, () => u() - 0.5);
    const ws = simd!.createWorkspace(data, n, d);
    for (const k of [2, 8, 3, 12]) {
      const gamma = randomGamma(n, k, u);
      const negligible = new Float64Array(k);
      const [obsJ, ooJ, obsW, ooW] = [
        new Float64Array(k * d),
        new Float64Array(k * d * d),
        new Float64Array(k * d),
        new Float64Array(k * d * d),
      ];
      accumulateMoments(data, n, gamma, k, d, obsJ, ooJ, negligible);
      ws.accumulateMoments(gamma, k, negligible, obsW, ooW);
      expect(bitEqual(obsJ, obsW) && bitEqual(ooJ, ooW), `K=${k}`).toBe(true);
      const g = randomFactors(k, d, u);
      const js = new Float64Array(n * k);
      const wasm = new Float64Array(n * k);
      gaussianLogDensities(g, data, 0, n, js);
      ws.gaussianLogDensities(g, 0, n, wasm);
      expect(bitEqual(js, wasm), `K=${k}`).toBe(true);
    }
  });
});

describe('SIMD kernels at large D', () => {
  it('D up to 64: densities and moments', () => {
    const u = rng(8);
    for (const d of [31, 32, 33, 47, 63, 64]) {
      for (const [k, n] of [
        [1, 9],
        [5, 21],
        [3, 70],
      ]) {
        const data = Float64Array.from({ length: n * d }, () => 4 * u() - 2);
        const g = randomFactors(k, d, u);
        const ws = simd!.createWorkspace(data, n, d);
        const js = new Float64Array(n * k);
        const wasm = new Float64Array(n * k);
        gaussianLogDensities(g, data, 0, n, js);
        ws.gaussianLogDensities(g, 0, n, wasm);
        expect(maxRelDiff(js, wasm), `densities D=${d} K=${k}`).toBeLessThanOrEqual(REL);
        const gamma = randomGamma(n, k, u);
        const negligible = new Float64Array(k).fill(1e-3);
        const [obsJ, ooJ, obsW, ooW] = [
          new Float64Array(k * d),
          new Float64Array(k * d * d),
          new Float64Array(k * d),
          new Float64Array(k * d * d),
        ];
        accumulateMoments(data, n, gamma, k, d, obsJ, ooJ, negligible);
        ws.accumulateMoments(gamma, k, negligible, obsW, ooW);
        expect(
          Math.max(maxRelDiff(obsJ, obsW, maxAbs(obsJ)), maxRelDiff(ooJ, ooW, maxAbs(ooJ))),
          `moments D=${d} K=${k}`,
        ).toBeLessThanOrEqual(REL);
      }
    }
  });
});

describe('SIMD forwardBackward matches forwardBackward.ts', () => {
  function randomChain(k: number, u: () => number): { startprob: Float64Array; transmat: Float64Array } {
    const startprob = Float64Array.from({ length: k }, () => u() + 0.01);
    const s = startprob.reduce((a, b) => a + b, 0);
    startprob.forEach((v, i) => (startprob[i] = v / s));
    const transmat = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      let r = 0;
      for (let j = 0; j < k; j++) r += transmat[i * k + j] = (i === j ? 5 : 0) + (u() < 0.2 ? 0 : u());
      for (let j = 0; j < k; j++) transmat[i * k + j] /= r;
    }
    return { startprob, transmat };
  }

  function compare(
    ws: SimdWorkspace,
    logB: Float64Array,
    len: number,
    k: number,
    startprob: Float64Array,
    transmat: Float64Array,
  ): number {
    const gJ = new Float64Array(len * k);
    const gW = new Float64Array(len * k).fill(NaN);
    const xiJ = Float64Array.from({ length: k * k }, (_, i) => i / 7);
    const xiW = xiJ.slice();
    const rJ = forwardBackward(logB, len, startprob, transmat, gJ, xiJ, new ForwardBackwardWorkspace(len, k));
    const rW = ws.forwardBackward(logB, len, startprob, transmat, gW, xiW);
    expect(rW.usedLogSpace).toBe(rJ.usedLogSpace);
    const ll = maxRelDiff(Float64Array.of(rJ.logLikelihood), Float64Array.of(rW.logLikelihood));
    // and without ξ
    const gW2 = new Float64Array(len * k);
    const rW2 = ws.forwardBackward(logB, len, startprob, transmat, gW2, null);
    expect(rW2.logLikelihood).toBe(rW.logLikelihood);
    expect(bitEqual(gW2, gW)).toBe(true);
    return Math.max(ll, maxRelDiff(gJ, gW, 1e-300), maxRelDiff(xiJ, xiW, maxAbs(xiJ)));
  }

  it('K in 1..8, lengths 1..300, ordinary and extreme emissions', () => {
    const u = rng(6);
    let worst = 0;
    const ws = simd!.createWorkspace(new Float64Array(400), 400, 1);
    for (let k = 1; k <= 8; k++) {
      for (const len of [1, 2, 3, 10, 77, 300]) {
        const { startprob, transmat } = randomChain(k, u);
        const spread = [1, 30, 800][(k + len) % 3]; // 800: exp underflows to 0 for far states
        const logB = Float64Array.from({ length: len * k }, () => -spread * u() - 20);
        worst = Math.max(worst, compare(ws, logB, len, k, startprob, transmat));
      }
    }
    expect(worst).toBeLessThanOrEqual(REL);
  });

  it('falls back to log space exactly where the JS version does', () => {
    const ws = simd!.createWorkspace(new Float64Array(8), 8, 1);
    const k = 2;
    const transmat = Float64Array.from([0.9, 0.1, 0.2, 0.8]);
    // a row with no finite maximum
    const a = Float64Array.from([0, -1, -Infinity, -Infinity, -2, -1]);
    expect(compare(ws, a, 3, k, Float64Array.from([0.5, 0.5]), transmat)).toBeLessThanOrEqual(REL);
    // forward normalizer 0: the only state with mass has no emission
    const b = Float64Array.from([-Infinity, 0, -1, -2, -3, -1]);
    expect(compare(ws, b, 3, k, Float64Array.from([1, 0]), transmat)).toBeLessThanOrEqual(REL);
    const g = new Float64Array(6);
    expect(ws.forwardBackward(b, 3, Float64Array.from([1, 0]), transmat, g, null).usedLogSpace).toBe(true);
  });

  it('the wasm exp agrees with Math.exp', () => {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    const wexp = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports.exp as (x: number) => number;
    const u = rng(7);
    const xs = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      1e-20,
      -1e-20,
      709.78,
      709.8,
      -745.1,
      -745.2,
      -708.5,
      -740,
      Infinity,
      -Infinity,
      NaN,
    ];
    for (let i = 0; i < 20000; i++) xs.push(-60 * u(), 1500 * (u() - 0.5), 2 * (u() - 0.5));
    let worst = 0;
    for (const x of xs) {
      const a = Math.exp(x);
      const b = wexp(x);
      if (Object.is(a, b)) continue;
      worst = Math.max(worst, Math.abs(a - b) / Math.abs(a));
    }
    // bit-identical on V8 (the kernel ports its fdlibm exp); within an ulp anywhere
    expect(worst).toBeLessThanOrEqual(2.3e-16);
  });
});

interface HmmFixture {
  sequences: number[][][];
  start: HMMParams;
}

function flatParams(p: HMMParams): FlatParams {
  return {
    nStates: p.means.length,
    nFeatures: p.means[0].length,
    startprob: Float64Array.from(p.startprob),
    transmat: Float64Array.from(p.transmat.flat()),
    means: Float64Array.from(p.means.flat()),
    covars: Float64Array.from(p.covars.flat(2)),
  };
}

const fixtureDir = join(fixtureRoot(), 'hmm');
const fixtureNames = ['paperlike.json', 'ragged.json', 'small.json'].filter((f) => existsSync(join(fixtureDir, f)));

describe('the SIMD E-step equals the JavaScript one on the hmm fixtures', () => {
  it('finds the paperlike fixture', () => expect(fixtureNames).toContain('paperlike.json'));
  for (const name of fixtureNames) {
    it(`${name}: log-likelihoods, posteriors and sufficient statistics, three EM-like steps`, () => {
      const f = JSON.parse(readFileSync(join(fixtureDir, name), 'utf8')) as HmmFixture;
      const obs = packSequences(f.sequences);
      let p = flatParams(f.start);
      const k = p.nStates;
      const d = p.nFeatures;
      for (let iter = 0; iter < 3; iter++) {
        const factors = factorGaussians(k, d, p.means, p.covars);
        const wsJ = new EStepWorkspace(obs, k, { simd: false });
        const wsW = new EStepWorkspace(obs, k);
        expect(wsJ.simd).toBeNull();
        expect(wsW.simd).not.toBeNull();
        const sJ = emptyStats(k, d);
        const sW = emptyStats(k, d);
        const perJ = expectationStep(obs, p, wsJ, sJ, factors);
        const perW = expectationStep(obs, p, wsW, sW, factors);
        expect(maxRelDiff(perJ, perW)).toBeLessThanOrEqual(REL);
        expect(maxRelDiff(wsJ.gamma, wsW.gamma, 1e-300)).toBeLessThanOrEqual(REL);
        for (const key of ['start', 'trans', 'post', 'obs', 'obsObs'] as const) {
          expect(maxRelDiff(sJ[key], sW[key], maxAbs(sJ[key])), `${key}, iteration ${iter}`).toBeLessThanOrEqual(REL);
        }
        expect(Math.abs(sJ.logLikelihood - sW.logLikelihood)).toBeLessThanOrEqual(REL * Math.abs(sJ.logLikelihood));
        // a crude M-step to move to new parameters (means and covariances from the moments)
        const means = new Float64Array(k * d);
        const covars = new Float64Array(k * d * d);
        for (let i = 0; i < k; i++) {
          const w = sJ.post[i];
          for (let a = 0; a < d; a++) means[i * d + a] = sJ.obs[i * d + a] / w;
          for (let a = 0; a < d; a++) {
            for (let b = 0; b <= a; b++) {
              const c =
                sJ.obsObs[i * d * d + a * d + b] / w - means[i * d + a] * means[i * d + b] + (a === b ? 0.01 : 0);
              covars[i * d * d + a * d + b] = c;
              covars[i * d * d + b * d + a] = c;
            }
          }
        }
        p = { ...p, means, covars };
      }
    });
  }
});
