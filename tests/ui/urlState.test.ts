import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import { hasUnsafeText, MESSAGE_MAX_BYTES } from '../../src/io/safeText.ts';
import {
  analyzeOptions,
  presetValues,
  TRAINING_SETTINGS,
  trainingRequest,
  type SettingValues,
} from '../../src/settings/index.ts';
import {
  decodeLabUrl,
  encodeLabUrl,
  HIDEABLE,
  MAX_PROBLEMS,
  URL_ANALYSIS_SETTINGS,
  URL_TRAINING_SETTINGS,
  type LabUrlState,
} from '../../src/ui/urlState.ts';
import { getTask, taskNames } from '../../tasks/index.ts';
import { anyText } from '../helpers/arbitraries.ts';

const DEFAULTS = Object.fromEntries(
  URL_TRAINING_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]),
);
const ANALYSIS_DEFAULTS = Object.fromEntries(
  URL_ANALYSIS_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]),
);
const base = (task: string, preset: string): SettingValues => ({ ...DEFAULTS, ...presetValues(task, preset) });

const decode = (search: string) => decodeLabUrl(search);
const messages = (search: string) => decode(search).problems.map((p) => p.message);

describe('the URL and the CLI mean the same run', () => {
  it('?task=modular-addition&preset=quick&seeds=8&layer-norm=1 is `trainmap run --task modular-addition --preset quick --seeds 8 --layer-norm`', () => {
    const { state, problems } = decode('?task=modular-addition&preset=quick&seeds=8&layer-norm=1');
    expect(problems).toEqual([]);
    const { flags } = parseArgs(
      ['--task', 'modular-addition', '--preset', 'quick', '--seeds', '8', '--layer-norm'],
      TRAINING_SETTINGS,
    );
    const fromCli = trainingRequest(flags);
    expect(trainingRequest(state.training)).toEqual(fromCli);
    expect(fromCli.config.model.layerNorm).toBe(true);
    expect(fromCli.seeds).toHaveLength(8);
  });

  it('a bare boolean key is true, as a bare CLI flag is; =0 turns off what a preset turns on', () => {
    expect(decode('task=modular-addition&preset=quick&layer-norm').state.training['layer-norm']).toBe(true);
    expect(decode('task=modular-addition&preset=stabilized&layer-norm=0').state.training['layer-norm']).toBe(false);
    expect(decode('task=modular-addition&preset=stabilized').state.training['layer-norm']).toBe(true);
  });

  it('values parse as the table parses them (spellings the CLI accepts)', () => {
    const { state, problems } = decode('seeds=8.0&lr=1e-2&avoid-degenerate=no&states=AUTO&k-max=5');
    expect(problems).toEqual([]);
    expect(state.training.seeds).toBe(8);
    expect(state.training.lr).toBe(0.01);
    expect(state.analysis['avoid-degenerate']).toBe(false);
    expect(state.analysis.states).toBe('auto');
    expect(state.analysis['k-max']).toBe(5);
  });
});

describe('only what differs from the preset is written', () => {
  it('a preset alone is task, preset and v', () => {
    for (const task of taskNames())
      for (const preset of Object.keys(getTask(task)!.presets)) {
        const text = encodeLabUrl({ training: base(task, preset) });
        expect(text).toBe(`task=${task}&preset=${preset}&v=1`);
        const { state, problems } = decode(text);
        expect(problems).toEqual([]);
        expect(state.training).toEqual(base(task, preset));
        expect(state.analysis).toEqual(ANALYSIS_DEFAULTS);
        expect(state.hide).toEqual([]);
        expect(state.lock).toBe(false);
      }
  });

  it('changes are written in the table order, booleans as 1/0, then teacher mode', () => {
    const training = { ...base('modular-addition', 'quick'), 'layer-norm': true, seeds: 8, lr: 0.002 };
    const text = encodeLabUrl({
      training,
      analysis: { ...ANALYSIS_DEFAULTS, states: 4, 'avoid-degenerate': false },
      hide: ['lr', 'map'],
      lock: true,
    });
    expect(text).toBe(
      'task=modular-addition&preset=quick&seeds=8&lr=0.002&layer-norm=1&states=4&avoid-degenerate=0&hide=map,lr&lock=1&v=1',
    );
  });

  it('a value that equals the preset in another spelling is not written', () => {
    expect(encodeLabUrl({ training: { ...base('sparse-parity', 'quick'), seeds: '40', epochs: '200' } })).toBe(
      'task=sparse-parity&preset=quick&v=1',
    );
  });

  it("an empty link is the table's default task with its teaching preset for this machine (issue #16 §4)", () => {
    const { state, problems } = decode('');
    expect(problems).toEqual([]);
    expect(state.training).toEqual(base('sparse-parity', 'quick'));
    expect(trainingRequest(state.training)).toEqual(trainingRequest({ preset: 'quick' }));
    // Not the paper's 10,000 epochs for a link that names no preset: on a CPU, the preset sized for one.
    expect(decode('?task=modular-addition&seeds=40&backend=wasm').state.training).toEqual({
      ...base('modular-addition', 'cpu'),
      seeds: 40,
      backend: 'wasm',
    });
  });

  it('a value the table refuses is written as the lab held it, so the reader reports it', () => {
    const text = encodeLabUrl({ training: { ...base('sparse-parity', 'quick'), seeds: 0 } });
    expect(text).toBe('task=sparse-parity&preset=quick&seeds=0&v=1');
    expect(messages(text)).toEqual(['seeds=0 was ignored: --seeds must be at least 1']);
  });
});

