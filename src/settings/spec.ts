/**
 * What a setting is, and how a typed-in value becomes one. The CLI's flags, the lab's controls and its URL
 * state all read the same table, so `--seeds 8` and `?seeds=8` are parsed by the same code and mean the same.
 */

export type SettingValue = string | number | boolean;

export interface SettingSpec {
  /** The CLI flag without dashes and the URL key, e.g. 'layer-norm'. */
  name: string;
  type: 'integer' | 'number' | 'boolean' | 'string';
  help: string;
  /** The value when none is given; absent when the default comes from elsewhere (see defaultText) or there is none. */
  default?: SettingValue;
  /** How help shows a default that is not a fixed value ("the preset's"). */
  defaultText?: string;
  choices?: readonly string[];
  /** Words a numeric setting also accepts (e.g. 'auto' for states). */
  words?: readonly string[];
  min?: number;
  max?: number;
  /** Where the setting exists: the CLI only (files, workers, output), or also the lab (controls and URL). */
  surface: 'cli' | 'both';
  /** A tighter upper bound for the lab's control (a browser tab trains fewer seeds than a server). */
  labMax?: number;
}

/** A value that does not fit its setting; the CLI turns it into a usage error, the page into a notice. */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Parses one raw value (a CLI argument or a URL parameter) against its setting. */
export function parseSetting(spec: SettingSpec, raw: string): SettingValue {
  const name = spec.name;
  if (spec.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw new SettingError(name, `--${name} must be true or false (1 or 0); got '${raw}'`);
  }
  if (spec.choices) {
    if (spec.choices.includes(raw)) return raw;
    throw new SettingError(name, `--${name} must be one of ${spec.choices.join(', ')}; got '${raw}'`);
  }
  if (spec.type === 'string') return raw;
  if (spec.words?.includes(raw.toLowerCase())) return raw.toLowerCase();
  const v = Number(raw);
  if (spec.words?.length && !(Number.isInteger(v) && raw.trim() !== '')) {
    const kind =
      spec.type === 'integer' ? `a whole number${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}` : 'a number';
    throw new SettingError(
      name,
      `--${name} must be ${spec.words.map((w) => `'${w}'`).join(' or ')} or ${kind}; got '${raw}'`,
    );
  }
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new SettingError(name, `--${name} must be a finite number; got '${raw}'`);
  if (spec.type === 'integer' && !Number.isInteger(v))
    throw new SettingError(name, `--${name} must be a whole number; got '${raw}'`);
  checkRange(spec, v, raw);
  return v;
}

/** Checks a value already typed (from a control or a saved lab state) against its setting. */
export function checkSetting(spec: SettingSpec, value: unknown): SettingValue {
  if (typeof value === 'string') return parseSetting(spec, value);
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean')
      throw new SettingError(spec.name, `--${spec.name} must be true or false; got ${String(value)}`);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new SettingError(spec.name, `--${spec.name} must be a finite number; got ${String(value)}`);
  if (spec.type === 'integer' && !Number.isInteger(value))
    throw new SettingError(spec.name, `--${spec.name} must be a whole number; got ${value}`);
  checkRange(spec, value, String(value));
  return value;
}

function checkRange(spec: SettingSpec, v: number, raw: string): void {
  if (spec.min !== undefined && v < spec.min)
    throw new SettingError(spec.name, `--${spec.name} must be at least ${spec.min}; got ${raw}`);
  if (spec.max !== undefined && v > spec.max)
    throw new SettingError(spec.name, `--${spec.name} must be at most ${spec.max}; got ${raw}`);
}

export function settingByName(table: readonly SettingSpec[], name: string): SettingSpec | undefined {
  return table.find((s) => s.name === name);
}

/** Help lines for a table: `--name <n>   help (default …)`. */
export function formatSettingsHelp(table: readonly SettingSpec[]): string {
  const rows = table.map((s) => {
    const value =
      s.type === 'boolean' ? '' : s.choices ? ` ${s.choices.join('|')}` : ` <${s.type === 'string' ? 'value' : 'n'}>`;
    const range = s.min !== undefined || s.max !== undefined ? ` [${s.min ?? ''}…${s.max ?? ''}]` : '';
    const def =
      s.default !== undefined ? ` (default ${s.default})` : s.defaultText ? ` (default ${s.defaultText})` : '';
    return [`  --${s.name}${value}`, `${s.help}${range}${def}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, b]) => a.padEnd(width) + b).join('\n');
}
