/**
 * Training state as bytes, to resume a run exactly. Layout:
 *
 *   TRAINMAP-STATE/2 murmur3:xxxxxxxx\n   a fixed-length first line: format and the checksum of the rest
 *   {header JSON}\n                       configuration, seeds, run identity, position, per-seed status, tensor directory
 *   spaces                                up to a 4-byte boundary, so the floats can be viewed without copying
 *   float32 values, little-endian         every parameter and optimizer slot, in the directory's order
 *
 * The checksum covers everything after the first line. Decoding checks it, then every header field, and
 * says in one sentence what is wrong; it never returns a state it has not fully checked. No Node-only API
 * is used, so the page and a worker decode states the same way.
 */
import type { TrainingState } from './batchedTrainer.ts';
import { murmur3Hex } from './checksum.ts';
import type { TrainingConfig } from './task.ts';

const FORMAT = 'TRAINMAP-STATE/2';
const FIRST_LINE_LENGTH = `${FORMAT} murmur3:00000000\n`.length;
const FIRST_LINE = /^TRAINMAP-STATE\/2 murmur3:([0-9a-f]{8})\n$/;

export interface SavedState {
  config: TrainingConfig;
  seeds: number[];
  backend: string;
  /** The run's identity, shared with its bundle (group config `trainingId`): a state resumes only its own run. */
  trainingId: string;
  state: TrainingState;
}

interface TensorEntry {
  param: string;
  /** -1: the parameter's values; k ≥ 0: its optimizer slot k. */
  slot: number;
  length: number;
}

interface Header {
  config: TrainingConfig;
  seeds: number[];
  backend: string;
  trainingId: string;
  epoch: number;
  batch: number;
  optimizerStep: number;
  alive: number[];
  divergedAt: (number | null)[];
  tensors: TensorEntry[];
}

export function encodeState(saved: SavedState): Uint8Array {
  const { state } = saved;
  const tensors: TensorEntry[] = [];
  const arrays: Float32Array[] = [];
  for (const [param, values] of Object.entries(state.params)) {
    tensors.push({ param, slot: -1, length: values.length });
    arrays.push(values);
    (state.slots[param] ?? []).forEach((s, slot) => {
      tensors.push({ param, slot, length: s.length });
      arrays.push(s);
    });
  }
  const header: Header = {
    config: saved.config,
    seeds: saved.seeds,
    backend: saved.backend,
    trainingId: saved.trainingId,
    epoch: state.epoch,
    batch: state.batch,
    optimizerStep: state.optimizerStep,
    alive: state.alive,
    divergedAt: state.divergedAt,
    tensors,
  };
  const head = new TextEncoder().encode(JSON.stringify(header) + '\n');
  const valuesAt = FIRST_LINE_LENGTH + head.length;
  const pad = (4 - (valuesAt % 4)) % 4;
  const out = new Uint8Array(valuesAt + pad + arrays.reduce((s, a) => s + a.byteLength, 0));
  out.set(head, FIRST_LINE_LENGTH);
  out.fill(0x20, valuesAt, valuesAt + pad);
  let offset = valuesAt + pad;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  out.set(new TextEncoder().encode(`${FORMAT} murmur3:${murmur3Hex(out.subarray(FIRST_LINE_LENGTH))}\n`));
  return out;
}

export function decodeState(bytes: Uint8Array, file = 'state'): SavedState {
  const first = new TextDecoder().decode(bytes.subarray(0, FIRST_LINE_LENGTH));
  const match = FIRST_LINE.exec(first);
  if (!match) {
    if (first.startsWith('TRAINMAP-STATE/1\n'))
      throw new Error(
        `${file}: written by an older Trainmap, without a checksum or run identity, so it cannot be resumed safely; start the run again`,
      );
    throw new Error(`${file}: not a Trainmap training state (it does not start with '${FORMAT} murmur3:…')`);
  }
  const actual = murmur3Hex(bytes.subarray(FIRST_LINE_LENGTH));
  if (actual !== match[1])
    throw new Error(
      `${file}: checksum mismatch (recorded ${match[1]}, contents hash to ${actual}): the file was altered or damaged; refusing to resume from it`,
    );
  const end = bytes.indexOf(10, FIRST_LINE_LENGTH);
  if (end < 0) throw new Error(`${file}: the header line has no end`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(FIRST_LINE_LENGTH, end)));
  } catch (e) {
    throw new Error(`${file}: the header is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const header = checkHeader(raw, file);
  let offset = end + 1;
  offset += (4 - (offset % 4)) % 4;
  const expected = header.tensors.reduce((s, t) => s + t.length * 4, 0);
  if (bytes.length - offset !== expected)
    throw new Error(
      `${file}: the header lists ${expected} bytes of values but the file holds ${Math.max(0, bytes.length - offset)}`,
    );
  const params: TrainingState['params'] = {};
  const slots: TrainingState['slots'] = {};
  for (const t of header.tensors) {
    const values = new Float32Array(bytes.slice(offset, offset + t.length * 4).buffer);
    offset += t.length * 4;
    if (t.slot < 0) params[t.param] = values;
    else (slots[t.param] ??= [])[t.slot] = values;
  }
  return {
    config: header.config,
    seeds: header.seeds,
    backend: header.backend,
    trainingId: header.trainingId,
    state: {
      epoch: header.epoch,
      batch: header.batch,
      optimizerStep: header.optimizerStep,
      alive: header.alive,
      divergedAt: header.divergedAt,
      params,
      slots,
    },
  };
}

const isWhole = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every header field, with one sentence per way it can be wrong. */
function checkHeader(raw: unknown, file: string): Header {
  const where = `${file}: the state header`;
  if (!isObject(raw)) throw new Error(`${where} is not a JSON object`);
  const need = (name: keyof Header, ok: (v: unknown) => boolean, what: string) => {
    if (!(name in raw)) throw new Error(`${where} has no '${name}' (${what})`);
    if (!ok(raw[name]))
      throw new Error(`${where} has a bad '${name}': ${JSON.stringify(raw[name])?.slice(0, 60)} is not ${what}`);
  };
  need('config', (v) => isObject(v) && isWhole(v.epochs, 1), 'a training configuration with whole epochs ≥ 1');
  need(
    'seeds',
    (v) => Array.isArray(v) && v.length > 0 && v.every((s) => isWhole(s)),
    'a non-empty list of whole seeds ≥ 0',
  );
  const seeds = raw.seeds as number[];
  need('backend', (v) => typeof v === 'string', 'a backend name');
  need('trainingId', (v) => typeof v === 'string' && v.length > 0, 'the run identity (a non-empty string)');
  need('epoch', (v) => isWhole(v), 'a whole number ≥ 0');
  need('batch', (v) => isWhole(v), 'a whole number ≥ 0');
  need('optimizerStep', (v) => isWhole(v), 'a whole number ≥ 0');
  need(
    'alive',
    (v) => Array.isArray(v) && v.length === seeds.length && v.every((a) => a === 0 || a === 1),
    `a list of ${seeds.length} flags (0 or 1), one per seed`,
  );
  need(
    'divergedAt',
    (v) => Array.isArray(v) && v.length === seeds.length && v.every((d) => d === null || isWhole(d)),
    `a list of ${seeds.length} steps (or null), one per seed`,
  );
  need(
    'tensors',
    (v) =>
      Array.isArray(v) &&
      v.every((t) => isObject(t) && typeof t.param === 'string' && isWhole(t.slot, -1) && isWhole(t.length)),
    'a list of {param, slot, length} entries',
  );
  return raw as unknown as Header;
}
