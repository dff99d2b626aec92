import { describe, expect, it } from 'vitest';
import { backendLabel } from '../../src/train/backendNames.ts';

describe('how the page names a backend', () => {
  it('gives the adapter of a GPU and the threads of wasm', () => {
    expect(backendLabel({ name: 'wasm', threads: 2 })).toBe('wasm · 2 threads');
    expect(backendLabel({ name: 'wasm', threads: 1 })).toBe('wasm · 1 thread');
    expect(backendLabel({ name: 'webgpu', adapter: 'nvidia hopper' })).toBe('webgpu (nvidia hopper)');
    expect(backendLabel({ name: 'cpu' })).toBe('cpu');
  });
});
