/**
 * MurmurHash3 (x86, 32-bit) of a byte array: a fast, well-mixed hash that catches damaged or edited
 * training states. Pure TypeScript so the state codec runs unchanged in Node, a worker and the page;
 * it is a check against accidents and edits, not a signature (anyone can recompute it).
 */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const n = bytes.length;
  const whole = n & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = n & 3;
  if (rest > 0) {
    let k = bytes[whole];
    if (rest > 1) k ^= bytes[whole + 1] << 8;
    if (rest > 2) k ^= bytes[whole + 2] << 16;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash as 8 lowercase hex digits. */
export function murmur3Hex(bytes: Uint8Array, seed = 0): string {
  return murmur3(bytes, seed).toString(16).padStart(8, '0');
}
