/**
 * Training state as bytes, to resume a run exactly: a JSON header (configuration, seeds, position,
 * per-seed status, tensor directory) followed by the float32 values, little-endian.
 */
import type { TrainingState } from './engine.ts';
import type { TrainingConfig } from './task.ts';

const MAGIC = 'TRAINMAP-STATE/1\n';

export interface SavedState {
  config: TrainingConfig;
  seeds: number[];
  backend: string;
  state: TrainingState;
}

interface Header {
  config: TrainingConfig;
  seeds: number[];
  backend: string;
  epoch: number;
  batch: number;
  optimizerStep: number;
  alive: number[];
  divergedAt: (number | null)[];
  tensors: { param: string; slot: number; length: number }[];
}

export function encodeState(saved: SavedState): Uint8Array {
  const { state } = saved;
  const tensors: Header['tensors'] = [];
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
    epoch: state.epoch,
    batch: state.batch,
    optimizerStep: state.optimizerStep,
    alive: state.alive,
    divergedAt: state.divergedAt,
    tensors,
  };
  const head = new TextEncoder().encode(MAGIC + JSON.stringify(header) + '\n');
  // Float data starts on a 4-byte boundary so it can be viewed without copying.
  const pad = (4 - (head.length % 4)) % 4;
  const total = head.length + pad + arrays.reduce((s, a) => s + a.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(head);
  out.fill(0x20, head.length, head.length + pad);
  let offset = head.length + pad;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return out;
}

export function decodeState(bytes: Uint8Array, file = 'state'): SavedState {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error(`${file}: not a Trainmap training state`);
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) throw new Error(`${file}: truncated header`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end)));
  } catch {
    throw new Error(`${file}: damaged header`);
  }
  let offset = end + 1;
  offset += (4 - (offset % 4)) % 4;
  const params: TrainingState['params'] = {};
  const slots: TrainingState['slots'] = {};
  for (const t of header.tensors) {
    const byteLength = t.length * 4;
    if (offset + byteLength > bytes.length) throw new Error(`${file}: truncated (the values of ${t.param} are cut off)`);
    const values = new Float32Array(bytes.slice(offset, offset + byteLength).buffer);
    offset += byteLength;
    if (t.slot < 0) params[t.param] = values;
    else (slots[t.param] ??= [])[t.slot] = values;
  }
  return {
    config: header.config,
    seeds: header.seeds,
    backend: header.backend,
    state: { epoch: header.epoch, batch: header.batch, optimizerStep: header.optimizerStep, alive: header.alive, divergedAt: header.divergedAt, params, slots },
  };
}
