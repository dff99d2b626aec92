/**
 * From a file's bytes to the text a reader parses. UTF-8 (with or without a byte-order mark) and UTF-16
 * (with a byte-order mark, or recognizable by its zero bytes) are decoded; gzip is decompressed by
 * `gunzipBundle` with the platform's DecompressionStream (Node ≥ 18 and browsers alike; no node:zlib, so
 * this runs in the page); anything else that is not text is named (a spreadsheet, an archive, UTF-32…)
 * instead of being read as a garbage header.
 */
import { BundleError, lineColumnAt } from './bundleError.ts';
import { safeText } from './safeText.ts';

/** The most a bundle may decompress to: about the longest string a JavaScript engine can hold. */
export const MAX_TEXT_BYTES = 512 * 2 ** 20;

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Formats recognizable by their first bytes that are not text bundles, and what to tell the user. */
const SIGNATURES: { sig: number[]; what: string }[] = [
  { sig: [0x00, 0x00, 0xfe, 0xff], what: 'UTF-32 (big-endian) text; save it as UTF-8' },
  { sig: [0xff, 0xfe, 0x00, 0x00], what: 'UTF-32 (little-endian) text; save it as UTF-8' },
  { sig: ascii('PK\x03\x04'), what: 'a ZIP archive (an .xlsx spreadsheet?); export the sheet as CSV, or unzip it' },
  { sig: ascii('PK\x05\x06'), what: 'an empty ZIP archive' },
  {
    sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'an old Office document (.xls?); export the sheet as CSV',
  },
  { sig: ascii('BZh'), what: 'bzip2-compressed; decompress it first (bunzip2)' },
  { sig: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed; decompress it first (unxz)' },
  { sig: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed; decompress it first (unzstd)' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { sig: ascii('PAR1'), what: 'a Parquet file; export it as CSV' },
  { sig: [0x89, 0x48, 0x44, 0x46], what: 'an HDF5 file' },
  { sig: ascii('SQLite format 3\x00'), what: 'an SQLite database' },
  { sig: [0x93, ...ascii('NUMPY')], what: 'a NumPy array file (.npy)' },
  { sig: [0x89, ...ascii('PNG')], what: 'a PNG image' },
  { sig: ascii('%PDF'), what: 'a PDF document' },
];

export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Decompresses gzip bytes (refusing output beyond MAX_TEXT_BYTES); other bytes come back as they are. */
export async function gunzipBundle(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream === 'undefined') {
    throw new BundleError(
      file,
      null,
      null,
      'the file is gzip-compressed and this JavaScript runtime has no DecompressionStream; gunzip it first',
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_TEXT_BYTES) {
        await reader.cancel();
        throw new BundleError(
          file,
          null,
          null,
          `the file is gzip-compressed and decompresses to more than ${MAX_TEXT_BYTES / 2 ** 20} MiB`,
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof BundleError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new BundleError(
      file,
      null,
      null,
      `the file is gzip-compressed but does not decompress (${safeText(why, 120)}); it may be truncated or corrupt`,
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  if (isGzip(out))
    throw new BundleError(file, null, null, 'the file is gzip-compressed twice; decompress it once first');
  return out;
}

/** UTF-16 without a byte-order mark, by its zero bytes: mostly-ASCII text has one in every other position. */
function bomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > 0.4 * pairs && evenZero < 0.05 * pairs) return 'utf-16le';
  if (evenZero > 0.4 * pairs && oddZero < 0.05 * pairs) return 'utf-16be';
  return null;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function decode(bytes: Uint8Array, encoding: string, file: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (e) {
    if (e instanceof RangeError)
      throw new BundleError(
        file,
        null,
        null,
        `the file is too large to read as text (${(bytes.length / 2 ** 20).toFixed(0)} MiB)`,
      );
    throw new BundleError(
      file,
      null,
      null,
      `the file starts like ${encoding.toUpperCase()} text but is not valid ${encoding.toUpperCase()}`,
    );
  }
}

/** A bundle's bytes as text: UTF-8 or UTF-16 decoded, byte-order mark dropped; other formats refused with what they are. */
export function decodeBundleBytes(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_TEXT_BYTES)
    throw new BundleError(
      file,
      null,
      null,
      `the file is too large to read as text (${(bytes.length / 2 ** 20).toFixed(0)} MiB)`,
    );
  if (isGzip(bytes))
    throw new BundleError(file, null, null, 'the file is gzip-compressed; decompress it first (readBundle does)');
  for (const { sig, what } of SIGNATURES)
    if (startsWith(bytes, sig)) throw new BundleError(file, null, null, `not a text bundle: the file is ${what}`);
  let text: string;
  if (startsWith(bytes, [0xff, 0xfe])) text = decode(bytes.subarray(2), 'utf-16le', file);
  else if (startsWith(bytes, [0xfe, 0xff])) text = decode(bytes.subarray(2), 'utf-16be', file);
  else {
    const utf16 = bomlessUtf16(bytes);
    if (utf16) text = decode(bytes, utf16, file);
    else {
      const bad = firstInvalidUtf8(bytes);
      if (bad >= 0) {
        const before = new TextDecoder().decode(bytes.subarray(0, bad));
        const { line, column } = lineColumnAt(before, before.length);
        const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
        throw new BundleError(
          file,
          line,
          column,
          `not UTF-8 text (byte 0x${byte}); if this is a text file in another encoding (Latin-1, Windows-1252), save it as UTF-8`,
        );
      }
      text = new TextDecoder('utf-8').decode(bytes); // drops a leading byte-order mark
    }
  }
  return checkedText(text, file);
}

/**
 * Text handed over as a string (a page's File.text(), a test): a leading byte-order mark is dropped, and
 * NUL characters — which no text bundle holds, but binary files and UTF-16 read as UTF-8 are full of — are
 * refused where they first occur.
 */
export function checkedText(text: string, file: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nul = body.indexOf('\u0000');
  if (nul >= 0) {
    const { line, column } = lineColumnAt(body, nul);
    const hint = body.startsWith('\u001f\ufffd')
      ? 'it looks like gzip data read as text'
      : 'binary data, or UTF-16 text read as UTF-8; pass the bytes to read it';
    throw new BundleError(file, line, column, `a NUL character: this is not a text bundle (${hint})`);
  }
  return body;
}

/** Text from a string or bytes (see decodeBundleBytes and checkedText). */
export function bundleText(input: string | Uint8Array, file: string): string {
  return typeof input === 'string' ? checkedText(input, file) : decodeBundleBytes(input, file);
}
