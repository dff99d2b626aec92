/**
 * The 14 weight metrics of every seed at a checkpoint, on the path that fits the backend: on tfjs's
 * webgpu backend, our WGSL kernels (kernels/) read the weights where tfjs holds them and only S × 14
 * numbers come back; on any other backend, or when the kernels cannot take the model, the weights are
 * read back and src/metrics computes them. Both give the same numbers up to float32 rounding; the
 * result says which path ran and why.
 *
 * Here rather than in src/metrics because it owns tfjs tensors (the layer rule: src/train owns tfjs).
 */
import * as tf from '@tensorflow/tfjs';
import { WeightMetricsKernels } from '../../kernels/metricsKernels.ts';
import { planMetrics, UnsupportedPlanError, type KernelParam, type MetricsPlan } from '../../kernels/plan.ts';
import { computeWeightMetrics, METRIC_NAMES, METRICS_PATH_COLUMN, type WeightMetrics } from '../metrics/index.ts';
import type { ParamSpec } from './task.ts';

export type MetricsPath = 'gpu' | 'cpu';

export { METRICS_PATH_COLUMN };

export interface SeedMetricsResult {
  /** One entry per seed, in seed order. */
  metrics: WeightMetrics[];
  path: MetricsPath;
  /** Why this path: the backend, or why the kernels were not used. */
  reason: string;
  /** Whether spectral, trace_over_spectral, sv_mean and sv_var were computed; when not, they are NaN. */
  singularValues: boolean;
}

export interface SeedMetricsOptions {
  /** 'auto' (default): the kernels on webgpu, the CPU elsewhere. 'cpu': always read back. */
  path?: 'auto' | 'cpu';
}

export interface ComputeOptions {
  /**
   * false: skip the singular values (the sv-every setting's checkpoints in between; src/metrics/singularValueCarry.ts):
   * the four singular-value metrics come back NaN and the other ten as a full call gives them. On the GPU
   * path the SVD dispatch is left out (a plan's very first call still runs it; its values are dropped all
   * the same), on the CPU path the SVDs. Default true.
   */
  singularValues?: boolean;
}

/** The parts of tfjs-backend-webgpu 4.22's WebGPUBackend we use (public members of its class). */
interface WebGpuBackendLike {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { resource?: unknown; dtype: string } | undefined };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

// Pipelines are compiled once per device and shape, whichever trainer asks.
const kernelsByDevice = new WeakMap<GPUDevice, WeightMetricsKernels>();

/** The kernels (and their compiled pipelines) for a device, shared by every caller. */
export function metricsKernelsFor(device: GPUDevice): WeightMetricsKernels {
  let k = kernelsByDevice.get(device);
  if (!k) kernelsByDevice.set(device, (k = new WeightMetricsKernels(device)));
  return k;
}

export class SeedMetrics {
  readonly included: ParamSpec[];
  private plan: MetricsPlan | null = null;
  /** Set once the kernels failed or cannot take the model: the CPU path from then on, with this reason. */
  private gpuUnusable: string | null = null;

  constructor(
    params: readonly ParamSpec[],
    readonly seeds: number,
    readonly options: SeedMetricsOptions = {},
  ) {
    this.included = params.filter((p) => p.role !== 'excluded');
    const kernelParams: KernelParam[] = this.included.map((p) => ({
      name: p.name,
      role: p.role as 'matrix' | 'bias',
      shape: p.shape,
    }));
    try {
      this.plan = planMetrics(kernelParams, seeds);
    } catch (e) {
      if (!(e instanceof UnsupportedPlanError)) throw e;
      this.gpuUnusable = e.message;
    }
  }

  /** `tensors[name]` holds parameter `name` for all seeds, [S, ...shape]. */
  async compute(tensors: Record<string, tf.Tensor>, options: ComputeOptions = {}): Promise<SeedMetricsResult> {
    const singularValues = options.singularValues !== false;
    const backend = tf.getBackend();
    let reason: string;
    if (this.options.path === 'cpu') reason = 'the CPU path was requested';
    else if (backend !== 'webgpu') reason = `the tfjs backend is ${backend}, not webgpu`;
    else if (this.gpuUnusable) reason = this.gpuUnusable;
    else {
      try {
        const values = await this.onGpu(tensors, !singularValues);
        return {
          metrics: unpack(values, this.seeds),
          path: 'gpu',
          reason: 'the tfjs backend is webgpu',
          singularValues,
        };
      } catch (e) {
        // A failure is not retried at every checkpoint: the rows say which path computed them.
        const message = e instanceof Error ? e.message : String(e);
        this.gpuUnusable = e instanceof UnsupportedPlanError ? message : `the GPU kernels failed (${message})`;
        reason = this.gpuUnusable;
      }
    }
    return { metrics: await this.onCpu(tensors, singularValues), path: 'cpu', reason, singularValues };
  }

