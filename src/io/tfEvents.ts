/**
 * The scalars of one TensorBoard event file: TFRecord framing (tfRecord.ts) around `Event` protobuf messages, decoded
 * with @bufbuild/protobuf from the subset of TensorBoard's protos in proto/tensorboard_events.proto.
 *
 * A scalar is a Summary.Value with `simple_value` (TF1, PyTorch's and tensorboardX's SummaryWriter), or with a
 * `tensor` of rank 0 and a numeric dtype, its number in the dtype's `*_val` field or in `tensor_content` (TF2's
 * tf.summary.scalar writes these, with plugin "scalars" in the tag's first metadata). TensorBoard writes a tag's
 * metadata only with its first value, so a tag's plugin is remembered across events. Values of other plugins
 * (histograms, images, text…) and tensors that are not one number are not scalars: their tags are listed as left out.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { BundleError } from './bundleError.ts';
import { DataType, EventSchema, type TensorProto } from './proto/tensorboard_events_pb.ts';
import { quoted } from './safeText.ts';
import { tfRecords } from './tfRecord.ts';

/** A tag's points in file order, as parallel arrays (a large file holds millions: no object per point). */
export interface ScalarPoints {
  steps: number[];
  values: number[];
  /** Byte offset of the record each came in. */
  offsets: number[];
}

export interface EventFileScalars {
  /** tag → its points. */
  tags: Map<string, ScalarPoints>;
  /** Values that are not scalars, by tag: why (the first reason) and how many. */
  skipped: Map<string, { reason: string; count: number }>;
  records: number;
  /** The first event's file_version ("brain.Event:2"), or null when it has none. */
  version: string | null;
}

const half = (h: number) => {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const s = h & 0x8000 ? -1 : 1;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
};

/** Bytes per element in tensor_content, and how to read one, for the numeric dtypes. */
const CONTENT: Partial<Record<DataType, [number, (v: DataView) => number]>> = {
  [DataType.DT_FLOAT]: [4, (v) => v.getFloat32(0, true)],
  [DataType.DT_DOUBLE]: [8, (v) => v.getFloat64(0, true)],
  [DataType.DT_HALF]: [2, (v) => half(v.getUint16(0, true))],
  [DataType.DT_BFLOAT16]: [2, (v) => new Float32Array(new Uint32Array([v.getUint16(0, true) << 16]).buffer)[0]],
  [DataType.DT_INT8]: [1, (v) => v.getInt8(0)],
  [DataType.DT_UINT8]: [1, (v) => v.getUint8(0)],
  [DataType.DT_INT16]: [2, (v) => v.getInt16(0, true)],
  [DataType.DT_UINT16]: [2, (v) => v.getUint16(0, true)],
  [DataType.DT_INT32]: [4, (v) => v.getInt32(0, true)],
  [DataType.DT_UINT32]: [4, (v) => v.getUint32(0, true)],
  [DataType.DT_INT64]: [8, (v) => Number(v.getBigInt64(0, true))],
  [DataType.DT_UINT64]: [8, (v) => Number(v.getBigUint64(0, true))],
};

/** The one number a scalar tensor holds, or why it is not one. */
export function tensorScalar(t: TensorProto): number | string {
  const dims = t.tensorShape?.dim ?? [];
  if (t.tensorShape?.unknownRank || dims.some((d) => d.size !== 1n))
    return `a tensor of shape [${dims.map((d) => d.size).join(', ')}], not one number`;
  const read = CONTENT[t.dtype];
  if (!read) return `a tensor of dtype ${DataType[t.dtype] ?? t.dtype}, not a number`;
  if (t.tensorContent.length > 0) {
    if (t.tensorContent.length !== read[0])
      return `a ${DataType[t.dtype]} tensor whose content holds ${t.tensorContent.length} bytes, not ${read[0]}`;
    const c = t.tensorContent;
    return read[1](new DataView(c.buffer, c.byteOffset, c.byteLength));
  }
  const vals: readonly (number | bigint)[] =
    t.dtype === DataType.DT_FLOAT
      ? t.floatVal
      : t.dtype === DataType.DT_DOUBLE
        ? t.doubleVal
        : t.dtype === DataType.DT_HALF || t.dtype === DataType.DT_BFLOAT16
          ? t.halfVal
          : t.dtype === DataType.DT_INT64
            ? t.int64Val
            : t.dtype === DataType.DT_UINT32
              ? t.uint32Val
              : t.dtype === DataType.DT_UINT64
                ? t.uint64Val
                : t.intVal;
  if (vals.length !== 1) return `a ${DataType[t.dtype]} tensor with ${vals.length} values, not one`;
  const v = vals[0];
  if (t.dtype === DataType.DT_HALF) return half(Number(v));
  if (t.dtype === DataType.DT_BFLOAT16) return new Float32Array(new Uint32Array([Number(v) << 16]).buffer)[0];
  return Number(v);
}

export function readEventFile(bytes: Uint8Array, file: string): EventFileScalars {
  const out: EventFileScalars = { tags: new Map(), skipped: new Map(), records: 0, version: null };
  const plugin = new Map<string, string>();
  for (const { offset, data } of tfRecords(bytes, file)) {
    let event;
    try {
      event = fromBinary(EventSchema, data, { readUnknownFields: false });
    } catch (e) {
      throw new BundleError(
        file,
        null,
        null,
        `the record's CRCs are right but it is not an Event protobuf message (${(e as Error).message}); nothing after it is read`,
        offset,
      );
    }
    if (out.records++ === 0) out.version = event.what.case === 'fileVersion' ? event.what.value : null;
    if (event.what.case !== 'summary') continue;
    const step = Number(event.step);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new BundleError(
        file,
        null,
        null,
        `an event with step ${event.step}: steps must be non-negative whole numbers`,
        offset,
      );
    for (const v of event.what.value.value) {
      const name = v.metadata?.pluginData?.pluginName;
      if (name && !plugin.has(v.tag)) plugin.set(v.tag, name);
      const p = plugin.get(v.tag);
      let value: number | string;
      if (v.value.case === 'simpleValue') value = v.value.value;
      else if (v.value.case === 'tensor')
        value = p && p !== 'scalars' ? `values of the ${quoted(p)} plugin, not scalars` : tensorScalar(v.value.value);
      else value = v.value.case ? `${v.value.case} values, not scalars` : 'values with no data';
      if (typeof value === 'string') {
        const s = out.skipped.get(v.tag);
        if (s) s.count++;
        else out.skipped.set(v.tag, { reason: value, count: 1 });
        continue;
      }
      let points = out.tags.get(v.tag);
      if (!points) out.tags.set(v.tag, (points = { steps: [], values: [], offsets: [] }));
      points.steps.push(step);
      points.values.push(value);
      points.offsets.push(offset);
    }
  }
  if (out.records === 0) throw new BundleError(file, null, null, 'the file is empty: no event records');
  return out;
}
