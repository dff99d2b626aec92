/** The tfjs backends a run can name, in the browser's order of preference; plain data, so settings and pages need not load tfjs. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** How the page names the backend a run trains on: "wasm · 2 threads", "webgpu (NVIDIA …)". */
export function backendLabel(b: { name: string; adapter?: string; threads?: number }): string {
  const threads = b.threads ? ` · ${b.threads} thread${b.threads === 1 ? '' : 's'}` : '';
  return `${b.name}${b.adapter ? ` (${b.adapter})` : ''}${threads}`;
}
