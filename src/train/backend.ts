/**
 * Picks the tfjs backend to train on and records why. Browser: webgpu → webgl → wasm → cpu.
 * Node: wasm → cpu, and webgpu only when asked for (it needs the Dawn `webgpu` package and a Vulkan
 * driver; the caller passes `prepareWebGpu` to set navigator.gpu up before the backend is imported).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels } from './wasmKernels.ts';
import { ADAMW_KERNEL } from './optimizers.ts';
import { prepareWebGpuBackend } from './webgpuDispatch.ts';
import { compileWebGpuKernels, registerWebGpuKernels } from './webgpuKernels.ts';

import type { BackendName } from './backendNames.ts';

export { BACKENDS, type BackendName } from './backendNames.ts';

export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** Backends tried before this one, with why each was passed over. */
  skipped: { name: BackendName; why: string }[];
  adapter?: string;
  /** wasm: the threads its kernels run on (more than 1 only with the threaded build, in a cross-origin isolated page). */
  threads?: number;
}

export interface BackendOptions {
  requested?: BackendName;
  environment?: 'node' | 'browser';
  /** Makes navigator.gpu available (Node: the Dawn bindings). Called before the webgpu backend is imported. */
  prepareWebGpu?: () => Promise<void>;
  /** How long a backend may take to start before it counts as broken (default 60 s). */
  startTimeoutMs?: number;
  /** Backends not to try (one that already failed here), with why. */
  exclude?: { name: BackendName; why: string }[];
}

const START_TIMEOUT_MS = 60_000;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Renderer names of GPUs emulated on the CPU: slower than the wasm backend for every task here. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** Why a WebGPU adapter is a CPU in disguise, or null for real hardware. */
function softwareAdapter(adapter: GPUAdapter): string | null {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  const name = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') : '';
  if (info?.isFallbackAdapter || SOFTWARE_RENDERER.test(name))
    return `the WebGPU adapter is software (${name || 'a fallback adapter'}), slower than wasm`;
  return null;
}

/** Why WebGL here is software rendering, or null (also when it cannot be told). */
function softwareWebgl(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return SOFTWARE_RENDERER.test(renderer) ? `WebGL renders in software (${renderer}), slower than wasm` : null;
  } catch {
    return null;
  }
}

/**
 * A backend that never finishes starting (the wasm build's pthread workers failing to load, say) must not leave
 * training waiting in silence: after `ms` it counts as failed, with the reason.
 */
export function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish starting within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function tryBackend(
  name: BackendName,
  prepareWebGpu?: () => Promise<void>,
  automatic = false,
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      await prepareWebGpu?.();
      const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
      if (!gpu) return 'navigator.gpu is not available';
      const adapter = await gpu.requestAdapter();
      if (!adapter) {
        return isNode
          ? "no WebGPU adapter was found (Dawn needs the Vulkan loader libvulkan.so.1 and a Vulkan driver; without a GPU, Debian's libvulkan1 and chromium provide SwiftShader)"
          : 'no WebGPU adapter was found';
      }
      // Chosen automatically, a software adapter loses to wasm; asked for by name, it is used (tests do).
      const software = automatic ? softwareAdapter(adapter) : null;
      if (software) return software;
      await import('@tensorflow/tfjs-backend-webgpu');
      if (!tf.getKernel(ADAMW_KERNEL, 'webgpu')) registerWebGpuKernels();
    }
    if (name === 'webgl') {
      const software = automatic ? softwareWebgl() : null;
      if (software) return software;
      await import('@tensorflow/tfjs-backend-webgl');
    }
    if (name === 'wasm') patchWasmKernels();
    const ok = await withinTime(tf.setBackend(name), startTimeoutMs, `the ${name} backend`);
    if (!ok) return await whyNotStarted(name, startTimeoutMs);
    await tf.ready();
    if (name === 'webgpu') {
      prepareWebGpuBackend(tf.backend());
      await compileWebGpuKernels((tf.backend() as unknown as { device: GPUDevice }).device);
    }
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * tfjs's setBackend only answers false when a backend fails to initialize, and (with PROD set) logs nothing: the
 * factory is run once more, to say the reason (a wasm compile error, a missing adapter) rather than only that it failed.
 */
async function whyNotStarted(name: BackendName, startTimeoutMs: number): Promise<string> {
  const failed = `tf.setBackend('${name}') failed`;
  try {
    const factory = tf.findBackendFactory(name);
    if (!factory) return `${failed}: it is not registered`;
    await withinTime(Promise.resolve(factory()), startTimeoutMs, `the ${name} backend`);
    return failed;
  } catch (e) {
    return `${failed}: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}`;
  }
}

async function adapterName(): Promise<string | undefined> {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const device = (
    tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }
  ).adapterInfo;
  return device
    ? [device.vendor, device.architecture, device.description].filter(Boolean).join(' ') || undefined
    : undefined;
}

export async function selectBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  tf.env().set('PROD', true);
  const env = options.environment ?? (isNode ? 'node' : 'browser');
  const order: BackendName[] = options.requested
    ? [options.requested]
    : env === 'node'
      ? ['wasm', 'cpu']
      : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const skipped: BackendChoice['skipped'] = [...(options.exclude ?? [])];
  for (const name of order) {
    if (skipped.some((s) => s.name === name)) continue;
    if (env === 'node' && name === 'webgl') {
      skipped.push({ name, why: 'WebGL needs a browser' });
      continue;
    }
    const why = await tryBackend(name, options.prepareWebGpu, !options.requested, options.startTimeoutMs);
    if (why === null) {
      const reason = options.requested
        ? `${name} was requested`
        : skipped.length === 0
          ? `${name} is the first choice ${env === 'node' ? 'in Node (no WebGPU unless asked for)' : 'in the browser'}`
          : `${name} is the first that works (${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')})`;
      return {
        name,
        reason,
        skipped,
        adapter: await adapterName(),
        ...(name === 'wasm' ? { threads: getThreadsCount() } : {}),
      };
    }
    skipped.push({ name, why });
  }
  const tried = skipped.map((s) => `${s.name}: ${s.why}`).join('; ');
  throw new Error(
    options.requested
      ? `backend '${options.requested}' is not available here (${tried})`
      : `no tfjs backend works here (${tried})`,
  );
}

export { tf };
