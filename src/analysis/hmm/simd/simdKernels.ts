/**
 * WebAssembly SIMD (f64x2) versions of the E-step's three kernels: Gaussian log-densities
 * (gaussian.ts), scaled forward–backward (forwardBackward.ts) and the moment sums (estep.ts). Each
 * performs the same float64 operations in the same order as the JavaScript loop it replaces (the
 * forward–backward's exp is a port of V8's Math.exp), so results are bit-for-bit identical to them.
 *
 * Usage, once per data set (the data is copied into wasm memory once; reuse across fits and K):
 *   const simd = simdKernels();                       // null where WebAssembly SIMD is unavailable
 *   const sw = simd?.createWorkspace(obs.data, obs.nObservations, obs.nFeatures);
 *   // each E-step (see eStepSimd.ts for the whole of expectationStep wired this way):
 *   sw.setGaussians(factors);
 *   sw.logDensities(row0, len, logB);                  // = gaussianLogDensities(factors, obs.data, row0, len, logB)
 *   sw.forwardBackward(logB, len, startprob, transmat, g, xiSum);  // = forwardBackward(..., fbWorkspace)
 *   sw.accumulateMoments(gamma, k, negligible, stats.obs, stats.obsObs);
 *
 * The module (under 4 KiB) is instantiated synchronously from bytes embedded as base64
 * (kernelsWasm.ts), so this works unchanged in Node, Web Workers and a page's main thread. Each
 * workspace owns its own instance and memory, freed with the workspace; memory only grows.
 */
import { logSpaceForwardBackward, type SequenceStats } from '../forwardBackward.ts';
import type { GaussianFactors } from '../gaussian.ts';
import { KERNELS_WASM_BASE64 } from './kernelsWasm.ts';

interface KernelExports {
  memory: WebAssembly.Memory;
  densities(
    xT: number,
    np: number,
    d: number,
    k: number,
    means: number,
    ichol: number,
    lnorm: number,
    row0: number,
    count: number,
    out: number,
    diff: number,
  ): void;
  moments(
    x: number,
    dp: number,
    d: number,
    n: number,
    k: number,
    gamma: number,
    negl: number,
    obs: number,
    oo: number,
    wx: number,
  ): void;
  forwardBackward(
    logB: number,
    len: number,
    k: number,
    kp: number,
    sp: number,
    A: number,
    AT: number,
    gamma: number,
    xi: number,
    b: number,
    alpha: number,
    scale: number,
    beta: number,
    w: number,
    xs: number,
    res: number,
  ): number;
}

/** Entry point returned by {@link simdKernels}. */
export interface SimdKernels {
  /**
   * Copies `data` (n×d, row-major) into a new wasm instance's memory. Reuse the workspace for every
   * iteration of a fit, and for every fit on the same data (any K); later changes to `data` are not seen.
   */
  createWorkspace(data: Float64Array, nObservations: number, nFeatures: number): SimdWorkspace;
}

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The compiled module, or null where WebAssembly or its SIMD extension is missing. Compiled once. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return null;
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    if (!WebAssembly.validate(bytes)) return null;
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** SIMD kernels, or null where WebAssembly SIMD is unavailable (callers then keep the JS loops). */
export function simdKernels(): SimdKernels | null {
  const module = kernelModule();
  if (!module) return null;
  return { createWorkspace: (data, n, d) => new SimdWorkspace(module, data, n, d) };
}

const PAGE = 65536;
const align16 = (bytes: number) => (bytes + 15) & ~15;

/** Byte offsets of the per-state regions, for a capacity of `states` states and `rows` forward–backward rows. */
interface StateLayout {
  states: number;
  rows: number;
  means: number; // K×D
  ichol: number; // K×D×D
  lnorm: number; // K
  out: number; // N×K
  gamma: number; // N×K
  negl: number; // K
  obs: number; // K×dp
  oo: number; // K×D×dp
  // forward–backward of one sequence of ≤ rows rows (kp = K rounded up to even)
  fbLogB: number; // rows×K
  fbGamma: number; // rows×K
  fbB: number; // rows×kp
  fbAlpha: number; // rows×kp
  fbScale: number; // rows
  fbStart: number; // K
  fbA: number; // K×kp
  fbAT: number; // K×kp
  fbXi: number; // K×K
  fbXs: number; // K×kp
  fbBeta: number; // kp
  fbW: number; // kp
  fbRes: number; // 1
  end: number;
}

