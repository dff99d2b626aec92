import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { maskedCrc32c, readEventFile, tfRecords } from '../../src/io/index.ts';
import {
  DataType,
  EventSchema,
  SummarySchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
} from '../../src/io/proto/tensorboard_events_pb.ts';
import { tensorScalar } from '../../src/io/tfEvents.ts';
import { fixtureBytes } from '../helpers/importFixtures.ts';

const scalarShape = () => create(TensorShapeProtoSchema, {});
const tensor = (init: Parameters<typeof create<typeof TensorProtoSchema>>[1]) =>
  create(TensorProtoSchema, { tensorShape: scalarShape(), ...init });
const bytesOf = (xs: number[], kind: 'f32' | 'f64' | 'u16' | 'i64') => {
  const size = { f32: 4, f64: 8, u16: 2, i64: 8 }[kind];
  const v = new DataView(new ArrayBuffer(size * xs.length));
  xs.forEach((x, i) =>
    kind === 'f32'
      ? v.setFloat32(i * size, x, true)
      : kind === 'f64'
        ? v.setFloat64(i * size, x, true)
        : kind === 'u16'
          ? v.setUint16(i * size, x, true)
          : v.setBigInt64(i * size, BigInt(x), true),
  );
  return new Uint8Array(v.buffer);
};

/** Events framed as TFRecords (the CRCs from src/io; the Python-written fixtures check those independently). */
function eventFile(events: Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  for (const e of events) {
    const head = new Uint8Array(8);
    new DataView(head.buffer).setUint32(0, e.length, true);
    const crc = (b: Uint8Array) => Array.from(bytesOf([0], 'f32').map((_, i) => (maskedCrc32c(b) >>> (8 * i)) & 0xff));
    parts.push(...head, ...crc(head), ...e, ...crc(e));
  }
  return Uint8Array.from(parts);
}

describe('TensorBoard Event messages', () => {
  it('reads a TF2 scalar tensor from any numeric dtype, in its *_val field or its tensor_content', () => {
    expect(tensorScalar(tensor({ dtype: DataType.DT_FLOAT, floatVal: [0.5] }))).toBe(0.5);
    expect(tensorScalar(tensor({ dtype: DataType.DT_DOUBLE, doubleVal: [0.1] }))).toBe(0.1);
    expect(tensorScalar(tensor({ dtype: DataType.DT_FLOAT, tensorContent: bytesOf([0.25], 'f32') }))).toBe(0.25);
    expect(tensorScalar(tensor({ dtype: DataType.DT_DOUBLE, tensorContent: bytesOf([0.1], 'f64') }))).toBe(0.1);
    expect(tensorScalar(tensor({ dtype: DataType.DT_HALF, halfVal: [0x3c00] }))).toBe(1); // 1.0 in float16
    expect(tensorScalar(tensor({ dtype: DataType.DT_HALF, tensorContent: bytesOf([0xc000], 'u16') }))).toBe(-2);
    expect(tensorScalar(tensor({ dtype: DataType.DT_BFLOAT16, halfVal: [0x3fc0] }))).toBe(1.5);
    expect(tensorScalar(tensor({ dtype: DataType.DT_INT64, int64Val: [7n] }))).toBe(7);
    expect(tensorScalar(tensor({ dtype: DataType.DT_INT64, tensorContent: bytesOf([-3], 'i64') }))).toBe(-3);
    expect(tensorScalar(tensor({ dtype: DataType.DT_INT32, intVal: [12] }))).toBe(12);
    // A [1]-shaped tensor holds one number too.
    const one = create(TensorShapeProtoSchema, { dim: [{ size: 1n }] });
    expect(tensorScalar(create(TensorProtoSchema, { dtype: DataType.DT_FLOAT, tensorShape: one, floatVal: [2] }))).toBe(
      2,
    );
  });

  it('says why a tensor is not a scalar', () => {
    const shape = create(TensorShapeProtoSchema, { dim: [{ size: 3n }] });
    expect(
      tensorScalar(create(TensorProtoSchema, { dtype: DataType.DT_FLOAT, tensorShape: shape, floatVal: [1, 2, 3] })),
    ).toBe('a tensor of shape [3], not one number');
    expect(tensorScalar(tensor({ dtype: DataType.DT_STRING }))).toBe('a tensor of dtype DT_STRING, not a number');
    expect(tensorScalar(tensor({ dtype: DataType.DT_FLOAT, tensorContent: new Uint8Array(8) }))).toBe(
      'a DT_FLOAT tensor whose content holds 8 bytes, not 4',
    );
    expect(tensorScalar(tensor({ dtype: DataType.DT_FLOAT }))).toBe('a DT_FLOAT tensor with 0 values, not one');
  });

  it("keeps a tag's plugin from its first metadata, and lists the tags that are not scalars", () => {
    const summary = (tag: string, plugin: string | null, t: ReturnType<typeof tensor>) =>
      create(SummarySchema, {
        value: [
          {
            tag,
            metadata: plugin ? { pluginData: { pluginName: plugin } } : undefined,
            value: { case: 'tensor', value: t },
          },
        ],
      });
    const event = (step: number, s: ReturnType<typeof summary>) =>
      toBinary(EventSchema, create(EventSchema, { step: BigInt(step), what: { case: 'summary', value: s } }));
    const scalar = (x: number) => tensor({ dtype: DataType.DT_FLOAT, floatVal: [x] });
    const file = eventFile([
      toBinary(EventSchema, create(EventSchema, { what: { case: 'fileVersion', value: 'brain.Event:2' } })),
      event(0, summary('loss', 'scalars', scalar(1))),
      event(0, summary('weights', 'histograms', scalar(9))),
      event(1, summary('loss', null, scalar(0.5))),
      event(1, summary('weights', null, scalar(8))),
    ]);
    const r = readEventFile(file, 'f');
    expect(r.version).toBe('brain.Event:2');
    expect(r.records).toBe(5);
    const at = [...tfRecords(file, 'f')].map((x) => x.offset);
    expect([...r.tags]).toEqual([['loss', { steps: [0, 1], values: [1, 0.5], offsets: [at[1], at[3]] }]]);
    expect([...r.skipped]).toEqual([
      ['weights', { reason: "values of the 'histograms' plugin, not scalars", count: 2 }],
    ]);
  });

  it("reads the independent writer's fixtures: simple_value, float_val, tensor_content, double_val", () => {
    for (const f of fixtureBytes('tfevents-format')) {
      const r = readEventFile(f.bytes, f.name);
      expect(r.version).toBe('brain.Event:2');
      expect(r.tags.size).toBe(18);
      expect(r.skipped.size).toBe(0);
    }
  });
});
