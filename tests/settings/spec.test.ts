/** How a typed-in value becomes a setting: the one parser behind the CLI's flags, the lab's controls and its URL. */
import { describe, expect, it } from 'vitest';
import {
  checkSetting,
  formatSettingsHelp,
  parseSetting,
  SettingError,
  settingByName,
  type SettingSpec,
} from '../../src/settings/spec.ts';

const COUNT: SettingSpec = { name: 'count', type: 'integer', help: 'how many', min: 1, max: 10, surface: 'both' };
const RATE: SettingSpec = { name: 'rate', type: 'number', help: 'how fast', min: 0, surface: 'both' };
const FLAG: SettingSpec = { name: 'flag', type: 'boolean', help: 'on or off', surface: 'both' };
const KIND: SettingSpec = { name: 'kind', type: 'string', help: 'which', choices: ['a', 'b'], surface: 'cli' };
const STATES: SettingSpec = { name: 'states', type: 'integer', help: 'K', words: ['auto'], min: 1, surface: 'both' };

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingError);
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('parseSetting', () => {
  it('reads each type in the spellings the CLI accepts', () => {
    expect(parseSetting(COUNT, '7')).toBe(7);
    expect(parseSetting(RATE, '1e-3')).toBe(0.001);
    for (const t of ['1', 'true', 'YES', 'on']) expect(parseSetting(FLAG, t)).toBe(true);
    for (const f of ['0', 'false', 'No', 'off']) expect(parseSetting(FLAG, f)).toBe(false);
    expect(parseSetting(KIND, 'b')).toBe('b');
    expect(parseSetting(STATES, 'AUTO')).toBe('auto');
    expect(parseSetting(STATES, '4')).toBe(4);
  });

  it('refuses what does not fit, saying what would', () => {
    expect(refusal(() => parseSetting(COUNT, '2.5'))).toBe("--count must be a whole number; got '2.5'");
    expect(refusal(() => parseSetting(COUNT, '0'))).toBe('--count must be at least 1; got 0');
    expect(refusal(() => parseSetting(COUNT, '11'))).toBe('--count must be at most 10; got 11');
    expect(refusal(() => parseSetting(RATE, ''))).toBe("--rate must be a finite number; got ''");
    expect(refusal(() => parseSetting(RATE, 'Infinity'))).toBe("--rate must be a finite number; got 'Infinity'");
    expect(refusal(() => parseSetting(FLAG, 'maybe'))).toBe("--flag must be true or false (1 or 0); got 'maybe'");
    expect(refusal(() => parseSetting(KIND, 'c'))).toBe("--kind must be one of a, b; got 'c'");
    expect(refusal(() => parseSetting(STATES, 'many'))).toBe(
      "--states must be 'auto' or a whole number ≥ 1; got 'many'",
    );
  });
});

describe('checkSetting', () => {
  it('checks a value already typed, as parseSetting checks text', () => {
    expect(checkSetting(COUNT, 3)).toBe(3);
    expect(checkSetting(COUNT, '3')).toBe(3);
    expect(checkSetting(FLAG, false)).toBe(false);
    expect(refusal(() => checkSetting(FLAG, 1))).toBe('--flag must be true or false; got 1');
    expect(refusal(() => checkSetting(COUNT, 1.5))).toBe('--count must be a whole number; got 1.5');
    expect(refusal(() => checkSetting(RATE, NaN))).toBe('--rate must be a finite number; got NaN');
    expect(refusal(() => checkSetting(RATE, -1))).toBe('--rate must be at least 0; got -1');
  });
});

describe('the table', () => {
  it('finds a setting by name and writes help with ranges and defaults', () => {
    expect(settingByName([COUNT, RATE], 'rate')).toBe(RATE);
    expect(settingByName([COUNT], 'nothing')).toBeUndefined();
    const help = formatSettingsHelp([{ ...COUNT, default: 2 }, FLAG, KIND]).split('\n');
    expect(help).toEqual([
      '  --count <n>  how many [1…10] (default 2)',
      '  --flag       on or off',
      '  --kind a|b   which',
    ]);
  });
});
