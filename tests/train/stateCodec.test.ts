import { describe, expect, it } from 'vitest';
import { murmur3Hex } from '../../src/train/checksum.ts';
import { decodeState, encodeState, type SavedState } from '../../src/train/stateCodec.ts';
import { tinyModAdd } from './tiny.ts';

function sample(): SavedState {
  return {
    config: tinyModAdd(),
    seeds: [4, 5],
    backend: 'wasm',
    trainingId: '0123abcd',
    state: {
      epoch: 3,
      batch: 1,
      optimizerStep: 10,
      alive: [1, 0],
      divergedAt: [null, 6],
      params: { w: Float32Array.from([1.5, -0, NaN, Infinity, -3e-38, 7]), b: Float32Array.from([0.25]) },
      slots: {
        w: [Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([6, 5, 4, 3, 2, 1])],
        b: [Float32Array.from([9]), Float32Array.from([8])],
      },
    },
  };
}

const FIRST_LINE = 'TRAINMAP-STATE/2 murmur3:00000000\n'.length;

/** The header object and the value bytes of an encoded state. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; values: Uint8Array } {
  const end = bytes.indexOf(10, FIRST_LINE);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(FIRST_LINE, end)));
  const at = end + 1 + ((4 - ((end + 1) % 4)) % 4);
  return { header, values: bytes.slice(at) };
}

/** Encodes a (possibly broken) header text with a correct checksum, as a careful forger or a buggy writer would. */
function rebuild(headerText: string, values: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(headerText + '\n');
  const pad = (4 - ((FIRST_LINE + head.length) % 4)) % 4;
  const body = new Uint8Array(head.length + pad + values.length);
  body.set(head);
  body.fill(0x20, head.length, head.length + pad);
  body.set(values, head.length + pad);
  const first = new TextEncoder().encode(`TRAINMAP-STATE/2 murmur3:${murmur3Hex(body)}\n`);
  const out = new Uint8Array(first.length + body.length);
  out.set(first);
  out.set(body, first.length);
  return out;
}

describe('training state codec', () => {
  it('round-trips every value bit for bit (NaN, -0, Infinity, subnormals) with the run identity', () => {
    const saved = sample();
    const bytes = encodeState(saved);
    expect(new TextDecoder().decode(bytes.subarray(0, FIRST_LINE))).toMatch(
      /^TRAINMAP-STATE\/2 murmur3:[0-9a-f]{8}\n$/,
    );
    const back = decodeState(bytes, 'runs.json.state');
    expect(back).toStrictEqual(saved);
    expect(Object.is(back.state.params.w[1], -0)).toBe(true);
    // A rebuilt file with the same header and values is the same file: the test helper speaks the format.
    const { header, values } = split(bytes);
    expect(rebuild(JSON.stringify(header), values)).toEqual(bytes);
  });

  it('any altered or missing byte is refused by the checksum, naming the file', () => {
    const bytes = encodeState(sample());
    const { values } = split(bytes);
    const valuesAt = bytes.length - values.length;
    for (const at of [0, 20, FIRST_LINE, FIRST_LINE + 5, valuesAt - 1, valuesAt, valuesAt + 9, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at] ^= 0x04;
      expect(() => decodeState(bad, 'runs.json.state'), `byte ${at} changed`).toThrow(
        /^runs\.json\.state: (checksum mismatch|not a Trainmap training state)/,
      );
    }
    const edited = bytes.slice();
    new Float32Array(edited.buffer, valuesAt, 1)[0] = 1.25;
    expect(() => decodeState(edited, 'runs.json.state')).toThrow(
      /^runs\.json\.state: checksum mismatch \(recorded [0-9a-f]{8}, contents hash to [0-9a-f]{8}\): the file was altered or damaged; refusing to resume from it$/,
    );
    expect(() => decodeState(bytes.subarray(0, bytes.length - 4), 'cut.state')).toThrow(
      /^cut\.state: checksum mismatch/,
    );
    expect(() => decodeState(bytes.subarray(0, 10), 'tiny.state')).toThrow(
      "tiny.state: not a Trainmap training state (it does not start with 'TRAINMAP-STATE/2 murmur3:…')",
    );
  });

  it('a file that is not a state, and a state of the old format, get their own sentences', () => {
    expect(() => decodeState(new TextEncoder().encode('{"format": "trainmap.runs/1"}'), 'runs.json')).toThrow(
      'runs.json: not a Trainmap training state',
    );
    expect(() => decodeState(new TextEncoder().encode('TRAINMAP-STATE/1\n{"config":{}}\n'), 'old.state')).toThrow(
      'old.state: written by an older Trainmap, without a checksum or run identity, so it cannot be resumed safely; start the run again',
    );
  });

  it('a header missing a field, or with a wrong one, says which (even when the checksum matches)', () => {
    const { header, values } = split(encodeState(sample()));
    for (const field of [
      'config',
      'seeds',
      'backend',
      'trainingId',
      'epoch',
      'batch',
      'optimizerStep',
      'alive',
      'divergedAt',
      'tensors',
    ]) {
      const { [field]: _gone, ...rest } = header;
      expect(() => decodeState(rebuild(JSON.stringify(rest), values), 's.state'), field).toThrow(
        new RegExp(`^s\\.state: the state header has no '${field}' \\(`),
      );
    }
    const wrong: [string, unknown, RegExp][] = [
      ['batch', -1, /has a bad 'batch': -1 is not a whole number ≥ 0/],
      ['epoch', 1.5, /has a bad 'epoch': 1\.5 is not a whole number ≥ 0/],
      ['alive', [1], /has a bad 'alive': \[1\] is not a list of 2 flags \(0 or 1\), one per seed/],
      ['divergedAt', [null, 'x'], /has a bad 'divergedAt'/],
      ['seeds', [], /has a bad 'seeds': \[\] is not a non-empty list of whole seeds/],
      ['trainingId', '', /has a bad 'trainingId'/],
      [
        'config',
        { task: 'sparse-parity' },
        /has a bad 'config'.* is not a training configuration with whole epochs ≥ 1/,
      ],
      ['tensors', [{ param: 'w', slot: -2, length: 6 }], /has a bad 'tensors'/],
    ];
    for (const [field, value, message] of wrong)
      expect(
        () => decodeState(rebuild(JSON.stringify({ ...header, [field]: value }), values), 's.state'),
        field,
      ).toThrow(message);
    expect(() => decodeState(rebuild('[1, 2]', values), 's.state')).toThrow(
      's.state: the state header is not a JSON object',
    );
    expect(() => decodeState(rebuild('{"config": ', values), 's.state')).toThrow(
      /^s\.state: the header is not valid JSON/,
    );
    const tensors = header.tensors as { length: number }[];
    const longer = { ...header, tensors: tensors.map((t, i) => (i === 0 ? { ...t, length: t.length + 1 } : t)) };
    expect(() => decodeState(rebuild(JSON.stringify(longer), values), 's.state')).toThrow(
      `s.state: the header lists ${values.length + 4} bytes of values but the file holds ${values.length}`,
    );
  });
});
