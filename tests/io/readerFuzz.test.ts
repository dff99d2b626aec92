import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BundleError,
  formatRunsCsv,
  formatRunsJson,
  parseRunsCsv,
  parseRunsJson,
  readBundle,
  readBundleText,
  type RunBundle,
} from '../../src/io/index.ts';
import { anyText } from '../helpers/arbitraries.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';

const bundle: RunBundle = {
  format: 'trainmap.runs/1',
  groups: [
    {
      name: 'g "1"',
      config: { lr: 0.001, nested: { a: [1, 2] } },
      runs: [
        { id: 'seed-0', seed: 0, checkpoints: { step: [0, 10, 20], l1: [1.5, 2, 2.5], eval_acc: [0.1, 0.5, NaN] } },
        {
          id: 'a,b',
          seed: null,
          checkpoints: { step: [0, 10, 20], l1: [3, Infinity, -1e-300], eval_acc: [0.2, 0.4, 0.9] },
          diverged: { step: 20, reason: 'x' },
        },
      ],
    },
    { name: 'other', config: {}, runs: [{ id: 'r', checkpoints: { step: [5, 6], l1: [1, 2], eval_acc: [0, 1] } }] },
  ],
  analysis: { format: 'trainmap.analysis/1', warnings: ['NaN'] },
};
const encoder = new TextEncoder();
const validJson = formatRunsJson(bundle, 1);
// What Python's json writes: bare NaN and Infinity.
const pythonJson = validJson.replace(/"NaN"/g, 'NaN').replace(/"Infinity"/g, 'Infinity');
const validCsv = formatRunsCsv(bundle);
const SEEDS = [validJson, pythonJson, validCsv].map((s) => encoder.encode(s));

/** One damaging edit of a byte string. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: anyText(12) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(src: Uint8Array, edits: Mutation[]): Uint8Array {
  let b = src;
  for (const m of edits) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    const cat = (...parts: Uint8Array[]) => {
      const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'replace') b = cat(b.subarray(0, at), m.bytes, b.subarray(at + m.bytes.length));
    else if (m.kind === 'insert') b = cat(b.subarray(0, at), m.bytes, b.subarray(at));
    else if (m.kind === 'text') b = cat(b.subarray(0, at), encoder.encode(m.text), b.subarray(at));
    else if (m.kind === 'delete') b = cat(b.subarray(0, at), b.subarray(at + m.length));
    else if (m.kind === 'duplicate') b = cat(b.subarray(0, at + m.length), b.subarray(at));
    else if (b.length) {
      b = b.slice();
      b[at % b.length] ^= 1 << m.bit;
    }
  }
  return b;
}

/** The contract: a bundle, or a BundleError with one short line free of control characters; nothing else. */
function expectBundleOrCleanError(read: () => RunBundle): void {
  let result: RunBundle;
  try {
    result = read();
  } catch (e) {
    expectCleanError(e);
    return;
  }
  expect(result.format).toBe('trainmap.runs/1');
  expect(result.groups.length).toBeGreaterThan(0);
  // Whatever was read can be written and read back.
  expect(() => parseRunsJson(formatRunsJson(result), 'round-trip.json')).not.toThrow();
}

function expectCleanError(e: unknown): void {
  if (!(e instanceof BundleError)) throw new Error(`not a BundleError: ${e instanceof Error ? e.stack : String(e)}`);
  expect(encoder.encode(e.message).length).toBeLessThan(1024);
  expect(e.message).not.toMatch(RAW_CONTROL);
}

const names = fc.constantFrom('runs.json', 'runs.csv', 'runs.txt', 'runs.json.gz');

describe('reader fuzz (fast-check): a bundle or one clean BundleError, never anything else', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), names, (bytes, name) => {
        expectBundleOrCleanError(() => readBundleText(bytes, name));
        expectBundleOrCleanError(() => parseRunsCsv(bytes, name));
        expectBundleOrCleanError(() => parseRunsJson(bytes, name));
      }),
      { numRuns: 400 },
    );
  });

  it('random text (controls, surrogates, quotes, separators)', () => {
    fc.assert(
      fc.property(anyText(300), names, (text, name) => {
        expectBundleOrCleanError(() => readBundleText(text, name));
        expectBundleOrCleanError(() => readBundleText(`run,step,l1\n${text}`, 'x.csv'));
        expectBundleOrCleanError(() => readBundleText(`{"format":"trainmap.runs/1","groups":[${text}]}`, 'x.json'));
      }),
      { numRuns: 400 },
    );
  });

  it('truncations and mutations of valid CSV and JSON bundles', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS.keys()),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        names,
        (seed, edits, name) => {
          const bytes = mutate(SEEDS[seed], edits);
          expectBundleOrCleanError(() => readBundleText(bytes, name));
          expectBundleOrCleanError(() => readBundleText(new TextDecoder().decode(bytes), name));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('through readBundle, gzip and UTF-16 included', async () => {
    const gzip = async (b: Uint8Array) =>
      new Uint8Array(
        await new Response(new Blob([b.slice()]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS.keys()),
        fc.array(mutation, { maxLength: 3 }),
        fc.constantFrom('plain', 'gzip', 'gzip-damaged', 'utf16'),
        names,
        async (seed, edits, wrap, name) => {
          let bytes = mutate(SEEDS[seed], edits);
          if (wrap === 'gzip') bytes = await gzip(bytes);
          if (wrap === 'gzip-damaged')
            bytes = mutate(await gzip(bytes), edits.length ? edits : [{ kind: 'truncate', at: 30 }]);
          if (wrap === 'utf16')
            bytes = new Uint8Array([
              0xff,
              0xfe,
              ...new Uint8Array(
                new Uint16Array(Array.from(new TextDecoder().decode(bytes), (c) => c.charCodeAt(0))).buffer,
              ),
            ]);
          try {
            const b = await readBundle(bytes, name);
            expect(b.groups.length).toBeGreaterThan(0);
          } catch (e) {
            expectCleanError(e);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
