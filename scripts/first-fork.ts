/**
 * Analyzes growing prefixes of a recorded bundle with the default model selection (as the lab's background full
 * selection does) and says at which checkpoint the map first forks: the numbers behind a teaching preset's "a fork
 * within minutes" (issue #16 §3). Prints one line per prefix (K, shape, detours, states of the runs' last checkpoint,
 * analysis seconds) and writes them as JSON beside the bundle.
 * With --live it replays the bundle through the lab's live path instead (src/replay/replayLive.ts: a warm refit at
 * every checkpoint, full selections as the RefitScheduler asks, each awaited, so no analysis lags behind) and prints
 * every map shown, with the CPU seconds of each analysis.
 * Usage: npx tsx scripts/first-fork.ts out/search/a.json [--from 6] [--every 3] [--to N] [--stop-at-fork] [--live]
 */
import { writeFileSync } from 'node:fs';
import { analyzeRunsWith, warmRefit } from '../src/analysis/index.ts';
import { replayLive, type AnalysisPort } from '../src/replay/replayLive.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { readBundleText } from '../src/io/index.ts';
import { checkpointSteps, prefixBundle } from '../src/replay/prefix.ts';
import { readFileSync } from 'node:fs';
import { branchingStates } from '../src/replay/sameMap.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: first-fork.ts BUNDLE [--from n] [--every k] [--to n] [--stop-at-fork]');
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const bundle = readBundleText(readFileSync(file, 'utf8'), file);
const steps = checkpointSteps(bundle);
const from = flag('from', 6);
const every = flag('every', 3);
const to = Math.min(flag('to', steps.length), steps.length);
const stopAtFork = process.argv.includes('--stop-at-fork');
const threshold = Number((bundle.groups[0].config as { convergenceThreshold?: number }).convergenceThreshold ?? 0.9);
const runner = workerFitRunner(defaultWorkerCount());
const rows: Record<string, unknown>[] = [];
if (process.argv.includes('--live')) {
  const port: AnalysisPort = {
    full: (b, o) => analyzeRunsWith(runner, structuredClone(b), o),
    warm: async (b, previous, o) => warmRefit(structuredClone(b), previous, o),
  };
  let clock = performance.now();
  await replayLive(
    prefixBundle(bundle, to, steps),
    port,
    { threshold },
    {
      onEvent: (e) => {
        const now = performance.now();
        const row = {
          checkpoints: e.checkpoints,
          kind: e.kind,
          shown: e.shown,
          k: e.report.selection.chosenK,
          shape: e.report.map.shape,
          branches: branchingStates(e.report),
          edges: e.report.map.edges.map((x) => `${x.from}>${x.to}`).join(' '),
          seconds: +((now - clock) / 1000).toFixed(1),
        };
        clock = now;
        rows.push(row);
        console.log(JSON.stringify(row));
      },
    },
  );
  runner.close();
  writeFileSync(file.replace(/\.json$/, '') + '.live.json', JSON.stringify(rows, null, 1));
  process.exit(0);
}
for (let n = from; n <= to; n = n === to ? to + 1 : Math.min(to, n + every)) {
  const t0 = performance.now();
  const report = await analyzeRunsWith(runner, prefixBundle(bundle, n, steps), { threshold });
  const seconds = (performance.now() - t0) / 1000;
  const row = {
    checkpoints: n,
    epoch: (bundle.groups[0].runs[0].checkpoints.epoch ?? [])[n - 1],
    k: report.selection.chosenK,
    shape: report.map.shape,
    // The lab calls any map without a linear order forking, a 2-state cycle (a spike and its recovery) included;
    // runs taking different paths need a state with two successors.
    branches: branchingStates(report),
    detours: report.detours,
    edges: report.map.edges.map((e) => `${e.from}>${e.to}`).join(' '),
    r2: 'rSquared' in report.regression ? +report.regression.rSquared.toFixed(3) : null,
    seconds: +seconds.toFixed(1),
    load: (await import('node:os')).loadavg()[0].toFixed(1),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  if (stopAtFork && row.branches.length > 0) break;
}
runner.close();
writeFileSync(file.replace(/\.json$/, '') + '.forks.json', JSON.stringify(rows, null, 1));
