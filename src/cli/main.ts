#!/usr/bin/env node
/** The `trainmap` command: the same modules as the page, from a terminal. */
import { BundleError, safeMessage, safeText } from '../io/index.ts';
import { describePresets, type SettingSpec } from '../settings/index.ts';
import { formatFlagHelp, parseArgs, UsageError, type Flags } from './args.ts';
import { ANALYZE_FLAGS, analyzeCommand } from './analyzeCommand.ts';
import { RUN_FLAGS, runCommand } from './runCommand.ts';

interface Command {
  summary: string;
  usage: string;
  flags: readonly SettingSpec[];
  /** More help after the options. */
  moreHelp?: () => string;
  /** Resolves to the exit code, or nothing for success. */
  run(positional: string[], flags: Flags): Promise<number | void>;
}

const COMMANDS: Record<string, Command> = {
  analyze: {
    summary: 'fit the HMM training map to a run bundle and print what it found',
    usage: 'trainmap analyze <bundle.csv|bundle.json|folder|files…> [options]',
    flags: ANALYZE_FLAGS,
    run: analyzeCommand,
  },
  run: {
    summary: 'train many seeds of a task together and write their run bundle',
    usage: 'trainmap run --task modular-addition|sparse-parity --preset NAME --seeds 40 --out runs.json [options]',
    flags: RUN_FLAGS,
    moreHelp: () => `presets:\n${describePresets()}`,
    run: runCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return [
    'trainmap — latent state models of training dynamics (Hu et al., TMLR 2023)',
    '',
    'usage: npm run trainmap -- <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    "'trainmap <command> --help' shows a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`trainmap: unknown command '${safeText(name, 80)}'\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(
      `usage: ${command.usage}\n\n${formatFlagHelp(command.flags)}\n${command.moreHelp ? `\n${command.moreHelp()}\n` : ''}`,
    );
    return 0;
  }
  try {
    const { positional, flags } = parseArgs(rest, command.flags);
    return (await command.run(positional, flags)) ?? 0;
  } catch (e) {
    // The last line of defence: whatever an error says (a value from argv, a file, a library), it reaches the
    // terminal as one line under 1 KB with its control characters escaped.
    if (e instanceof UsageError) {
      process.stderr.write(
        `trainmap ${name}: ${safeMessage(e.message)}\nusage: ${command.usage} (--help for options)\n`,
      );
      return 2;
    }
    const message = e instanceof BundleError || e instanceof Error ? e.message : String(e);
    process.stderr.write(`\ntrainmap ${name}: ${safeMessage(message)}\n`);
    if (process.env.TRAINMAP_DEBUG && e instanceof Error) process.stderr.write(`${safeText(e.stack ?? '', 20000)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`\ntrainmap: ${safeMessage(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 1;
  },
);
