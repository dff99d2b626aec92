import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { decodeState, encodeState, type SavedState } from '../../src/train/stateCodec.ts';
import { tinyModAdd, tinyParity } from './tiny.ts';

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed, 'state');
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** An AdamW state (two slots per parameter) of 3 seeds, one diverged, with the float32 values that must survive. */
function adamwState(backend = 'wasm'): SavedState {
  const w = values(3 * 16 * 8, 1);
  w.set([NaN, -0, Infinity, -Infinity, 1e-45, 3.4028234663852886e38], 0);
  return {
    config: tinyModAdd(),
    seeds: [4, 9, 11],
    backend,
    trainingId: 'run-adamw',
    state: {
      epoch: 3,
      batch: 2,
      optimizerStep: 17,
      alive: [1, 0, 1],
      divergedAt: [null, 12, null],
      params: { embed: w, bias: values(3 * 5, 2), empty: new Float32Array(0) },
      slots: {
        embed: [values(w.length, 3), values(w.length, 4)],
        bias: [values(15, 5), values(15, 6)],
        empty: [new Float32Array(0), new Float32Array(0)],
      },
    },
  };
}

function sgdState(): SavedState {
  return {
    config: tinyParity(),
    trainingId: 'run-sgd',
    seeds: [0],
    backend: 'cpu',
    state: {
      epoch: 0,
      batch: 0,
      optimizerStep: 0,
      alive: [1],
      divergedAt: [null],
      params: { w1: values(12 * 32, 7), b1: values(32, 8) },
      slots: {},
    },
  };
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function expectSameState(a: SavedState, b: SavedState): void {
  expect(b.config).toEqual(a.config);
  expect(b.seeds).toEqual(a.seeds);
  expect(b.backend).toBe(a.backend);
  const { params, slots, ...position } = b.state;
  const { params: pa, slots: sa, ...positionA } = a.state;
  expect(position).toEqual(positionA);
  expect(Object.keys(params).sort()).toEqual(Object.keys(pa).sort());
  for (const name of Object.keys(pa)) {
    expect(bits(params[name]), name).toEqual(bits(pa[name]));
    expect((slots[name] ?? []).map(bits), `${name} slots`).toEqual((sa[name] ?? []).map(bits));
  }
}

describe('encodeState / decodeState', () => {
  it('round-trip an AdamW state bit for bit (NaN, −0, ±Infinity, subnormals, float32 max), slots and per-seed status', () => {
    const s = adamwState();
    expectSameState(s, decodeState(encodeState(s)));
  });

  it('round-trip an SGD state (no slots)', () => {
    const s = sgdState();
    const back = decodeState(encodeState(s));
    expectSameState(s, back);
    expect(back.state.slots).toEqual({});
  });

  it('decoded arrays are copies: changing the bytes afterwards does not change them', () => {
    const bytes = encodeState(sgdState());
    const back = decodeState(bytes);
    const before = bits(back.state.params.b1);
    bytes.fill(0xff, bytes.length - 200);
    expect(bits(back.state.params.b1)).toEqual(before);
  });

  it('encoding is deterministic', () => {
    expect(encodeState(adamwState())).toEqual(encodeState(adamwState()));
  });
});

describe('decodeState rejects what is not a whole training state, naming the file', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it('empty input and other files', () => {
    expect(() => decodeState(new Uint8Array(0), 'runs/state.bin')).toThrow(
      'runs/state.bin: not a Trainmap training state',
    );
    expect(() => decodeState(text('{"format":"trainmap.runs/1"}'), 'runs.json')).toThrow(
      'runs.json: not a Trainmap training state',
    );
    expect(() => decodeState(text('TRAINMAP-STATE/2\n{}\n'))).toThrow('state: not a Trainmap training state');
  });

  it('random bytes', () => {
    const rng = createRng(3);
    for (let i = 0; i < 20; i++) {
      const junk = Uint8Array.from({ length: 64 + rng.int(500) }, () => rng.int(256));
      expect(() => decodeState(junk, 'junk')).toThrow('junk: not a Trainmap training state');
    }
  });
});
