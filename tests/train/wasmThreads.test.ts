import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { threadedFactorySource } from '../../src/train/wasmThreads.ts';

const shipped = readFileSync(
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
  'utf8',
);

describe('the source a pthread worker of the threaded wasm build evaluates', () => {
  it("is tfjs's shipped file behind the declaration tfjs prefixes, and defines the module factory", () => {
    const source = threadedFactorySource(shipped);
    expect(shipped.endsWith(source)).toBe(true);
    // What the pthread worker's blob holds: tfjs's prefix, then this.
    const factory = new Function(
      `var WasmBackendModuleThreadedSimd = ${source}; return WasmBackendModuleThreadedSimd;`,
    )();
    expect(typeof factory).toBe('function');
    expect(source).toContain('typeof _scriptDir !== "undefined" && _scriptDir');
  });

  it('refuses a file that no longer declares the factory as expected, saying so', () => {
    expect(() => threadedFactorySource('export default function () {}')).toThrow(
      /no longer starts with 'var WasmBackendModuleThreadedSimd =': its pthread workers cannot be given its source/,
    );
  });
});