/** Any valid lab state: a registered task and preset, every value in range (and within the lab's bounds). */
const validState: fc.Arbitrary<LabUrlState> = fc
  .constantFrom(...taskNames().flatMap((t) => Object.keys(getTask(t)!.presets).map((p) => [t, p] as const)))
  .chain(([task, preset]) => {
    const p = base(task, preset);
    const or = <T>(presetValue: unknown, arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(presetValue as T), arb);
    const positive = fc.double({ min: Number.MIN_VALUE, max: 1e3, noNaN: true });
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((s) => s.trim() !== '' && s.split(',').some((f) => f.trim() !== ''));
    const training = fc.record({
      seeds: or(p.seeds, fc.integer({ min: 1, max: 64 })),
      'seed-start': or(p['seed-start'], fc.integer({ min: 0, max: 2 ** 31 - 1 })),
      epochs: or(p.epochs, fc.integer({ min: 1, max: 1_000_000 })),
      'checkpoint-every': or(p['checkpoint-every'], fc.integer({ min: 1, max: 1_000_000 })),
      'sv-every': or(p['sv-every'], fc.integer({ min: 1, max: 1_000_000 })),
      'batch-size': or(p['batch-size'], fc.integer({ min: 1, max: 1_000_000 })),
      lr: or(p.lr, positive),
      'weight-decay': or(
        p['weight-decay'],
        fc.double({ min: 0, max: 1e3, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
      ),
      backend: or(p.backend, fc.constantFrom(...URL_TRAINING_SETTINGS.find((s) => s.name === 'backend')!.choices!)),
      ...('layer-norm' in p ? { 'layer-norm': fc.boolean() } : {}),
    });
    const analysis = fc.record(
      {
        states: fc.oneof(fc.constant('auto'), fc.integer({ min: 1, max: 1000 })),
        'k-max': fc.integer({ min: 1, max: 30 }),
        restarts: fc.integer({ min: 1, max: 100 }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        threshold: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
        'accuracy-column': text,
        features: text,
        'max-iterations': fc.integer({ min: 1, max: 10000 }),
        init: fc.constantFrom('hmmlearn', 'sticky', 'mixed'),
        criterion: fc.constantFrom('best', 'mean'),
        'stability-restarts': fc.integer({ min: 0, max: 200 }),
        'comparable-within': fc.double({ min: 0, max: 100, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
        'avoid-degenerate': fc.boolean(),
        'sticky-prior': fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
        bootstrap: fc.integer({ min: 0, max: 200 }),
      },
      { requiredKeys: [] },
    );
    return fc.record({
      training: training.map((t) => ({ ...p, ...t })),
      analysis: analysis.map((a) => ({ ...ANALYSIS_DEFAULTS, ...a }) as SettingValues),
      hide: fc.subarray([...HIDEABLE]),
      lock: fc.boolean(),
      sample: fc.oneof(fc.constant(null), fc.stringMatching(/^[a-z0-9-]{1,20}$/)),
      replay: fc.boolean(),
      speed: fc.oneof(fc.constant(null), fc.constantFrom(0.5, 1, 4, 16, 64)),
    });
  });

describe('round trip', () => {
  it('decode(encode(s)) is s for every valid state, with no problems', () => {
    fc.assert(
      fc.property(validState, (s) => {
        const { state, problems } = decode(encodeLabUrl(s));
        expect(problems).toEqual([]);
        expect(state).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('the generated states are ones the run and the analysis accept (the property is over real states)', () => {
    fc.assert(
      fc.property(validState, (s) => {
        expect(() => trainingRequest(s.training)).not.toThrow();
        expect(() => analyzeOptions(s.analysis)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('encode(decode(x)) is a fixed point: a decoded link written again reads the same', () => {
    fc.assert(
      fc.property(validState, (s) => {
        const once = encodeLabUrl(s);
        expect(encodeLabUrl(decode(once).state)).toBe(once);
      }),
      { numRuns: 100 },
    );
  });
});

describe('problems are reported and ignored, never thrown', () => {
  it('an out-of-range or malformed value keeps the preset value, with a sentence', () => {
    const { state, problems } = decode(
      'task=sparse-parity&preset=quick&seeds=0&epochs=abc&batch-size=2.5&weight-decay=-1&backend=tpu',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'seeds=0 was ignored: --seeds must be at least 1',
      'epochs=abc was ignored: --epochs must be a finite number',
      'batch-size=2.5 was ignored: --batch-size must be a whole number',
      'weight-decay=-1 was ignored: --weight-decay must be at least 0',
      'backend=tpu was ignored: --backend must be one of webgpu, wasm, cpu, webgl, auto',
    ]);
    expect(problems[0]).toEqual({
      key: 'seeds',
      value: '0',
      message: 'seeds=0 was ignored: --seeds must be at least 1',
    });
    expect(state.training).toEqual(base('sparse-parity', 'quick'));
  });

  it("the lab's tighter bound and the run's own checks hold too", () => {
    expect(messages('seeds=65')).toEqual(['seeds=65 was ignored: --seeds must be at most 64 in the lab']);
    expect(decode('seeds=64').state.training.seeds).toBe(64);
    // The table gives lr no lower bound; the run refuses 0, and so does the link.
    expect(messages('lr=0')).toEqual(['lr=0 was ignored: learning rate must be a finite number > 0']);
  });

  it('analysis values are checked by the analysis settings', () => {
    const { state, problems } = decode('threshold=2&states=0&init=warm&features=,&accuracy-column=%20&k-max=12');
    expect(problems.map((p) => p.message)).toEqual([
      'states=0 was ignored: --states must be at least 1',
      'threshold=2 was ignored: --threshold must be at most 1',
      'accuracy-column=  was ignored: --accuracy-column needs a column name',
      'features=, was ignored: --features needs at least one column name',
      'init=warm was ignored: --init must be one of hmmlearn, sticky, mixed',
    ]);
    expect(state.analysis).toEqual({ ...ANALYSIS_DEFAULTS, 'k-max': 12 });
  });

  it('an unknown task falls back to the default task; a preset that fits it is kept', () => {
    const { state, problems } = decode('task=grokking&preset=quick&seeds=8');
    expect(problems.map((p) => p.message)).toEqual([
      'task=grokking was ignored: --task must be one of sparse-parity, modular-addition; sparse-parity was used',
    ]);
    expect(state.training).toEqual({ ...base('sparse-parity', 'quick'), seeds: 8 });
  });

  it("an unknown preset falls back to the task's teaching preset", () => {
    for (const bad of ['huge', '__proto__', 'constructor', 'toString']) {
      const { state, problems } = decode(`task=modular-addition&preset=${bad}`);
      expect(problems.map((p) => p.message)).toEqual([
        `preset=${bad} was ignored: modular-addition has no such preset (its presets: cpu, quick, paper, stabilized); cpu was used`,
      ]);
      // No backend named: the lab does not know yet whether a hardware GPU is there, so the CPU's preset.
      expect(state.training).toEqual(base('modular-addition', 'cpu'));
    }
  });

  it('layer-norm for a task that does not take it is a problem', () => {
    const { state, problems } = decode('task=sparse-parity&preset=quick&layer-norm=1');
    expect(problems.map((p) => p.message)).toEqual([
      'layer-norm=1 was ignored: --layer-norm applies to modular-addition only',
    ]);
    expect('layer-norm' in state.training).toBe(false);
  });

  it('a newer version is reported and the known keys still apply; a malformed one is reported', () => {
    const { state, problems } = decode('v=2&task=modular-addition&preset=quick&seeds=8&hologram=on');
    expect(problems.map((p) => p.message)).toEqual([
      'this link is of a newer lab (v=2; this lab reads v=1): the settings it knows were applied, any others ignored',
      'hologram=on was ignored: the lab has no such setting',
    ]);
    expect(state.training).toEqual({ ...base('modular-addition', 'quick'), seeds: 8 });
    expect(messages('v=1')).toEqual([]);
    expect(messages('v=one')).toEqual(['v=one was ignored: the link version must be a whole number ≥ 1']);
    expect(messages('v=0')).toEqual(['v=0 was ignored: the link version must be a whole number ≥ 1']);
  });

  it('unknown keys and command-line-only options are reported', () => {
    expect(messages('out=run.json&workers=4&colour=red')).toEqual([
      'out=run.json was ignored: --out is a command-line option only',
      'workers=4 was ignored: --workers is a command-line option only',
      'colour=red was ignored: the lab has no such setting',
    ]);
  });

  it('a repeated key: the last wins, reported', () => {
    const { state, problems } = decode('seeds=4&seeds=16&seeds=8');
    expect(state.training.seeds).toBe(8);
    expect(problems).toEqual([
      { key: 'seeds', value: '8', message: 'seeds was given 3 times; only the last, 8, was read' },
    ]);
    // The last is the one read even when it is the bad one.
    const bad = decode('seeds=4&seeds=0');
    expect(bad.state.training.seeds).toBe(40);
    expect(bad.problems.map((p) => p.message)).toEqual([
      'seeds was given 2 times; only the last, 0, was read',
      'seeds=0 was ignored: --seeds must be at least 1',
    ]);
  });

  it('hostile values and keys give escaped, cut messages', () => {
    const long = 'x'.repeat(10_000);
    const search = new URLSearchParams([
      ['backend', `\u001b]0;pwned\u0007\u202Eevil`],
      ['seeds', long],
      [long, '1'],
      ['\u0000\u009b', '\n\r'],
      ['hide', `map,\u001b[2J`],
    ]).toString();
    const { problems } = decode(search);
    expect(problems).toHaveLength(5);
    for (const p of problems) {
      for (const text of [p.key, p.value, p.message]) expect(hasUnsafeText(text)).toBe(false);
      expect(new TextEncoder().encode(p.message).length).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
      expect(p.message.length).toBeLessThan(300);
    }
    expect(problems[0].value).toMatch(/^x{30,60}…\(10000 characters\)$/);
    expect(problems[0].message).toBe(`seeds=${problems[0].value} was ignored: --seeds must be a finite number`);
    expect(problems[1].message).toBe(
      'backend=\\x1B]0;pwned\\x07\\u202Eevil was ignored: --backend must be one of webgpu, wasm, cpu, webgl, auto',
    );
    expect(problems[2].message).toBe(
      "hide=\\x1B[2J was ignored: hide takes the names of panels (map, ribbons, curves, selection, regression, sessions, training, import, export, groups, forecast, analysis, replay, grokking) and of the lab's settings",
    );
    expect(problems[3].key).toMatch(/^x{10,40}…\(10000 characters\)$/);
    expect(problems[4].message).toBe('\\x00\\x9B=\\n\\r was ignored: the lab has no such setting');
  });

  it('__proto__ and other prototype names as keys or values pollute nothing', () => {
    const { state, problems } = decode(
      '__proto__=1&__proto__[polluted]=1&constructor=x&prototype=y&hasOwnProperty=z&toString=1&hide=__proto__,toString',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(state.training)).toBe(Object.prototype);
    for (const o of [state, state.training, state.analysis]) {
      expect(Object.hasOwn(o, '__proto__')).toBe(false);
      expect(Object.hasOwn(o, 'constructor')).toBe(false);
    }
    expect(state.training).toEqual(base('sparse-parity', 'quick'));
    expect(state.hide).toEqual([]);
    expect(problems.map((p) => p.key)).toEqual([
      'hide',
      'hide',
      '__proto__',
      '__proto__[polluted]',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'toString',
    ]);
  });

  it('a link of thousands of bad keys lists a bounded number of problems', () => {
    const search = Array.from({ length: 5000 }, (_, i) => `k${i}=${i}`).join('&');
    const { problems } = decode(search);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)!.message).toBe(`${5000 - MAX_PROBLEMS} more problems in this link were not listed`);
  });

  it('any text at all decodes without throwing to a state the run and the analysis accept, with safe messages', () => {
    const key = fc.oneof(fc.constantFrom(...HIDEABLE, 'v', 'hide', 'lock', '__proto__'), anyText(12));
    const pairs = fc.array(
      fc.tuple(key, fc.oneof(anyText(30), fc.constantFrom('0', '1', '-1', '1e400', 'auto', 'NaN', ''))),
      { maxLength: 12 },
    );
    const search = fc.oneof(
      pairs.map((ps) => new URLSearchParams(ps).toString()),
      anyText(80),
    );
    fc.assert(
      fc.property(search, (s) => {
        const { state, problems } = decode(s);
        expect(() => trainingRequest(state.training)).not.toThrow();
        expect(() => analyzeOptions(state.analysis)).not.toThrow();
        expect(problems.length).toBeLessThanOrEqual(MAX_PROBLEMS + 1);
        for (const p of problems) {
          expect(hasUnsafeText(p.message)).toBe(false);
          expect(new TextEncoder().encode(p.message).length).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
        }
        expect(state.hide.every((h) => HIDEABLE.includes(h))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
