/**
 * Which teaching preset a task starts on, for the machine it will train on: a hardware GPU trains the larger
 * teaching presets in minutes, while wasm (or a GPU emulated on the CPU, such as SwiftShader) needs the ones sized
 * for a CPU (issue #16 §3–4). Plain data: the page calls this before anything is trained.
 */
import type { PresetDefinition } from '../src/train/task.ts';
// From the tasks' index, so that asking registers every task (the registry alone may still be empty).
import { getTask } from './index.ts';

/** What the page knows about its backend: tfjs's name for it and, for WebGPU, the adapter's description. */
export interface BackendInfo {
  name: string;
  adapter?: string;
}

/** Renderer and adapter names of GPUs emulated on the CPU (as src/train/backend.ts passes over them). */
const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|fallback/i;

/** True for WebGPU or WebGL on real hardware; wasm, cpu and software renderers are CPUs. */
export function isHardwareGpu(backend: BackendInfo): boolean {
  if (backend.name !== 'webgpu' && backend.name !== 'webgl') return false;
  return !SOFTWARE_GPU.test(backend.adapter ?? '');
}

/**
 * The teaching preset of `task` for this backend: the one sized for its kind of machine, else one sized for any,
 * else the task's first teaching preset, else its first preset.
 */
export function teachingPreset(task: string, backend: BackendInfo): string {
  const def = getTask(task);
  if (!def) throw new Error(`unknown task '${task}'`);
  const presets = Object.entries(def.presets) as [string, PresetDefinition][];
  const device = isHardwareGpu(backend) ? 'gpu' : 'cpu';
  const teaching = presets.filter(([, p]) => p.teaching);
  const pick =
    teaching.find(([, p]) => p.device === device) ?? teaching.find(([, p]) => !p.device) ?? teaching[0] ?? presets[0];
  return pick[0];
}
