/**
 * The buffers and bind groups of one metrics plan (kernels/plan.ts) on a device, allocated once per plan and
 * reused by every submission, and the limits a plan must fit.
 */
import { UnsupportedPlanError, type KernelParam, type MetricsPlan } from './plan.ts';

// WebGPU's numeric flags, spelled out: in Node the GPUBufferUsage globals exist only once the Dawn
// bindings were installed, and the kernels may be handed a device from elsewhere.
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const NAN_BITS = 0x7fc00000;
const MAX_GRID = 65535;
const RADIX_CHUNK = 4096; // kernels/radixSelect.wgsl: CHUNK
const STATS_STRIDE = 8;
const SV_STATS_STRIDE = 4;
export const METRICS_PER_SEED = 14;

export interface PlanResources {
  plan: MetricsPlan;
  buffers: GPUBuffer[];
  work: GPUBuffer;
  stats: GPUBuffer;
  svStats: GPUBuffer;
  sv: GPUBuffer;
  medians: GPUBuffer;
  hist: GPUBuffer;
  out: GPUBuffer;
  packUniforms: GPUBuffer[];
  fills: Map<GPUBuffer, { group: GPUBindGroup; grid: [number, number] }>;
  statsGroup: GPUBindGroup;
  statsGrid: [number, number];
  radixGroups: { histogram: GPUBindGroup; choose: GPUBindGroup }[];
  radixGrid: [number, number];
  svdGroup: GPUBindGroup;
  svdGrid: [number, number];
  finalizeGroup: GPUBindGroup;
}

/** Workgroup grid for `count` workgroups within the 65535-per-dimension limit. */
export function grid(count: number): [number, number] {
  const x = Math.max(1, Math.min(count, MAX_GRID));
  return [x, Math.ceil(count / x)];
}

