/**
 * tfjs-backend-wasm in a bundled browser worker: its binaries from this app's own server, and its threaded build
 * (SIMD + pthreads) when the page is cross-origin isolated (COOP/COEP sent, so SharedArrayBuffer exists).
 *
 * The threaded build starts its pthread workers from a Blob holding `factory.toString()`, the Emscripten module
 * factory as a function. A bundler's minifier rewrites that function in place: it turns the factory's guarded read
 * of a closure variable (`typeof _scriptDir !== "undefined" && _scriptDir`) into an unguarded one, which throws
 * `ReferenceError` in the pthread worker (where the closure is absent), and the backend never finishes starting.
 * So the factory is made to hand out its original, unminified source instead: the pthread workers evaluate the
 * very file tfjs ships, and the main thread keeps the bundled copy; both are the same Emscripten glue.
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as threadedFactoryModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { threadedFactorySource } from './wasmThreads.ts';

export interface BrowserWasmSetup {
  /** Whether the threaded build will be used (the page is cross-origin isolated). */
  threaded: boolean;
  /** Threads asked of it (the logical cores the browser reports); 1 without threads. */
  threads: number;
  /** Why not threaded, when not. */
  why?: string;
}

/** The threaded build starts 8 pthread workers, the most its pool can use. */
const MAX_THREADS = 8;

let setup: BrowserWasmSetup | null = null;

/** Call once, before the wasm backend starts. */
export function prepareBrowserWasm(): BrowserWasmSetup {
  if (setup) return setup;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) {
    // Without isolation there is no SharedArrayBuffer; tfjs would find that too, this only says so up front.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setup = {
      threaded: false,
      threads: 1,
      why: 'the page is not cross-origin isolated (its server sends no COOP/COEP headers)',
    };
    return setup;
  }
  const factory = ((threadedFactoryModule as unknown as { default?: unknown }).default ??
    threadedFactoryModule) as object;
  Object.defineProperty(factory, 'toString', {
    value: () => threadedFactorySource(threadedSource),
    configurable: true,
  });
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const threads = Math.min(cores, MAX_THREADS);
  // tfjs-wasm caps its pool at hardwareConcurrency / 2 (it assumes two hyperthreads to a core), which leaves a
  // 2-core machine one thread. It reads the figure once, when the module starts; this worker's navigator is its own.
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores * 2, configurable: true });
  setThreadsCount(threads);
  setup = { threaded: true, threads };
  return setup;
}
