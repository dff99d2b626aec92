import { describe, expect, it } from 'vitest';
import { formatFlagHelp, parseArgs, UsageError, type FlagSpec } from '../../src/cli/args.ts';

const SPECS: Record<string, FlagSpec> = {
  task: { type: 'string', description: 'what to train', choices: ['sparse-parity', 'modular-addition'] },
  out: { type: 'string', description: 'where to write', default: 'out/runs.json' },
  seeds: { type: 'integer', description: 'how many seeds', min: 1, max: 1000, default: '8' },
  lr: { type: 'number', description: 'learning rate', min: 0 },
  workers: { type: 'integer', description: 'fit workers', choices: ['auto'], min: 1 },
  force: { type: 'boolean', description: 'overwrite' },
};

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
      parseArgs(['run', '--task', 'sparse-parity', 'extra', '--seeds=16', '--lr', '-0.5e-1', '--force', '--out=a=b.json'], {
        ...SPECS,
        lr: { type: 'number', description: 'learning rate' },
      }),
    ).toEqual({
      positional: ['run', 'extra'],
      flags: { task: 'sparse-parity', seeds: 16, lr: -0.05, force: true, out: 'a=b.json' },
    });
    expect(parseArgs([], SPECS)).toEqual({ positional: [], flags: {} });
  });

  it('a number flag may take one of its word choices, in any case', () => {
    expect(parseArgs(['--workers', 'auto'], SPECS).flags.workers).toBe('auto');
    expect(parseArgs(['--workers=AUTO'], SPECS).flags.workers).toBe('auto');
    expect(parseArgs(['--workers', '3'], SPECS).flags.workers).toBe(3);
  });

  it('the last of a repeated flag wins', () => {
    expect(parseArgs(['--seeds', '2', '--seeds', '5'], SPECS).flags.seeds).toBe(5);
  });

  const errors: [string[], string][] = [
    [['--nope'], 'unknown option --nope; options: --task --out --seeds --lr --workers --force'],
    [['--force=yes'], '--force takes no value'],
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
    [['--workers', 'many'], "--workers must be a finite number; got 'many'"],
  ];
  for (const [argv, message] of errors) {
    it(`refuses ${argv.join(' ')}: ${message}`, () => expect(usage(argv)).toBe(message));
  }
});

describe('formatFlagHelp', () => {
  it('one aligned line per flag with its value form, description and default', () => {
    expect(formatFlagHelp(SPECS).split('\n')).toEqual([
      '  --task sparse-parity|modular-addition  what to train',
      '  --out <value>                          where to write (default out/runs.json)',
      '  --seeds <n>                            how many seeds (default 8)',
      '  --lr <n>                               learning rate',
      '  --workers auto                         fit workers',
      '  --force                                overwrite',
    ]);
  });
});