/**
 * One data set (N×D) held in wasm linear memory, in the two layouts the kernels read: feature-major
 * (densities: eight rows of one feature are one contiguous run) and row-major with an even stride
 * (moments: two adjacent features are one aligned f64x2). Per-iteration inputs are copied in and
 * results copied out on every call; memory grows when a call needs more states (or, for
 * forward–backward, a longer sequence) than any call before, and is never shrunk.
 */
export class SimdWorkspace {
  readonly nObservations: number;
  readonly nFeatures: number;
  private readonly ex: KernelExports;
  /** Row stride of the row-major copy (D rounded up to even). */
  private readonly dp: number;
  /** Row stride of the feature-major copy (N + padding read by the last partial block of eight). */
  private readonly np: number;
  private readonly xT: number;
  private readonly x: number;
  private readonly diff: number;
  private readonly wx: number;
  private readonly fixedEnd: number;
  private layout: StateLayout;
  private heap: Float64Array;
  /** The state count whose Gaussian factors are currently in memory (set by setGaussians). */
  private loadedStates = 0;

  constructor(module: WebAssembly.Module, data: Float64Array, nObservations: number, nFeatures: number) {
    const n = nObservations;
    const d = nFeatures;
    if (!Number.isInteger(n) || n < 0) throw new Error(`nObservations must be a non-negative integer, got ${n}`);
    if (!Number.isInteger(d) || d < 1) throw new Error(`nFeatures must be a positive integer, got ${d}`);
    if (data.length < n * d) throw new Error(`data holds ${data.length} values, fewer than ${n}×${d}`);
    this.nObservations = n;
    this.nFeatures = d;
    this.ex = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    this.dp = d + (d & 1);
    this.np = (n + 9) & ~1;
    let p = 64; // keep address 0 unused
    this.xT = p;
    p = align16(p + 8 * d * this.np);
    this.x = p;
    p = align16(p + 8 * n * this.dp);
    this.diff = p;
    p = align16(p + 8 * 8 * Math.max(d, 1));
    this.wx = p;
    p = align16(p + 8 * 4 * this.dp);
    this.fixedEnd = p;
    this.layout = this.stateLayout(0, 0);
    this.heap = this.reserve(this.layout.end);
    const { heap, np, dp } = this;
    const xT = this.xT >> 3;
    const x = this.x >> 3;
    for (let t = 0; t < n; t++) {
      const src = t * d;
      const row = x + t * dp;
      for (let j = 0; j < d; j++) {
        const v = data[src + j];
        heap[xT + j * np + t] = v;
        heap[row + j] = v;
      }
    }
  }

  private stateLayout(k: number, rows: number): StateLayout {
    const n = this.nObservations;
    const d = this.nFeatures;
    const kp = k + (k & 1);
    let p = this.fixedEnd;
    const take = (doubles: number) => {
      const at = p;
      p = align16(p + 8 * doubles);
      return at;
    };
    const means = take(k * d);
    const ichol = take(k * d * d);
    const lnorm = take(k);
    const out = take(n * k);
    const gamma = take(n * k);
    const negl = take(k);
    const obs = take(k * this.dp);
    const oo = take(k * d * this.dp);
    const fbLogB = take(rows * k);
    const fbGamma = take(rows * k);
    const fbB = take(rows * kp);
    const fbAlpha = take(rows * kp);
    const fbScale = take(rows);
    const fbStart = take(k);
    const fbA = take(k * kp);
    const fbAT = take(k * kp);
    const fbXi = take(k * k);
    const fbXs = take(k * kp);
    const fbBeta = take(kp);
    const fbW = take(kp);
    const fbRes = take(1);
    return {
      states: k,
      rows,
      means,
      ichol,
      lnorm,
      out,
      gamma,
      negl,
      obs,
      oo,
      fbLogB,
      fbGamma,
      fbB,
      fbAlpha,
      fbScale,
      fbStart,
      fbA,
      fbAT,
      fbXi,
      fbXs,
      fbBeta,
      fbW,
      fbRes,
      end: p,
    };
  }

  /** Grows memory to hold `bytes` and returns a fresh view (growth detaches the old one). */
  private reserve(bytes: number): Float64Array {
    const mem = this.ex.memory;
    const have = mem.buffer.byteLength;
    if (bytes > have) mem.grow(Math.ceil((bytes - have) / PAGE));
    return new Float64Array(mem.buffer);
  }

