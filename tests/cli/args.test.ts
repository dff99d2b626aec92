import { describe, expect, it } from 'vitest';
import { formatFlagHelp, parseArgs, UsageError } from '../../src/cli/args.ts';
import type { SettingSpec } from '../../src/settings/index.ts';

const SPECS: SettingSpec[] = [
  {
    name: 'task',
    type: 'string',
    help: 'what to train',
    choices: ['sparse-parity', 'modular-addition'],
    surface: 'both',
  },
  { name: 'out', type: 'string', help: 'where to write', default: 'out/runs.json', surface: 'cli' },
  { name: 'seeds', type: 'integer', help: 'how many seeds', min: 1, max: 1000, default: 8, surface: 'both' },
  { name: 'lr', type: 'number', help: 'learning rate', min: 0, surface: 'both' },
  { name: 'workers', type: 'integer', help: 'fit workers', words: ['auto'], min: 1, surface: 'cli' },
  { name: 'force', type: 'boolean', help: 'overwrite', surface: 'cli' },
];

const usage = (argv: string[]) => {
  try {
    parseArgs(argv, SPECS);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).name).toBe('UsageError');
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseArgs', () => {
  it('separates positionals from flags, in either --name value or --name=value form, and parses numbers', () => {
    expect(
      parseArgs(
        ['run', '--task', 'sparse-parity', 'extra', '--seeds=16', '--lr', '-0.5e-1', '--force', '--out=a=b.json'],
        SPECS.map((s) => (s.name === 'lr' ? { ...s, min: undefined } : s)),
      ),
    ).toEqual({
      positional: ['run', 'extra'],
      flags: { task: 'sparse-parity', seeds: 16, lr: -0.05, force: true, out: 'a=b.json' },
    });
    expect(parseArgs([], SPECS)).toEqual({ positional: [], flags: {} });
  });

  it('a number flag may take one of its words, in any case', () => {
    expect(parseArgs(['--workers', 'auto'], SPECS).flags.workers).toBe('auto');
    expect(parseArgs(['--workers=AUTO'], SPECS).flags.workers).toBe('auto');
    expect(parseArgs(['--workers', '3'], SPECS).flags.workers).toBe(3);
  });

  it('a boolean flag alone is true; with a value it can also be turned off', () => {
    expect(parseArgs(['--force'], SPECS).flags.force).toBe(true);
    expect(parseArgs(['--force=false'], SPECS).flags.force).toBe(false);
    expect(parseArgs(['--force=0'], SPECS).flags.force).toBe(false);
    expect(parseArgs(['--force=yes'], SPECS).flags.force).toBe(true);
  });

  it('the last of a repeated flag wins', () => {
    expect(parseArgs(['--seeds', '2', '--seeds', '5'], SPECS).flags.seeds).toBe(5);
  });

  const errors: [string[], string][] = [
    [['--nope'], 'unknown option --nope; options: --task --out --seeds --lr --workers --force'],
    [['--force=maybe'], "--force must be true or false (1 or 0); got 'maybe'"],
    [['--seeds'], '--seeds needs a value (how many seeds)'],
    [['--out', '--force'], '--out needs a value (where to write)'],
    [['--task', 'vision'], "--task must be one of sparse-parity, modular-addition; got 'vision'"],
    [['--task', 'Sparse-Parity'], "--task must be one of sparse-parity, modular-addition; got 'Sparse-Parity'"],
    [['--lr', 'fast'], "--lr must be a finite number; got 'fast'"],
    [['--lr='], "--lr must be a finite number; got ''"],
    [['--lr', '  '], "--lr must be a finite number; got '  '"],
    [['--lr', 'Infinity'], "--lr must be a finite number; got 'Infinity'"],
    [['--lr', '-1'], '--lr must be at least 0; got -1'],
    [['--seeds', '2.5'], "--seeds must be a whole number; got '2.5'"],
    [['--seeds', '0'], '--seeds must be at least 1; got 0'],
    [['--seeds', '1001'], '--seeds must be at most 1000; got 1001'],
    [['--workers', 'many'], "--workers must be 'auto' or a whole number ≥ 1; got 'many'"],
  ];
  for (const [argv, message] of errors) {
    it(`refuses ${argv.join(' ')}: ${message}`, () => expect(usage(argv)).toBe(message));
  }
});

describe('formatFlagHelp', () => {
  it('one aligned line per flag with its value form, help, range and default', () => {
    expect(formatFlagHelp(SPECS).split('\n')).toEqual([
      '  --task sparse-parity|modular-addition  what to train',
      '  --out <value>                          where to write (default out/runs.json)',
      '  --seeds <n>                            how many seeds [1…1000] (default 8)',
      '  --lr <n>                               learning rate [0…]',
      '  --workers <n>                          fit workers [1…]',
      '  --force                                overwrite',
    ]);
  });
});
