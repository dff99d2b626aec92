/**
 * Our own WGSL programs on tfjs-backend-webgpu's device, recorded into tfjs's own command encoder and compute pass,
 * on tfjs's own buffers: outputs are tfjs tensors taken from its buffer pool, uniforms go through its pooled uniform
 * buffers, and inputs and outputs are marked in use until the next submit, exactly as tfjs marks its own programs'.
 * Unlike tfjs's programs, one of ours may write several outputs (an AdamW update writes p, m and v in one pass).
 *
 * Also the step-level submit policy (prepareWebGpuBackend): tfjs submits every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE
 * dispatches (15 by default); we raise that so a training step is recorded into one command buffer, which the
 * trainer submits at the end of the step (submitWebGpu). And uploads: tfjs copies every tensor that starts on the
 * CPU (a batch, a scalar operand, a constant of a gradient) through a staging buffer made for it and destroyed after
 * (a new buffer each time); we write it with queue.writeBuffer into a buffer from tfjs's pool instead. That is safe
 * because tfjs returns a buffer to its pool only at a submit, so no command still waiting to be submitted uses it.
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;

/** The parts of tfjs-backend-webgpu 4.22's WebGPUBackend we drive (public members of its class). */
interface WebGpuBackendInternals {
  device: GPUDevice;
  queue: GPUQueue;
  tensorMap: {
    get(
      dataId: object,
    ): { resource?: unknown; values?: ArrayLike<number> | null; dtype: string; shape: number[] } | undefined;
  };
  bufferManager: { acquireBuffer(size: number, usage: number): GPUBuffer };
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
  makeTensorInfo(shape: number[], dtype: tf.DataType): Info;
  uploadToGPU(dataId: object): void;
  makeUniforms(uniforms: Uniform[]): GPUBufferBinding;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

export interface Uniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

export interface WgslProgram {
  /** Names the pipeline in the cache (one per device). */
  key: string;
  /** A compute shader with entry point `main` and @workgroup_size(WORKGROUP): bindings 0… are the inputs (read-only
   *  storage), then the outputs (read_write storage), then one uniform struct; invocation i is `invocation(gid, nwg)`. */
  code: string;
}

export const WORKGROUP = 64;

/** The WGSL the programs share: the flat invocation index over a dispatch of up to 65535 × 65535 workgroups. */
export const INVOCATION_WGSL = `
fn invocation(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * ${WORKGROUP}u; }`;

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipelineFor(device: GPUDevice, program: WgslProgram): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let p = cache.get(program.key);
  if (!p) {
    p = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code: program.code }), entryPoint: 'main' },
    });
    cache.set(program.key, p);
  }
  return p;
}

/** Compiles `programs` on `device` (once each) and waits: a program the device rejects throws here, with its name. */
export async function compilePrograms(device: GPUDevice, programs: WgslProgram[]): Promise<void> {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  for (const program of programs) {
    if (cache.has(program.key)) continue;
    try {
      const pipeline = await device.createComputePipelineAsync({
        layout: 'auto',
        compute: { module: device.createShaderModule({ code: program.code }), entryPoint: 'main' },
      });
      cache.set(program.key, pipeline);
    } catch (e) {
      throw new Error(`the WebGPU program ${program.key} does not compile here: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** The backend's internals, checked once: a newer tfjs that moved them fails here, with a message, not silently. */
export function webgpuInternals(backend: unknown): WebGpuBackendInternals {
  const b = backend as Partial<WebGpuBackendInternals>;
  for (const m of ['makeUniforms', 'uploadToGPU', 'ensureCommandEncoderReady', 'endComputePassEncoder', 'submitQueue'])
    if (typeof (b as Record<string, unknown>)[m] !== 'function')
      throw new Error(`tfjs-backend-webgpu has no ${m}(): our WebGPU kernels need tfjs 4.22's backend`);
  return b as WebGpuBackendInternals;
}

function bufferOf(be: WebGpuBackendInternals, t: Info): GPUBuffer {
  be.uploadToGPU(t.dataId);
  const resource = be.tensorMap.get(t.dataId)?.resource as GPUBuffer | undefined;
  if (!resource || typeof (resource as Partial<GPUBuffer>).mapAsync !== 'function')
    throw new Error('a tensor is held in a texture, not a GPU buffer: our WebGPU kernels cannot read it');
  return resource;
}

/**
 * Records `program` over `invocations` invocations reading `inputs` and writing new tensors of `outputs`' shapes;
 * returns them. Nothing is submitted here unless tfjs's own batch size says so.
 */
export function recordProgram(
  backend: unknown,
  program: WgslProgram,
  inputs: Info[],
  outputs: { shape: number[]; dtype: tf.DataType }[],
  uniforms: Uniform[],
  invocations: number,
): Info[] {
  const be = webgpuInternals(backend);
  const made = outputs.map((o) => be.makeTensorInfo(o.shape, o.dtype));
  const entries: GPUBindGroupEntry[] = [...inputs, ...made].map((t, i) => ({
    binding: i,
    resource: { buffer: bufferOf(be, t) },
  }));
  entries.push({ binding: entries.length, resource: be.makeUniforms(uniforms) });
  for (const t of [...inputs, ...made]) be.commandQueueOwnedIds.add(t.dataId);
  const pipeline = pipelineFor(be.device, program);
  const bindGroup = be.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  be.ensureCommandEncoderReady();
  be.computePassEncoder ??= be.commandEncoder!.beginComputePass({});
  const pass = be.computePassEncoder;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP));
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x), 1);
  be.dispatchCountInPass++;
  if (be.dispatchCountInPass >= Number(tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'))) {
    be.endComputePassEncoder();
    be.submitQueue();
  }
  return made;
}

const onWebGpu = () => tf.getBackend() === 'webgpu';

/** Submits what tfjs has recorded (a training step's work), if anything; a no-op on other backends. */
export function submitWebGpu(): void {
  if (!onWebGpu()) return;
  const be = webgpuInternals(tf.backend());
  if (!be.commandEncoder) return;
  be.endComputePassEncoder();
  be.submitQueue();
}

/** Set on a backend once prepareWebGpuBackend has changed it. */
const prepared = new WeakSet<object>();

/** Steps recorded whole (submitted by the trainer), uploads without staging buffers. Call once the backend is set. */
export function prepareWebGpuBackend(backend: unknown): void {
  const be = webgpuInternals(backend);
  if (prepared.has(be)) return;
  prepared.add(be);
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', STEP_DISPATCH_LIMIT);
  const upload = be.uploadToGPU.bind(be);
  be.uploadToGPU = (dataId: object) => {
    const data = be.tensorMap.get(dataId);
    if (!data || data.resource != null || !data.values || !['float32', 'int32', 'bool'].includes(data.dtype))
      return upload(dataId);
    // GPU tensors of bool are int32 (4 bytes an element), as tfjs keeps them.
    const v = data.values;
    const values =
      data.dtype === 'float32'
        ? v instanceof Float32Array
          ? v
          : Float32Array.from(v)
        : v instanceof Int32Array
          ? v
          : Int32Array.from(v);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = be.bufferManager.acquireBuffer(values.byteLength, usage);
    be.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
    data.values = null;
    data.resource = buffer;
  };
}

/**
 * Dispatches recorded before tfjs submits on its own: high enough that a training step is one command buffer, low
 * enough to bound what waits unsubmitted if something records without end (tfjs frees buffers only at a submit).
 */
export const STEP_DISPATCH_LIMIT = 4096;