  private async onGpu(tensors: Record<string, tf.Tensor>, skipSingularValues: boolean): Promise<Float32Array> {
    const plan = this.plan!;
    const backend = tf.backend() as unknown as WebGpuBackendLike;
    const kernels = metricsKernelsFor(backend.device);
    await kernels.prepare(plan);
    // From here to submit() nothing awaits, so no tfjs work can slip in between. The clones share the
    // variables' buffers (tfjs's Identity only adds a reference) and keep them alive until submitted;
    // an optimizer step assigns new buffers, so the lookup is repeated at every call.
    const borrowed = this.included.map((p) => tf.clone(this.tensor(tensors, p)));
    let pending: ReturnType<WeightMetricsKernels['submit']>;
    try {
      const buffers = borrowed.map((t, i) => bufferOf(backend, t, this.included[i].name));
      // Flush tfjs's recorded commands (the last optimizer step, any uploads just made) ahead of ours.
      backend.ensureCommandEncoderReady();
      backend.endComputePassEncoder();
      backend.submitQueue();
      pending = kernels.submit(plan, buffers, { skipSingularValues });
    } finally {
      for (const t of borrowed) t.dispose();
    }
    return (await pending).metrics;
  }

  private async onCpu(tensors: Record<string, tf.Tensor>, singularValues: boolean): Promise<WeightMetrics[]> {
    const values = await Promise.all(this.included.map((p) => this.tensor(tensors, p).data() as Promise<Float32Array>));
    return Array.from({ length: this.seeds }, (_, i) => {
      const matrices: { rows: number; cols: number; data: Float32Array }[] = [];
      const biases: Float32Array[] = [];
      this.included.forEach((p, j) => {
        const size = p.shape.reduce((a, b) => a * b, 1);
        const mine = values[j].subarray(i * size, (i + 1) * size);
        if (p.role === 'bias') return void biases.push(mine);
        const [rows, cols] = p.shape.slice(-2);
        const count = p.shape.length === 3 ? p.shape[0] : 1;
        for (let h = 0; h < count; h++)
          matrices.push({ rows, cols, data: mine.subarray(h * rows * cols, (h + 1) * rows * cols) });
      });
      return computeWeightMetrics(matrices, biases, { singularValues });
    });
  }

  private tensor(tensors: Record<string, tf.Tensor>, p: ParamSpec): tf.Tensor {
    const t = tensors[p.name];
    if (!t) throw new Error(`SeedMetrics: no tensor for parameter ${p.name}`);
    const want = [this.seeds, ...p.shape];
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new Error(
        `SeedMetrics: parameter ${p.name} has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`,
      );
    }
    if (t.dtype !== 'float32') throw new Error(`SeedMetrics: parameter ${p.name} is ${t.dtype}, expected float32`);
    return t;
  }
}

/** The GPUBuffer tfjs holds a tensor in, uploading values that are still on the CPU. */
function bufferOf(backend: WebGpuBackendLike, t: tf.Tensor, name: string): GPUBuffer {
  const dataId = t.dataId as object;
  if (!backend.tensorMap.get(dataId)?.resource) backend.uploadToGPU(dataId);
  const resource = backend.tensorMap.get(dataId)?.resource as GPUBuffer | undefined;
  if (!resource || typeof (resource as Partial<GPUBuffer>).mapAsync !== 'function') {
    throw new Error(
      `tfjs holds parameter ${name} in a ${resource ? 'texture' : 'place we cannot read'}, not a GPU buffer`,
    );
  }
  return resource;
}

function unpack(values: Float32Array, seeds: number): WeightMetrics[] {
  return Array.from(
    { length: seeds },
    (_, s) => Object.fromEntries(METRIC_NAMES.map((m, i) => [m, values[s * METRIC_NAMES.length + i]])) as WeightMetrics,
  );
}
