import { describe, expect, it } from 'vitest';
import { murmur3, murmur3Hex } from '../../src/train/checksum.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('murmur3 (x86, 32-bit)', () => {
  it("gives the reference implementation's values", () => {
    // Values of Austin Appleby's MurmurHash3_x86_32 (SMHasher).
    expect(murmur3(new Uint8Array(0))).toBe(0);
    expect(murmur3(new Uint8Array(0), 1)).toBe(0x514e28b7);
    expect(murmur3(new Uint8Array(0), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(Uint8Array.of(0, 0, 0, 0))).toBe(0x2362f9de);
    expect(murmur3(Uint8Array.of(0x21, 0x43, 0x65), 0)).toBe(0x7e4a8634);
    expect(murmur3(text('hello'))).toBe(0x248bfa47);
    expect(murmur3Hex(text('The quick brown fox jumps over the lazy dog'))).toBe('2e4ff723');
  });

  it('does not depend on where the bytes sit in their buffer, and every tail length mixes in', () => {
    const data = Uint8Array.from({ length: 37 }, (_, i) => (i * 73 + 11) & 255);
    const seen = new Set<number>();
    for (let n = 0; n <= data.length; n++) {
      const shifted = new Uint8Array(n + 3);
      shifted.set(data.subarray(0, n), 3);
      expect(murmur3(shifted.subarray(3), 7), `length ${n}`).toBe(murmur3(data.slice(0, n), 7));
      seen.add(murmur3(data.subarray(0, n), 7));
    }
    expect(seen.size).toBe(data.length + 1);
  });
});
