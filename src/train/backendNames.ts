/** The tfjs backends a run can name, in the browser's order of preference; plain data, so settings and pages need not load tfjs. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
