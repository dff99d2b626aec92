/**
 * Whether this page may use threads (SharedArrayBuffer, so tfjs-wasm's threaded build) and, when not, why, in one
 * sentence for the page. Threads need cross-origin isolation: the host must send Cross-Origin-Opener-Policy:
 * same-origin and Cross-Origin-Embedder-Policy: require-corp with the page (README, "Hosting").
 */
export function threadsNote(scope: { crossOriginIsolated?: boolean } = globalThis): string {
  return scope.crossOriginIsolated
    ? 'Threads: on (the page is cross-origin isolated).'
    : 'Threads: off. This host does not send the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers that let a page use threads, so WebAssembly training runs on one thread per worker (WebGPU is not affected).';
}
