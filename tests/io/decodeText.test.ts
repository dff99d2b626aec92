import { describe, expect, it } from 'vitest';
import {
  BundleError,
  formatRunsJson,
  parseRunsCsv,
  parseRunsJson,
  readBundle,
  readBundleText,
  type RunBundle,
} from '../../src/io/index.ts';

const csv = 'run,step,l1\nä-run,0,1.5\nä-run,10,2\n';
const bundle: RunBundle = {
  format: 'trainmap.runs/1',
  groups: [{ name: 'g', config: {}, runs: [{ id: 'ä', checkpoints: { step: [0, 1], l1: [1, 2] } }] }],
};
const json = formatRunsJson(bundle);

const utf8 = (s: string) => new TextEncoder().encode(s);
function utf16(s: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  const units = (bom ? '\ufeff' : '') + s;
  for (let i = 0; i < units.length; i++) {
    const c = units.charCodeAt(i);
    out[2 * i + (endian === 'le' ? 0 : 1)] = c & 0xff;
    out[2 * i + (endian === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
}
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(new Blob([bytes.slice()]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(),
  );
}
async function refusal(p: Promise<unknown> | (() => unknown)): Promise<BundleError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('bundle bytes: encodings, compression and binary files', () => {
  it('UTF-8 with or without a byte-order mark, as bytes or text', () => {
    expect(parseRunsCsv(utf8(csv), 'r.csv').groups[0].runs[0].id).toBe('ä-run');
    expect(parseRunsCsv(utf8('\ufeff' + csv), 'r.csv').groups[0].runs[0].id).toBe('ä-run');
    expect(parseRunsJson(utf8('\ufeff' + json), 'r.json').groups[0].runs[0].id).toBe('ä');
    expect(parseRunsJson('\ufeff' + json, 'r.json').groups[0].runs[0].id).toBe('ä');
  });

  it('UTF-16 little- and big-endian, with a byte-order mark or recognized by its zero bytes, CSV and JSON', () => {
    for (const endian of ['le', 'be'] as const) {
      for (const bom of [true, false]) {
        expect(readBundleText(utf16(csv, endian, bom), 'r.csv').groups[0].runs[0].checkpoints.l1).toEqual([1.5, 2]);
        expect(readBundleText(utf16(json, endian, bom), 'r.json').groups[0].runs[0].id).toBe('ä');
      }
    }
  });

  it('gzip is decompressed by readBundle (DecompressionStream); the synchronous readers say what it is', async () => {
    const gz = await gzip(utf8(csv));
    expect((await readBundle(gz, 'runs.csv.gz')).groups[0].runs[0].id).toBe('ä-run');
    expect((await readBundle(await gzip(utf16(json, 'le', true)), 'export.gz')).groups[0].runs[0].id).toBe('ä');
    expect((await refusal(() => parseRunsCsv(gz, 'runs.csv.gz'))).message).toBe(
      'runs.csv.gz: the file is gzip-compressed; decompress it first (readBundle does)',
    );
    expect((await refusal(readBundle(await gzip(gz), 'x.gz'))).message).toMatch(/gzip-compressed twice/);
    expect((await refusal(readBundle(gz.subarray(0, gz.length - 9), 'cut.gz'))).message).toMatch(
      /^cut\.gz: the file is gzip-compressed but does not decompress \(.*\); it may be truncated or corrupt$/,
    );
    // Text handed over as a string after a wrong decoding still gets a sentence, not a garbage header.
    expect((await refusal(() => readBundleText(new TextDecoder().decode(gz), 'runs.csv'))).message).toMatch(
      /NUL character: this is not a text bundle \(it looks like gzip data read as text\)/,
    );
  });

  it('other binary formats are named', async () => {
    const cases: [number[], RegExp][] = [
      [[0x50, 0x4b, 0x03, 0x04, 1, 2], /a ZIP archive \(an \.xlsx spreadsheet\?\)/],
      [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], /an old Office document/],
      [[0xff, 0xfe, 0, 0, 0x72, 0, 0, 0], /UTF-32 \(little-endian\)/],
      [[0x42, 0x5a, 0x68, 0x39], /bzip2-compressed/],
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], /a PNG image/],
    ];
    for (const [bytes, message] of cases)
      expect((await refusal(readBundle(new Uint8Array(bytes), 'in.csv'))).message).toMatch(message);
  });

  it('bytes that are not UTF-8, and NUL characters, are refused where they occur', async () => {
    const latin1 = new Uint8Array([...utf8('run,step,l1\ncaf'), 0xe9, ...utf8(',0,1\n')]);
    const e = await refusal(() => parseRunsCsv(latin1, 'latin1.csv'));
    expect(e.message).toBe(
      'latin1.csv, line 2, column 4: not UTF-8 text (byte 0xE9); if this is a text file in another encoding (Latin-1, Windows-1252), save it as UTF-8',
    );
    const nul = await refusal(() => parseRunsCsv('run,step,l1\na\u0000b,0,1\n', 'nul.csv'));
    expect([nul.line, nul.column]).toEqual([2, 2]);
    expect(nul.message).toMatch(/a NUL character: this is not a text bundle/);
  });
});
