/**
 * Counts what tfjs (and our kernels) ask of a WebGPU device: compute dispatches, queue submits, new buffers, bind
 * groups, uniform writes (queue.writeBuffer into a UNIFORM buffer), other buffer writes and read-backs (mapAsync),
 * by wrapping the methods of the device, its queue and the encoders and passes it hands out. Works on Dawn in Node
 * (the `webgpu` package) and on a browser's device alike.
 */
export interface WebGpuCounts {
  dispatches: number;
  submits: number;
  newBuffers: number;
  bindGroups: number;
  uniformWrites: number;
  otherWrites: number;
  readbacks: number;
}

export interface WebGpuCounter {
  counts: WebGpuCounts;
  reset(): void;
}

const zero = (): WebGpuCounts => ({
  dispatches: 0,
  submits: 0,
  newBuffers: 0,
  bindGroups: 0,
  uniformWrites: 0,
  otherWrites: 0,
  readbacks: 0,
});

/** Replaces `obj[name]` with a function that runs `before` and then the original (bound to obj). */
function wrap<T extends object>(
  obj: T,
  name: string,
  before: (...args: unknown[]) => void,
  after?: (r: unknown) => void,
) {
  const target = obj as Record<string, unknown>;
  const original = target[name] as (...args: unknown[]) => unknown;
  if (typeof original !== 'function') throw new Error(`cannot count ${name}: not a method here`);
  target[name] = (...args: unknown[]) => {
    before(...args);
    const r = original.apply(obj, args);
    after?.(r);
    return r;
  };
}

const UNIFORM = 0x0040; // GPUBufferUsage.UNIFORM

/** Starts counting on `device` (and on `queue`, when the caller holds the device's queue as its own object). */
export function countWebGpuCalls(device: GPUDevice, queue: GPUQueue = device.queue): WebGpuCounter {
  const counter: WebGpuCounter = {
    counts: zero(),
    reset() {
      this.counts = zero();
    },
  };
  const c = () => counter.counts;
  wrap(
    device,
    'createBuffer',
    () => c().newBuffers++,
    (buffer) => wrap(buffer as GPUBuffer, 'mapAsync', () => c().readbacks++),
  );
  wrap(device, 'createBindGroup', () => c().bindGroups++);
  wrap(
    device,
    'createCommandEncoder',
    () => undefined,
    (encoder) =>
      wrap(
        encoder as GPUCommandEncoder,
        'beginComputePass',
        () => undefined,
        (pass) => {
          wrap(pass as GPUComputePassEncoder, 'dispatchWorkgroups', () => c().dispatches++);
          wrap(pass as GPUComputePassEncoder, 'dispatchWorkgroupsIndirect', () => c().dispatches++);
        },
      ),
  );
  const queues = new Set([queue, device.queue]);
  for (const q of queues) {
    wrap(q, 'submit', () => c().submits++);
    wrap(q, 'writeBuffer', (buffer) => {
      if (((buffer as GPUBuffer).usage & UNIFORM) !== 0) c().uniformWrites++;
      else c().otherWrites++;
    });
  }
  return counter;
}
