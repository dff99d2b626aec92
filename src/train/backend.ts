/**
 * Picks the tfjs backend to train on and records why. Browser: webgpu → webgl → wasm → cpu.
 * Node: wasm → cpu, and webgpu only when asked for (it needs the Dawn `webgpu` package and a Vulkan
 * driver; the caller passes `prepareWebGpu` to set navigator.gpu up before the backend is imported).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels } from './wasmKernels.ts';

import type { BackendName } from './backendNames.ts';

export { BACKENDS, type BackendName } from './backendNames.ts';

export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** Backends tried before this one, with why each was passed over. */
  skipped: { name: BackendName; why: string }[];
  adapter?: string;
}

export interface BackendOptions {
  requested?: BackendName;
  environment?: 'node' | 'browser';
  /** Makes navigator.gpu available (Node: the Dawn bindings). Called before the webgpu backend is imported. */
  prepareWebGpu?: () => Promise<void>;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function tryBackend(name: BackendName, prepareWebGpu?: () => Promise<void>): Promise<string | null> {
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
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    if (name === 'wasm') patchWasmKernels();
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function adapterName(): Promise<string | undefined> {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const device = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }).adapterInfo;
  return device ? [device.vendor, device.architecture, device.description].filter(Boolean).join(' ') || undefined : undefined;
}

export async function selectBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  tf.env().set('PROD', true);
  const env = options.environment ?? (isNode ? 'node' : 'browser');
  const order: BackendName[] = options.requested ? [options.requested] : env === 'node' ? ['wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    if (env === 'node' && name === 'webgl') {
      skipped.push({ name, why: 'WebGL needs a browser' });
      continue;
    }
    const why = await tryBackend(name, options.prepareWebGpu);
    if (why === null) {
      const reason = options.requested
        ? `${name} was requested`
        : skipped.length === 0
          ? `${name} is the first choice ${env === 'node' ? 'in Node (no WebGPU unless asked for)' : 'in the browser'}`
          : `${name} is the first that works (${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')})`;
      return { name, reason, skipped, adapter: await adapterName() };
    }
    skipped.push({ name, why });
  }
  const tried = skipped.map((s) => `${s.name}: ${s.why}`).join('; ');
  throw new Error(options.requested ? `backend '${options.requested}' is not available here (${tried})` : `no tfjs backend works here (${tried})`);
}

export { tf };
