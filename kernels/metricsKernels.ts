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
import { planMetrics, type KernelParam, type MetricsPlan } from './plan.ts';
import { allocatePlan, checkLimits, grid, METRICS_PER_SEED, size, USAGE, type PlanResources } from './planResources.ts';
import { WGSL } from './wgsl.ts';

export { METRICS_PER_SEED };

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
    const res = allocatePlan(this.device, plan, (name) => this.ready.get(name)!.getBindGroupLayout(0));
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
        await staging.mapAsync(USAGE.MAP_READ);
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
}