  /**
   * Makes room for k states and forward–backward over `rows` rows. Regions are re-laid out (and memory
   * grown) only when a capacity is exceeded; the data stays put and loaded Gaussian factors are moved.
   */
  private ensureCapacity(k: number, rows = 0): void {
    if (!Number.isInteger(k) || k < 1) throw new Error(`nStates must be a positive integer, got ${k}`);
    const old = this.layout;
    if (k > old.states || rows > old.rows) {
      const next = this.stateLayout(Math.max(k, old.states), Math.max(rows, old.rows));
      this.heap = this.reserve(next.end);
      const kl = this.loadedStates;
      if (kl > 0) {
        const d = this.nFeatures;
        // The new regions start at or after the old ones and are laid out in the same order, so
        // copying the last region first never overwrites one still to be copied.
        this.heap.copyWithin(next.lnorm >> 3, old.lnorm >> 3, (old.lnorm >> 3) + kl);
        this.heap.copyWithin(next.ichol >> 3, old.ichol >> 3, (old.ichol >> 3) + kl * d * d);
        this.heap.copyWithin(next.means >> 3, old.means >> 3, (old.means >> 3) + kl * d);
      }
      this.layout = next;
    }
    if (this.heap.buffer !== this.ex.memory.buffer) this.heap = new Float64Array(this.ex.memory.buffer);
  }

