/**
 * WebGPU in Node through Dawn (the `webgpu` npm package). Without a GPU, Debian's chromium ships
 * SwiftShader's Vulkan driver; we point the Vulkan loader at it when nothing else is configured.
 * Must run before @tensorflow/tfjs-backend-webgpu is imported (it reads navigator.gpu on import).
 */
import { existsSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export async function prepareNodeWebGpu(): Promise<void> {
  if ((globalThis.navigator as Navigator | undefined)?.gpu) return;
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) {
    // The loader reads these when the first instance is created, which happens below.
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const nav = (globalThis.navigator ?? {}) as { gpu?: GPU };
  nav.gpu = create([]);
  if (!globalThis.navigator) Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
}
