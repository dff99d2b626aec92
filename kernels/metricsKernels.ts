/**
 * Thin dispatch for the metric kernels: pipelines (compiled once per device), the buffers
 * of a plan, and one submission per call that reads back S × 14 numbers. Knows nothing of tfjs: it
 * takes a GPUDevice and, per parameter, the GPUBuffer holding [S, ...shape] float32 values.
 *
 * Order in the one command buffer: pack every parameter into `work` → per-segment sums → four radix
 * passes for the medians → one SVD dispatch for every matrix → the 14 metrics → copy to a fresh staging
 * buffer. Every output buffer (`work` included) is filled with NaN bits right before the dispatch that writes it, so
 * an element a kernel misses poisons its seed's numbers instead of passing for a value.
 */
import { planMetrics, UnsupportedPlanError, type KernelParam, type MetricsPlan } from './plan.ts';
import { WGSL } from './wgsl.ts';

// WebGPU's numeric flags, spelled out: in Node the GPUBufferUsage globals exist only once the Dawn
// bindings were installed, and the kernels may be handed a device from elsewhere.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;
const NAN_BITS = 0x7fc00000;
const MAX_GRID = 65535;
const RADIX_CHUNK = 4096; // kernels/radixSelect.wgsl: CHUNK
const STATS_STRIDE = 8;
const SV_STATS_STRIDE = 4;
export const METRICS_PER_SEED = 14;
/** Where finalize.wgsl writes spectral, trace_over_spectral, sv_mean and sv_var in each seed's 14. */
const SINGULAR_VALUE_SLOTS = [10, 11, 12, 13];

export interface RunOptions {
  /** Also read back every singular value (S × Σn floats, seed-major, each matrix's values descending). */
  singularValues?: boolean;
  /**
   * Leave out the SVD dispatch: the singular-value metrics (spectral, trace_over_spectral, sv_mean, sv_var) come
   * back NaN, the other ten as usual (the sv-every schedule repeats the last computed values instead).
   */
  skipSingularValues?: boolean;
}

export interface RunResult {
  /** S × 14 in METRIC_NAMES order. */
  metrics: Float32Array;
  singularValues?: Float32Array;
}

interface PlanResources {
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
function grid(count: number): [number, number] {
  const x = Math.max(1, Math.min(count, MAX_GRID));
  return [x, Math.ceil(count / x)];
}

export class WeightMetricsKernels {
  private pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private ready = new Map<string, GPUComputePipeline>();
  private current: PlanResources | null = null;
  private lostReason: string | null = null;

  constructor(readonly device: GPUDevice) {
    void device.lost.then((info) => {
      this.lostReason = `the WebGPU device was lost (${info.reason}: ${info.message})`;
    });
  }

  /** Why the kernels cannot run any more, or null. */
  get unavailable(): string | null {
    return this.lostReason;
  }

  /** Compiles what `plan` needs and allocates its buffers (replacing the previous plan's). */
  async prepare(plan: MetricsPlan): Promise<void> {
    if (this.lostReason) throw new Error(this.lostReason);
    await Promise.all(
      ['fill', 'pack', 'stats', 'radix:histogram', 'radix:choose', 'finalize', 'svd'].map((n) => this.pipeline(n)),
    );
    if (this.current?.plan.key === plan.key) return;
    checkLimits(plan, this.device.limits);
    this.releasePlan();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const res = this.allocate(plan);
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    const error = validation ?? memory;
    if (error) {
      for (const b of res.buffers) b.destroy();
      throw new Error(`allocating the metric kernels' buffers failed: ${error.message}`);
    }
    this.current = res;
  }