  /** Bytes of wasm memory this workspace holds now. */
  get memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }

  /** Copies means, L⁻¹ and log-normalizers in; used by every {@link logDensities} call until the next setGaussians. */
  setGaussians(g: GaussianFactors): void {
    const k = g.nStates;
    const d = this.nFeatures;
    if (g.nFeatures !== d) throw new Error(`factors have ${g.nFeatures} features, the workspace ${d}`);
    this.ensureCapacity(k);
    const { heap, layout } = this;
    heap.set(g.means.subarray(0, k * d), layout.means >> 3);
    heap.set(g.invChol.subarray(0, k * d * d), layout.ichol >> 3);
    heap.set(g.logNorm.subarray(0, k), layout.lnorm >> 3);
    this.loadedStates = k;
  }

  /**
   * Log-densities of rows [row0, row0 + count) under the factors of the last setGaussians, written to
   * out[t·K + k] for t < count, exactly as gaussianLogDensities(g, data, row0, count, out).
   */
  logDensities(row0: number, count: number, out: Float64Array): void {
    const k = this.loadedStates;
    if (k === 0) throw new Error('setGaussians must be called before logDensities');
    const n = this.nObservations;
    if (!(Number.isInteger(row0) && Number.isInteger(count) && row0 >= 0 && count >= 0 && row0 + count <= n)) {
      throw new Error(`rows [${row0}, ${row0 + count}) are outside the ${n} rows of the workspace`);
    }
    if (out.length < count * k) throw new Error(`out holds ${out.length} values, fewer than ${count}×${k}`);
    if (count === 0) return;
    const { layout } = this;
    this.ex.densities(
      this.xT,
      this.np,
      this.nFeatures,
      k,
      layout.means,
      layout.ichol,
      layout.lnorm,
      row0,
      count,
      layout.out,
      this.diff,
    );
    const o = layout.out >> 3;
    out.set(this.heap.subarray(o, o + count * k));
  }

  /** setGaussians(g) then logDensities(row0, count, out): the drop-in for gaussianLogDensities(g, data, row0, count, out). */
  gaussianLogDensities(g: GaussianFactors, row0: number, count: number, out: Float64Array): void {
    this.setGaussians(g);
    this.logDensities(row0, count, out);
  }

  /**
   * obs_i += Σ_t γ_ti x_t and obsObs_i += Σ_t γ_ti x_t x_tᵀ (lower triangle only; the upper one is not
   * touched) over all N rows, skipping 4-row blocks whose weight is ≤ negligible[i]: the same result,
   * bit for bit, as estep.ts's accumulateMoments(data, N, gamma, k, d, stats, ws).
   * gamma is N×K row-major; obs K×D and obsObs K×D×D are read and updated in place.
   */
  accumulateMoments(
    gamma: Float64Array,
    nStates: number,
    negligible: Float64Array,
    obs: Float64Array,
    obsObs: Float64Array,
  ): void {
    const k = nStates;
    const n = this.nObservations;
    const d = this.nFeatures;
    const dp = this.dp;
    if (gamma.length < n * k) throw new Error(`gamma holds ${gamma.length} values, fewer than ${n}×${k}`);
    if (negligible.length < k || obs.length < k * d || obsObs.length < k * d * d) {
      throw new Error('negligible, obs or obsObs is too short for the state count');
    }
    this.ensureCapacity(k);
    const { heap, layout } = this;
    heap.set(gamma.subarray(0, n * k), layout.gamma >> 3);
    heap.set(negligible.subarray(0, k), layout.negl >> 3);
    const ob = layout.obs >> 3;
    for (let i = 0; i < k; i++) heap.set(obs.subarray(i * d, (i + 1) * d), ob + i * dp);
    const oo = layout.oo >> 3;
    for (let r = 0; r < k * d; r++) {
      const a = r % d;
      const src = r * d;
      const dst = oo + r * dp;
      for (let b = 0; b <= a; b++) heap[dst + b] = obsObs[src + b];
    }
    this.ex.moments(this.x, dp, d, n, k, layout.gamma, layout.negl, layout.obs, layout.oo, this.wx);
    for (let i = 0; i < k; i++) obs.set(heap.subarray(ob + i * dp, ob + i * dp + d), i * d);
    for (let r = 0; r < k * d; r++) {
      const a = r % d;
      const src = oo + r * dp;
      const dst = r * d;
      for (let b = 0; b <= a; b++) obsObs[dst + b] = heap[src + b];
    }
  }

  /**
   * Scaled forward–backward of one sequence, as forwardBackward(logB, length, startprob, transmat,
   * gamma, xiSum, ws) in forwardBackward.ts, with the same result bit for bit: γ written to gamma
   * (length×K), Σ_t ξ_t added into xiSum (K×K) when given. A sequence the scaled pass cannot handle
   * is redone by the same JS log-space routine the JS version falls back to.
   */
  forwardBackward(
    logB: Float64Array,
    length: number,
    startprob: Float64Array,
    transmat: Float64Array,
    gamma: Float64Array,
    xiSum: Float64Array | null,
  ): SequenceStats {
    const k = startprob.length;
    if (!(Number.isInteger(length) && length >= 1))
      throw new Error(`sequence length must be a positive integer, got ${length}`);
    if (logB.length < length * k || gamma.length < length * k)
      throw new Error('logB or gamma is shorter than length×K');
    if (transmat.length < k * k || (xiSum && xiSum.length < k * k))
      throw new Error('transmat or xiSum is shorter than K×K');
    this.ensureCapacity(k, length);
    const { heap, layout: L } = this;
    const kp = k + (k & 1);
    heap.set(logB.subarray(0, length * k), L.fbLogB >> 3);
    heap.set(startprob.subarray(0, k), L.fbStart >> 3);
    const a = L.fbA >> 3;
    const at = L.fbAT >> 3;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const v = transmat[i * k + j];
        heap[a + i * kp + j] = v;
        heap[at + j * kp + i] = v;
      }
      if (kp !== k) {
        heap[a + i * kp + k] = 0;
        heap[at + i * kp + k] = 0;
      }
    }
    if (xiSum) heap.set(xiSum.subarray(0, k * k), L.fbXi >> 3);
    const failed = this.ex.forwardBackward(
      L.fbLogB,
      length,
      k,
      kp,
      L.fbStart,
      L.fbA,
      L.fbAT,
      L.fbGamma,
      xiSum ? L.fbXi : 0,
      L.fbB,
      L.fbAlpha,
      L.fbScale,
      L.fbBeta,
      L.fbW,
      L.fbXs,
      L.fbRes,
    );
    if (failed) return logSpaceForwardBackward(logB, length, startprob, transmat, gamma, xiSum);
    const g = L.fbGamma >> 3;
    gamma.set(heap.subarray(g, g + length * k));
    if (xiSum) xiSum.set(heap.subarray(L.fbXi >> 3, (L.fbXi >> 3) + k * k));
    const sc = L.fbScale >> 3;
    let logLik = Math.log(heap[sc]);
    for (let t = 1; t < length; t++) logLik += Math.log(heap[sc + t]);
    return { logLikelihood: logLik + heap[L.fbRes >> 3], usedLogSpace: false };
  }
}