export function allocatePlan(
  device: GPUDevice,
  plan: MetricsPlan,
  layoutOf: (pipeline: string) => GPUBindGroupLayout,
): PlanResources {
  const buffers: GPUBuffer[] = [];
  const S = plan.seeds;
  const K = plan.matrices.length;
  const buffer = (label: string, bytes: number, usage: number) => {
    const b = device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    buffers.push(b);
    return b;
  };
  const storage = (label: string, bytes: number) =>
    buffer(label, bytes, USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST);
  const uniform = (label: string, words: number[]) => {
    const b = buffer(label, words.length * 4, USAGE.UNIFORM | USAGE.COPY_DST);
    device.queue.writeBuffer(b, 0, new Uint32Array(words));
    return b;
  };
  const table = (label: string, words: Uint32Array) => {
    const b = buffer(label, words.byteLength, USAGE.STORAGE | USAGE.COPY_DST);
    device.queue.writeBuffer(b, 0, words);
    return b;
  };
  const group = (pipeline: string, resources: GPUBuffer[], bindings = resources.map((_, i) => i)) =>
    device.createBindGroup({
      layout: layoutOf(pipeline),
      entries: resources.map((b, i) => ({ binding: bindings[i], resource: { buffer: b } })),
    });

  const work = storage('metrics work', S * plan.seedStride * 4);
  const stats = storage('metrics segment stats', S * (K + 1) * STATS_STRIDE * 4);
  const svStats = storage('metrics sv stats', S * K * SV_STATS_STRIDE * 4);
  const sv = storage('metrics singular values', S * plan.svPerSeed * 4);
  const medians = storage('metrics medians', 2 * S * 4);
  const hist = storage('metrics radix histogram', 2 * S * 256 * 4);
  const radixState = storage('metrics radix state', 2 * S * 8);
  const out = storage('metrics out', S * METRICS_PER_SEED * 4);

  const packUniforms = plan.params.map((param, i) => {
    const perSeed = size(param);
    const [rows, cols] = param.role === 'bias' ? [1, param.shape[0]] : param.shape.slice(-2);
    const [x] = grid(Math.ceil((S * perSeed) / 256));
    return uniform(`pack ${param.name}`, [
      S * perSeed,
      perSeed,
      rows,
      cols,
      plan.paramOffsets[i],
      plan.seedStride,
      rows > cols ? 1 : 0,
      x * 256,
    ]);
  });

  const fills = new Map<GPUBuffer, { group: GPUBindGroup; grid: [number, number] }>();
  for (const b of [work, stats, svStats, sv, medians, out]) {
    const words = b.size / 4;
    const g = grid(Math.ceil(words / 256));
    fills.set(b, { group: group('fill', [b, uniform('fill', [words, NAN_BITS, g[0] * 256, 0])]), grid: g });
  }

  // Segments: each seed's K matrices, then its biases.
  const segWords = new Uint32Array(S * (K + 1) * 4);
  for (let s = 0; s < S; s++) {
    plan.matrices.forEach((mat, k) =>
      segWords.set([s * plan.seedStride + mat.offset, mat.rows * mat.cols, mat.m, mat.n], (s * (K + 1) + k) * 4),
    );
    segWords.set([s * plan.seedStride + plan.weightCount, plan.biasCount, 1, 0], (s * (K + 1) + K) * 4);
  }
  const statsGrid = grid(S * (K + 1));
  const statsGroup = group('stats', [
    work,
    table('stats segments', segWords),
    stats,
    uniform('stats', [S * (K + 1), statsGrid[0], 0, 0]),
  ]);

  const radixSegs = new Uint32Array(2 * S * 4);
  for (let s = 0; s < S; s++) {
    radixSegs.set([s * plan.seedStride, plan.weightCount, 0, 0], 2 * s * 4);
    radixSegs.set([s * plan.seedStride + plan.weightCount, plan.biasCount, 0, 0], (2 * s + 1) * 4);
  }
  const radixTable = table('radix segments', radixSegs);
  const radixGroups = [24, 16, 8, 0].map((shift, i) => {
    const highMask = i === 0 ? 0 : (0xffffffff << (shift + 8)) >>> 0;
    const u = uniform(`radix pass ${i}`, [shift, highMask, i === 0 ? 1 : 0, i === 3 ? 1 : 0]);
    return {
      histogram: group('radix:histogram', [work, radixTable, hist, radixState, u], [0, 1, 2, 3, 4]),
      choose: group('radix:choose', [radixTable, hist, radixState, u, medians], [1, 2, 3, 4, 5]),
    };
  });
  const radixGrid: [number, number] = [Math.ceil(Math.max(plan.weightCount, plan.biasCount) / RADIX_CHUNK), 2 * S];

  // One dispatch for every matrix of every shape: dispatches that write the same buffer run one after
  // another, and a class of 40 matrices alone would leave most of a large GPU idle. Costliest first.
  const order = plan.matrices.map((_, k) => k).sort((a, b) => cost(plan.matrices[b]) - cost(plan.matrices[a]) || a - b);
  const members = new Uint32Array(S * K * 8);
  let at = 0;
  for (const k of order) {
    const mat = plan.matrices[k];
    for (let s = 0; s < S; s++) {
      members.set(
        [
          s * plan.seedStride + mat.offset,
          s * plan.svPerSeed + mat.svOffset,
          (s * K + k) * SV_STATS_STRIDE,
          mat.m,
          mat.n,
        ],
        at * 8,
      );
      at++;
    }
  }
  const svdGrid = grid(S * K);
  const svdGroup = group('svd', [
    work,
    table('svd members', members),
    sv,
    svStats,
    uniform('svd', [S * K, svdGrid[0], 0, 0]),
  ]);

  const shapes = new Uint32Array(K * 2);
  plan.matrices.forEach((mat, k) => shapes.set([mat.rows * mat.cols, mat.n], k * 2));
  const finalizeGroup = group('finalize', [
    stats,
    svStats,
    medians,
    table('finalize shapes', shapes),
    out,
    uniform('finalize', [S, K, plan.weightCount, plan.biasCount]),
  ]);

  return {
    plan,
    buffers,
    work,
    stats,
    svStats,
    sv,
    medians,
    hist,
    out,
    packUniforms,
    fills,
    statsGroup,
    statsGrid,
    radixGroups,
    radixGrid,
    svdGroup,
    svdGrid,
    finalizeGroup,
  };
}

/** Flops of the bidiagonalization, 4mn² − 4n³/3, to start the longest workgroups first. */
function cost(m: { m: number; n: number }): number {
  return 4 * m.m * m.n * m.n - (4 * m.n ** 3) / 3;
}

export function size(p: KernelParam): number {
  return p.shape.reduce((a, b) => a * b, 1);
}

/** Buffers the device cannot bind: the caller falls back to the CPU path with this as the reason. */
export function checkLimits(plan: MetricsPlan, limits: GPUSupportedLimits): void {
  const binding = limits.maxStorageBufferBindingSize;
  const workBytes = plan.seeds * plan.seedStride * 4;
  if (workBytes > binding || workBytes > limits.maxBufferSize) {
    throw new UnsupportedPlanError(
      `${plan.seeds} seeds need a ${workBytes}-byte work buffer; this device binds at most ${Math.min(binding, limits.maxBufferSize)} bytes`,
    );
  }
  for (const p of plan.params) {
    const bytes = plan.seeds * size(p) * 4;
    if (bytes > binding)
      throw new UnsupportedPlanError(
        `parameter ${p.name} takes ${bytes} bytes for ${plan.seeds} seeds; this device binds at most ${binding} bytes`,
      );
  }
}
