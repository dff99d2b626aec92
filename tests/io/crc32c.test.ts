import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../src/io/index.ts';
import { fixtureBytes } from '../helpers/importFixtures.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('CRC-32C', () => {
  it('gives the check value of the Castagnoli CRC, over any slice', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xff, ascending, descending.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    const framed = ascii('xx123456789yy');
    expect(crc32c(framed, 2, 11)).toBe(0xe3069283);
    for (let n = 0; n < 9; n++) expect(crc32c(framed, 2, 2 + n)).toBe(crc32c(ascii('123456789'.slice(0, n))));
  });

  it("matches the masked CRCs of the fixtures' independent Python writer", () => {
    for (const { bytes } of fixtureBytes('tfevents-format')) {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const length = view.getUint32(0, true);
      expect(view.getUint32(8, true)).toBe(maskedCrc32c(bytes, 0, 8));
      expect(view.getUint32(12 + length, true)).toBe(maskedCrc32c(bytes, 12, 12 + length));
    }
  });
});
