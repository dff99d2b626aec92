/** A small, strict argv parser over the settings table: unknown flags and bad values are usage errors that say what was expected. */
import {
  formatSettingsHelp,
  parseSetting,
  SettingError,
  type SettingSpec,
  type SettingValues,
} from '../settings/index.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Flags = SettingValues;

export function parseArgs(
  argv: readonly string[],
  specs: readonly SettingSpec[],
): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option --${name}; options: ${specs.map((s) => `--${s.name}`).join(' ')}`);
    // A boolean flag alone means true; `--flag=false` (or 0) turns off what a preset turns on.
    if (spec.type === 'boolean' && eq < 0) {
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--')))
      throw new UsageError(`--${name} needs a value (${spec.help})`);
    try {
      flags[name] = parseSetting(spec, raw);
    } catch (e) {
      throw e instanceof SettingError ? new UsageError(e.message) : e;
    }
  }
  return { positional, flags };
}

export function formatFlagHelp(specs: readonly SettingSpec[]): string {
  return formatSettingsHelp(specs);
}
