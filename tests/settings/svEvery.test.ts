/** The sv-every setting: one table entry, the same run from the CLI, the URL and trainingConfig; 1 is never written. */
import { describe, expect, it } from 'vitest';
import { formatFlagHelp, parseArgs, UsageError } from '../../src/cli/args.ts';
import { RUN_FLAGS, runSettingsFromFlags } from '../../src/cli/runCommand.ts';
import { TRAINING_SETTINGS, trainingRequest } from '../../src/settings/index.ts';
import { decodeLabUrl, encodeLabUrl } from '../../src/ui/urlState.ts';
import { trainingConfig, validateConfig } from '../../tasks/index.ts';

const cli = (...argv: string[]) => {
  const { positional, flags } = parseArgs(['--task', 'sparse-parity', '--out', 'x.json', ...argv], RUN_FLAGS);
  return runSettingsFromFlags(positional, flags);
};

describe('--sv-every', () => {
  it('is a training setting of the CLI and the lab, a whole number ≥ 1 with default 1, with help that says what it does', () => {
    const spec = TRAINING_SETTINGS.find((s) => s.name === 'sv-every');
    expect(spec).toMatchObject({ type: 'integer', default: 1, min: 1, surface: 'both' });
    const help = formatFlagHelp(RUN_FLAGS)
      .split('\n')
      .find((l) => l.startsWith('  --sv-every'));
    expect(help).toMatch(
      /--sv-every <n> +the singular-value metrics .*every k-th checkpoint.*repeated in between.*metric time on big models.*\(default 1\)/,
    );
  });

  it('--sv-every 0, 2.5 or a word are refused with a clear message', () => {
    const refused = (value: string) => {
      try {
        cli('--sv-every', value);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error(`--sv-every ${value} was accepted`);
    };
    expect(refused('0')).toBe('--sv-every must be at least 1; got 0');
    expect(refused('-3')).toBe('--sv-every must be at least 1; got -3');
    expect(refused('2.5')).toBe("--sv-every must be a whole number; got '2.5'");
    expect(refused('often')).toBe("--sv-every must be a finite number; got 'often'");
    expect(() => trainingRequest({ 'sv-every': 0 })).toThrow('--sv-every must be at least 1; got 0');
  });

  it('k = 1 (given or not) leaves the key out of the config, so old states and bundles still compare equal; k > 1 sets it', () => {
    expect(Object.hasOwn(cli().config, 'singularValuesEvery')).toBe(false);
    expect(Object.hasOwn(cli('--sv-every', '1').config, 'singularValuesEvery')).toBe(false);
    expect(JSON.stringify(cli('--sv-every', '1').config)).toBe(
      JSON.stringify(trainingConfig('sparse-parity', 'paper')),
    );
    expect(
      Object.hasOwn(trainingConfig('sparse-parity', 'paper', { singularValuesEvery: 1 }), 'singularValuesEvery'),
    ).toBe(false);
    expect(cli('--sv-every', '5').config.singularValuesEvery).toBe(5);
    expect(cli('--sv-every=25').config).toEqual({
      ...trainingConfig('sparse-parity', 'paper'),
      singularValuesEvery: 25,
    });
  });

  it('trainingConfig and validateConfig refuse a config whose interval is not a whole number ≥ 1', () => {
    expect(() => trainingConfig('sparse-parity', 'paper', { singularValuesEvery: 0 })).toThrow(
      'singular-value interval (sv-every) must be a whole number ≥ 1, got 0',
    );
    const cfg = trainingConfig('sparse-parity', 'quick');
    for (const bad of [2.5, -1, NaN]) {
      cfg.singularValuesEvery = bad;
      expect(() => validateConfig(cfg)).toThrow(
        `singular-value interval (sv-every) must be a whole number ≥ 1, got ${bad}`,
      );
    }
  });

  it('?sv-every=3 is `--sv-every 3`; a link writes it only when it is not 1', () => {
    const { state, problems } = decodeLabUrl('?task=sparse-parity&preset=quick&sv-every=3');
    expect(problems).toEqual([]);
    expect(state.training['sv-every']).toBe(3);
    const { flags } = parseArgs(['--task', 'sparse-parity', '--preset', 'quick', '--sv-every', '3'], TRAINING_SETTINGS);
    expect(trainingRequest(state.training)).toEqual(trainingRequest(flags));
    expect(trainingRequest(state.training).config.singularValuesEvery).toBe(3);
    expect(encodeLabUrl({ training: state.training })).toBe('task=sparse-parity&preset=quick&sv-every=3&v=1');
    expect(encodeLabUrl({ training: { ...state.training, 'sv-every': 1 } })).toBe(
      'task=sparse-parity&preset=quick&v=1',
    );
    expect(decodeLabUrl('?sv-every=0').problems.map((p) => p.message)).toEqual([
      'sv-every=0 was ignored: --sv-every must be at least 1',
    ]);
  });
});
