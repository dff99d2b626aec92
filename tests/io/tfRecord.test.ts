import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, importFiles, startsWithTfRecord, tfRecords } from '../../src/io/index.ts';
import { fixtureBytes, importFixtures } from '../helpers/importFixtures.ts';

const damaged = (name: string) => {
  const path = join(importFixtures, 'tfevents-damaged', name, 'events.out.tfevents.1');
  return { name: path, bytes: new Uint8Array(readFileSync(path)) };
};

/** The records read before the error, and the error. */
function readUntilError(f: { name: string; bytes: Uint8Array }): { offsets: number[]; error: BundleError } {
  const offsets: number[] = [];
  try {
    for (const r of tfRecords(f.bytes, f.name)) offsets.push(r.offset);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return { offsets, error: e as BundleError };
  }
  throw new Error('expected a BundleError');
}

describe('TFRecord framing', () => {
  it('reads every record of a sound file (the independent writer checks each offset)', () => {
    const offsets = readFileSync(join(importFixtures, 'tfevents-damaged/offsets.txt'), 'utf8');
    expect(offsets).toContain('record offsets: 0 42 82 122 162 202');
    for (const f of fixtureBytes('tfevents-format')) {
      expect(startsWithTfRecord(f.bytes)).toBe(true);
      expect([...tfRecords(f.bytes, f.name)].length).toBeGreaterThan(25);
    }
    expect(startsWithTfRecord(new TextEncoder().encode('run,step\n0,1,2,3,4,5\n'))).toBe(false);
  });

  it('a bad data CRC, a bad length CRC and a truncated record are located by file and byte; nothing after them is read', () => {
    const data = readUntilError(damaged('bad-data-crc'));
    expect(data.offsets).toEqual([0, 42, 82]);
    expect(data.error.byte).toBe(122);
    expect(data.error.message).toMatch(
      /tfevents-damaged\/bad-data-crc\/events\.out\.tfevents\.1, byte 122: damaged record: its 24 bytes of data fail the CRC-32C check \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\); nothing after it is read$/,
    );
    const length = readUntilError(damaged('bad-length-crc'));
    expect(length.offsets).toEqual([0, 42, 82]);
    expect(length.error.message).toMatch(/, byte 122: damaged record: its length field fails the CRC-32C check/);
    const cut = readUntilError(damaged('truncated'));
    expect(cut.offsets).toEqual([0, 42, 82, 122, 162]);
    expect(cut.error.message).toMatch(
      /, byte 202: truncated record: it holds 24 bytes of data and a 4-byte CRC, but the file ends 8 bytes after its header \(cut short, or still being written\)$/,
    );
    const header = { name: 'x', bytes: damaged('truncated').bytes.subarray(0, 207) };
    expect(readUntilError(header).error.message).toBe(
      'x, byte 202: truncated record: the file ends 5 bytes into a 12-byte record header (cut short, or still being written)',
    );
  });

  it('through importFiles the damaged file is named with its byte; its run is left out only with skipBad', () => {
    const good = fixtureBytes('tfevents-format').filter((f) => f.name.includes('/seed0/'));
    const bad = {
      ...damaged('bad-data-crc'),
      name: join(importFixtures, 'tfevents-format/seed9/events.out.tfevents.1'),
    };
    expect(() => importFiles([...good, bad], 'g')).toThrow(
      /^1 run of this import cannot be read: .*seed9\/events\.out\.tfevents\.1, byte 122: damaged record: .*; the other 1 run can be read$/,
    );
    const r = importFiles([...good, bad], 'g', { skipBad: true });
    expect(r.bundle.groups[0].runs.map((x) => x.id)).toEqual(['seed0']);
    expect(r.skipped).toEqual([
      { file: bad.name, run: 'seed9', message: expect.stringMatching(/byte 122: damaged record/) as unknown as string },
    ]);
  });
});
