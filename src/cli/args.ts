/** A small, strict flag parser: unknown flags and bad values are usage errors that say what was expected. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description: string;
  /** Shown in help; applied by the caller. */
  default?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

export type Flags = Record<string, string | number | boolean | undefined>;

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): { positional: string[]; flags: Flags } {
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
    const spec = specs[name];
    if (!spec)
      throw new UsageError(
        `unknown option --${name}; options: ${Object.keys(specs)
          .map((s) => `--${s}`)
          .join(' ')}`,
      );
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value (${spec.description})`);
    flags[name] = parseValue(name, raw, spec);
  }
  return { positional, flags };
}

function parseValue(name: string, raw: string, spec: FlagSpec): string | number {
  if (spec.choices && !spec.choices.includes(raw)) {
    if (spec.type === 'string') throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got '${raw}'`);
    if (spec.choices.includes(raw.toLowerCase())) return raw.toLowerCase();
  }
  if (spec.type === 'string') return raw;
  if (spec.choices?.includes(raw)) return raw;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a finite number; got '${raw}'`);
  if (spec.type === 'integer' && !Number.isInteger(v)) throw new UsageError(`--${name} must be a whole number; got '${raw}'`);
  if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name} must be at least ${spec.min}; got ${raw}`);
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be at most ${spec.max}; got ${raw}`);
  return v;
}

export function formatFlagHelp(specs: Record<string, FlagSpec>): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const value = s.type === 'boolean' ? '' : s.choices ? ` ${s.choices.join('|')}` : ` <${s.type === 'string' ? 'value' : 'n'}>`;
    return [`  --${name}${value}`, `${s.description}${s.default !== undefined ? ` (default ${s.default})` : ''}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, b]) => a.padEnd(width) + b).join('\n');
}