  /**
   * Encodes and submits the whole computation before returning, so buffers the caller borrowed may be
   * released as soon as this returns; the promise resolves with the read-back numbers.
   * `sources[i]` holds parameter i of the plan ([S, ...shape] float32 from offset 0).
   */
  submit(plan: MetricsPlan, sources: readonly GPUBuffer[], options: RunOptions = {}): Promise<RunResult> {
    const res = this.current;
    if (!res || res.plan.key !== plan.key) throw new Error('WeightMetricsKernels.submit: call prepare(plan) first');
    if (this.lostReason) throw new Error(this.lostReason);
    if (sources.length !== plan.params.length)
      throw new Error(
        `WeightMetricsKernels.submit: ${plan.params.length} parameters in the plan, ${sources.length} buffers given`,
      );
    sources.forEach((b, i) => {
      const need = plan.seeds * size(plan.params[i]) * 4;
      if (b.size < need)
        throw new Error(
          `WeightMetricsKernels.submit: the buffer of ${plan.params[i].name} has ${b.size} bytes, the plan needs ${need}`,
        );
    });
    const computeSv = !options.skipSingularValues;
    const device = this.device;
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder({ label: 'weight metrics' });
    const pass = (label: string) => encoder.beginComputePass({ label });
    const fill = (p: GPUComputePassEncoder, buffer: GPUBuffer) => {
      const f = res.fills.get(buffer)!;
      p.setPipeline(this.ready.get('fill')!);
      p.setBindGroup(0, f.group);
      p.dispatchWorkgroups(...f.grid);
    };

    let p = pass('pack');
    fill(p, res.work);
    plan.params.forEach((param, i) => {
      const group = device.createBindGroup({
        layout: this.ready.get('pack')!.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: sources[i], offset: 0, size: plan.seeds * size(param) * 4 } },
          { binding: 1, resource: { buffer: res.work } },
          { binding: 2, resource: { buffer: res.packUniforms[i] } },
        ],
      });
      this.dispatch(p, 'pack', group, grid(Math.ceil((plan.seeds * size(param)) / 256)));
    });
    p.end();

    p = pass('stats and medians');
    fill(p, res.stats);
    fill(p, res.medians);
    this.dispatch(p, 'stats', res.statsGroup, res.statsGrid);
    p.end();
    encoder.clearBuffer(res.hist);
    p = pass('radix select');
    for (const groups of res.radixGroups) {
      this.dispatch(p, 'radix:histogram', groups.histogram, res.radixGrid);
      this.dispatch(p, 'radix:choose', groups.choose, [plan.seeds * 2, 1]);
    }
    p.end();

    p = pass('singular values');
    fill(p, res.sv);
    fill(p, res.svStats);
    if (computeSv) this.dispatch(p, 'svd', res.svdGroup, res.svdGrid);
    p.end();

    p = pass('finalize');
    fill(p, res.out);
    this.dispatch(p, 'finalize', res.finalizeGroup, [Math.ceil(plan.seeds / 64), 1]);
    p.end();

    const outBytes = plan.seeds * METRICS_PER_SEED * 4;
    const svBytes = options.singularValues ? plan.seeds * plan.svPerSeed * 4 : 0;
    const staging = device.createBuffer({
      label: 'weight metrics readback',
      size: outBytes + svBytes,
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    });
    encoder.copyBufferToBuffer(res.out, 0, staging, 0, outBytes);
    if (svBytes) encoder.copyBufferToBuffer(res.sv, 0, staging, outBytes, svBytes);
    device.queue.submit([encoder.finish()]);
    const validation = device.popErrorScope();

    return (async () => {
      try {
        const error = await validation;
        if (error) throw new Error(`the metric kernels failed validation: ${error.message}`);
        await staging.mapAsync(MAP_READ);
        const bytes = staging.getMappedRange().slice(0);
        staging.unmap();
        const metrics = new Float32Array(bytes, 0, plan.seeds * METRICS_PER_SEED);
        // WGSL may fold NaN arithmetic as it likes, so what finalize made of the unwritten statistics is set here.
        if (!computeSv)
          for (let s = 0; s < plan.seeds; s++)
            for (const slot of SINGULAR_VALUE_SLOTS) metrics[s * METRICS_PER_SEED + slot] = NaN;
        return {
          metrics,
          singularValues: svBytes ? new Float32Array(bytes, outBytes, plan.seeds * plan.svPerSeed) : undefined,
        };
      } finally {
        staging.destroy();
      }
    })();
  }

  /** prepare + submit for callers whose buffers need no borrowing (tests, benchmarks). */
  async run(
    params: readonly KernelParam[],
    seeds: number,
    sources: readonly GPUBuffer[],
    options: RunOptions = {},
  ): Promise<RunResult> {
    const plan = planMetrics(params, seeds);
    await this.prepare(plan);
    return this.submit(plan, sources, options);
  }

  destroy(): void {
    this.releasePlan();
  }

  /**
   * Every compute kernel's dispatch (the NaN fills excepted) goes through here: a subclass may leave kernels out to
   * show that an output nothing wrote reads NaN (tests/kernels).
   */
  protected dispatch(p: GPUComputePassEncoder, pipeline: string, group: GPUBindGroup, grid: [number, number]): void {
    p.setPipeline(this.ready.get(pipeline)!);
    p.setBindGroup(0, group);
    p.dispatchWorkgroups(...grid);
  }

  private releasePlan(): void {
    for (const b of this.current?.buffers ?? []) b.destroy();
    this.current = null;
  }

  private pipeline(name: string): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(name);
    if (!p) {
      const [kind, entryPoint = 'main'] = name.split(':');
      const source = kind === 'radix' ? WGSL.radixSelect : WGSL[kind as 'fill' | 'pack' | 'stats' | 'finalize' | 'svd'];
      const module = this.device.createShaderModule({ label: kind, code: source });
      p = this.device
        .createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint } })
        .then((pipeline) => {
          this.ready.set(name, pipeline);
          return pipeline;
        })
        .catch(async (e: unknown) => {
          this.pipelines.delete(name);
          const info = await module.getCompilationInfo();
          const messages = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
          throw new Error(
            `compiling the ${name} kernel failed: ${e instanceof Error ? e.message : String(e)}${messages ? ` (${messages})` : ''}`,
          );
        });
      this.pipelines.set(name, p);
    }
    return p;
  }

  private allocate(plan: MetricsPlan): PlanResources {
    const device = this.device;
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
        layout: this.ready.get(pipeline)!.getBindGroupLayout(0),
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
    const order = plan.matrices
      .map((_, k) => k)
      .sort((a, b) => cost(plan.matrices[b]) - cost(plan.matrices[a]) || a - b);
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
}

/** Flops of the bidiagonalization, 4mn² − 4n³/3, to start the longest workgroups first. */
function cost(m: { m: number; n: number }): number {
  return 4 * m.m * m.n * m.n - (4 * m.n ** 3) / 3;
}

function size(p: KernelParam): number {
  return p.shape.reduce((a, b) => a * b, 1);
}

/** Buffers the device cannot bind: the caller falls back to the CPU path with this as the reason. */
function checkLimits(plan: MetricsPlan, limits: GPUSupportedLimits): void {
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
