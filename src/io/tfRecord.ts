/**
 * TFRecord framing, the container of TensorBoard's event files: each record is
 *
 *   uint64 length (little-endian) · uint32 masked CRC-32C of those 8 bytes · length bytes of data · uint32 masked
 *   CRC-32C of the data
 *
 * (tensorflow/core/lib/io/record_writer.cc; TensorBoard's own reader, tensorboard/data/server/tf_record.rs, checks
 * both CRCs too). Both checks are made; the first record that fails one, or that the file ends inside, is thrown as a
 * BundleError at its byte offset, and nothing after it is read: the length of a damaged record cannot be trusted to
 * find the next one.
 */
import { BundleError } from './bundleError.ts';
import { maskedCrc32c } from './crc32c.ts';

export const RECORD_HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const hex = (x: number) => `0x${x.toString(16).padStart(8, '0')}`;

export interface TfRecord {
  /** Byte offset of the record's header. */
  offset: number;
  data: Uint8Array;
}

/** Whether the bytes start with a well-framed record header (its length passes the CRC): a cheap content sniff. */
export function startsWithTfRecord(bytes: Uint8Array): boolean {
  return bytes.length >= RECORD_HEADER_BYTES && maskedCrc32c(bytes, 0, 8) === u32(bytes, 8);
}

export function* tfRecords(bytes: Uint8Array, file: string): Generator<TfRecord> {
  let at = 0;
  const n = bytes.length;
  while (at < n) {
    if (n - at < RECORD_HEADER_BYTES)
      throw new BundleError(
        file,
        null,
        null,
        `truncated record: the file ends ${n - at} bytes into a ${RECORD_HEADER_BYTES}-byte record header (cut short, or still being written)`,
        at,
      );
    const stored = u32(bytes, at + 8);
    const computed = maskedCrc32c(bytes, at, at + 8);
    if (stored !== computed)
      throw new BundleError(
        file,
        null,
        null,
        `damaged record: its length field fails the CRC-32C check (stored ${hex(stored)}, computed ${hex(computed)}); nothing after it is read`,
        at,
      );
    const length = u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
    const start = at + RECORD_HEADER_BYTES;
    if (length + FOOTER_BYTES > n - start)
      throw new BundleError(
        file,
        null,
        null,
        `truncated record: it holds ${length} bytes of data and a 4-byte CRC, but the file ends ${n - start} bytes after its header (cut short, or still being written)`,
        at,
      );
    const end = start + length;
    const dataStored = u32(bytes, end);
    const dataComputed = maskedCrc32c(bytes, start, end);
    if (dataStored !== dataComputed)
      throw new BundleError(
        file,
        null,
        null,
        `damaged record: its ${length} bytes of data fail the CRC-32C check (stored ${hex(dataStored)}, computed ${hex(dataComputed)}); nothing after it is read`,
        at,
      );
    yield { offset: at, data: bytes.subarray(start, end) };
    at = end + FOOTER_BYTES;
  }
}
