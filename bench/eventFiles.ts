/**
 * Writes TensorBoard event files the way PyTorch's SummaryWriter does (one Event per scalar, simple_value, a
 * file_version record first) for a bench: R runs × T tags × S steps, a folder per run. The encoder is written here
 * from the wire format (not the reader's code); the CRC is src/io's, which tests/io/crc32c.test.ts checks against the
 * standard check value and the independently written fixtures.
 */
import { maskedCrc32c } from '../src/io/crc32c.ts';

function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

const f64 = new DataView(new ArrayBuffer(8));

/** One Event{wall_time, step, summary{value{tag, simple_value}}} message. */
function scalarEvent(wall: number, step: number, tag: Uint8Array, value: number): Uint8Array {
  const v: number[] = [0x0a];
  varint(v, tag.length);
  v.push(...tag, 0x15);
  f64.setFloat32(0, value, true);
  for (let i = 0; i < 4; i++) v.push(f64.getUint8(i));
  const summary: number[] = [0x0a];
  varint(summary, v.length);
  summary.push(...v);
  const e: number[] = [0x09];
  f64.setFloat64(0, wall, true);
  for (let i = 0; i < 8; i++) e.push(f64.getUint8(i));
  e.push(0x10);
  varint(e, step);
  e.push(0x2a);
  varint(e, summary.length);
  e.push(...summary);
  return Uint8Array.from(e);
}

function framed(data: Uint8Array, out: Uint8Array, at: number): number {
  const view = new DataView(out.buffer, out.byteOffset);
  view.setUint32(at, data.length, true);
  view.setUint32(at + 4, 0, true);
  view.setUint32(at + 8, maskedCrc32c(out, at, at + 8), true);
  out.set(data, at + 12);
  view.setUint32(at + 12 + data.length, maskedCrc32c(data), true);
  return at + 16 + data.length;
}

/** One run's event file: T tags × S steps, values from a smooth curve plus a little noise. */
export function syntheticEventFile(run: number, tags: number, steps: number): Uint8Array {
  const names = Array.from({ length: tags }, (_, t) => new TextEncoder().encode(`metric_${t}`));
  const records: Uint8Array[] = [new TextEncoder().encode('')];
  const version = Uint8Array.from([0x1a, 13, ...new TextEncoder().encode('brain.Event:2')]);
  records[0] = version;
  let bytes = version.length + 16;
  const events: Uint8Array[] = [];
  for (let s = 0; s < steps; s++)
    for (let t = 0; t < tags; t++) {
      const e = scalarEvent(1.7e9 + s, s, names[t], Math.exp(-s / (1000 + 100 * t)) + 0.01 * Math.sin(run + s * t));
      events.push(e);
      bytes += e.length + 16;
    }
  const out = new Uint8Array(bytes);
  let at = framed(version, out, 0);
  for (const e of events) at = framed(e, out, at);
  return out;
}
