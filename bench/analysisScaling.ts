/**
 * `npm run bench -- scaling`: analysis time against the number of runs (100, 1,000, 10,000 at 2 and at 300
 * checkpoints) and against run length (40 runs at 300, 1,000, 3,000 checkpoints), with issue #19's options
 * (`--restarts 1 --k-max 3`, the default 20 stability restarts, one worker thread per core). Each size runs in its
 * own Node process (so peak memory is its own), on a bundle sampled from bench/largeBundle.ts in memory, through
 * the same `analyzeRunsWith` as `trainmap analyze`; the time of each phase comes from the analysis's progress
 * events. BENCH_SCALING_SIZES="100x2,40x300" picks sizes.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeRunsWith,
  packSequences,
  planSelection,
  prepareRuns,
  type AnalysisProgress,
} from '../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { machine, type BenchResult } from './harness.ts';
import { largeBundle } from './largeBundle.ts';

const SIZES = ['100x2', '1000x2', '10000x2', '100x300', '1000x300', '10000x300', '40x300', '40x1000', '40x3000'];
const OPTIONS = { restarts: 1, kMax: 3 };
const root = resolve(import.meta.dirname, '..');

interface OneResult {
  runs: number;
  checkpoints: number;
  seconds: number;
  /** User + system time of the whole process, worker threads included: less sensitive to other jobs than wall time. */
  cpuSeconds: number;
  phases: Record<string, number>;
  peakRssMiB: number;
  chosenK: number;
  plausibleKs: string;
  fits: number;
  dissimilarity: string;
  load: number;
}

/** One size, in this process: the bundle, then the analysis timed phase by phase. */
async function runOne(runs: number, checkpoints: number): Promise<OneResult> {
  const bundle = largeBundle(runs, checkpoints);
  const phases: Record<string, number> = {};
  let phase = 'prepare';
  let since = performance.now();
  let peak = process.memoryUsage().rss;
  const onProgress = (p: AnalysisProgress) => {
    peak = Math.max(peak, process.memoryUsage().rss);
    const name = 'step' in p && p.step ? p.step : p.phase;
    if (name === phase) return;
    phases[phase] = (phases[phase] ?? 0) + (performance.now() - since) / 1000;
    phase = name;
    since = performance.now();
  };
  const workers = defaultWorkerCount();
  const runner = workerFitRunner(workers);
  // Start the worker threads (each loads the analysis modules) before the clock starts, on a tiny plan.
  const warm = planSelection(packSequences(prepareRuns(largeBundle(6, 40), {}).z), { states: 1, restarts: workers });
  await runner.run(warm, () => undefined);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  since = t0;
  let report;
  try {
    report = await analyzeRunsWith(runner, bundle, { ...OPTIONS, onProgress });
  } finally {
    runner.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  phases[phase] = (phases[phase] ?? 0) + (performance.now() - since) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const st = report.stability;
  const across = 'skipped' in st ? undefined : st.acrossK;
  const m = report.dissimilarity.method?.labelFree;
  return {
    runs,
    checkpoints,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    phases,
    peakRssMiB: Math.round(peak / 2 ** 20),
    chosenK: report.selection.chosenK,
    plausibleKs: across ? across.ks.join(',') : String(report.selection.chosenK),
    fits:
      report.selection.rows.reduce((n, r) => n + r.restarts.length, 0) +
      (across?.perK ?? ('skipped' in st ? [] : [{ k: st.k, restarts: st.fits.length }])).reduce(
        (n, k) => n + k.restarts - (report.selection.rows.find((r) => r.k === k.k)?.restarts.length ?? 0),
        0,
      ),
    dissimilarity: m
      ? `${m.method} over ${m.pairs} of ${m.totalPairs} pairs (se ${m.standardError.toPrecision(2)})`
      : '',
    load: loadavg()[0],
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function analysisScalingBench(): Promise<BenchResult> {
  const sizes = (process.env.BENCH_SCALING_SIZES ?? SIZES.join(',')).split(',').filter(Boolean);
  const rows: BenchResult['rows'] = [];
  for (const size of sizes) {
    const [runs, checkpoints] = size.split('x').map(Number);
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=16384',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        String(runs),
        String(checkpoints),
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.error(r.stderr.slice(-3000));
      rows.push({ runs, checkpoints, 'wall s': null, error: `exit ${r.status}` });
      continue;
    }
    const one = JSON.parse(line) as OneResult;
    const p = one.phases;
    rows.push({
      runs,
      checkpoints,
      'wall s': round(one.seconds),
      'cpu s': round(one.cpuSeconds),
      'selection s': round(p.select ?? 0),
      'stability fits s': round(p.stability ?? 0),
      'decode s': round((p['shown-fit'] ?? 0) + (p.restarts ?? 0) + (p['other-k'] ?? 0)),
      'map s': round(p.map ?? 0),
      'dissimilarity s': round(p.dissimilarity ?? 0),
      'prepare s': round(p.prepare ?? 0),
      'peak RSS MiB': one.peakRssMiB,
      K: one.chosenK,
      'plausible K': one.plausibleKs,
      fits: one.fits,
      'label-free dissimilarity': one.dissimilarity,
      'load avg': round(one.load),
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
  return {
    benchmark: 'analysis-scaling',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `analyzeRunsWith on ${defaultWorkerCount()} worker threads with { restarts: 1, kMax: 3 } and the default 20 stability restarts at every plausible K; bundles from bench/largeBundle.ts (a sticky forking K=8 HMM over the 14 metrics) built in memory, each size in its own process`,
      'cpu s: user + system time of the process, worker threads included (less sensitive than wall time to other jobs on the machine); worker threads are started before the clock; phases from the progress events: prepare is normalization up to the first fit reported; selection and stability are the EM fits; decode is the shown fit, the restarts compared with it and the fits at other plausible K; map is map, regression and forecast',
      'issue #19 measured the code before this change with the CLI: 1,000 × 2 in 87 s, 2,000 × 2 in 391 s, 10,000 × 2 killed after 300 s',
    ],
  };
}

// Run directly with two numbers: one size, its result as one JSON line.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.length === 4) {
  const [runs, checkpoints] = process.argv.slice(2).map(Number);
  const one = await runOne(runs, checkpoints);
  process.stdout.write(JSON.stringify(one) + '\n');
  process.exit(0);
}
