/**
 * `npm run bench -- support-k`: what the support across plausible K (method.md §13.7) says and costs, on the two real
 * sparse-parity sets and the synthetic forking sample, with default options on one worker thread per core. The
 * analysis is driven step by step through the public API so that each part is timed on its own: model selection,
 * the stability restarts at the chosen K (all an analysis did before), the restarts at the other plausible K, and
 * finishing the report with the supports at the chosen K only (before) and across the plausible K (after).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  assembleSelection,
  assessKChoice,
  finishAnalysis,
  packSequences,
  planSelection,
  plausibleKs,
  prepareRuns,
  stabilityJobs,
  type AnalysisReport,
  type FitJobResult,
  type FitRunner,
  type SelectionPlan,
} from '../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { readBundleText } from '../src/io/index.ts';
import { machine, type BenchResult } from './harness.ts';

const SETS = [
  'static/samples/sparse-parity-paper.csv',
  'static/samples/sparse-parity-seeds40-79.csv',
  'static/samples/synthetic-forking.csv',
];

/** Wall seconds, and CPU seconds of the whole process (worker threads included, so less sensitive to other jobs). */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; s: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, s: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

const fit = (runner: FitRunner, plan: SelectionPlan, jobs: SelectionPlan['jobs']): Promise<FitJobResult[]> =>
  jobs.length ? runner.run({ ...plan, jobs }, () => undefined) : Promise.resolve([]);

function stabilityOf(r: AnalysisReport) {
  const s = r.stability;
  if ('skipped' in s || !s.acrossK) throw new Error('no stability');
  return s as typeof s & { acrossK: NonNullable<typeof s.acrossK> };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
const round = (x: number) => Math.round(x * 100) / 100;

export async function supportAcrossKBench(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const runner = workerFitRunner(defaultWorkerCount());
  try {
    for (const file of SETS) {
      const options = {};
      const prep = prepareRuns(readBundleText(readFileSync(file, 'utf8'), file), options);
      const obs = packSequences(prep.z);
      const plan = planSelection(obs, options);
      const select = await timed(() => fit(runner, plan, plan.jobs));
      const selection = assembleSelection(plan, select.value);
      const kChoice = assessKChoice(selection, { nFeatures: obs.nFeatures });
      const plausible = await timed(() =>
        plausibleKs(selection, kChoice, { nFeatures: obs.nFeatures, heldOutLengths: plan.heldOutObs.lengths }),
      );
      const chosen = plausible.value.filter((p) => p.chosen);
      const others = plausible.value.filter((p) => !p.chosen);
      const atK = await timed(() => fit(runner, plan, stabilityJobs(plan, selection.chosenK)));
      const otherK = await timed(() =>
        fit(
          runner,
          plan,
          others.flatMap((p) => stabilityJobs(plan, p.k)),
        ),
      );
      // Once untimed, so that neither timed pass pays for compiling the code.
      finishAnalysis(prep, { selection, extra: atK.value, kChoice, plausible: chosen }, options, obs);
      const before = await timed(() =>
        finishAnalysis(prep, { selection, extra: atK.value, kChoice, plausible: chosen }, options, obs),
      );
      const after = await timed(() =>
        finishAnalysis(
          prep,
          { selection, extra: [...atK.value, ...otherK.value], kChoice, plausible: plausible.value },
          options,
          obs,
        ),
      );
      const b = stabilityOf(before.value);
      const a = stabilityOf(after.value).acrossK;
      const beforeS = select.s + atK.s + before.s;
      const extraS = plausible.s + otherK.s + after.s - before.s;
      const beforeCpu = select.cpu + atK.cpu + before.cpu;
      const extraCpu = plausible.cpu + otherK.cpu + after.cpu - before.cpu;
      rows.push({
        set: file.replace(/^.*\//, ''),
        K: selection.chosenK,
        'verdict before': `${b.verdict.shape} · ${pct(b.verdict.support)} of ${b.comparable} comparable fits at K=${b.k}`,
        'verdict after': `${a.verdict.shape} · ${pct(a.verdict.support)} of ${a.fits} fits, K = ${a.ks.join(', ')}`,
        'per K (weight: comparable linear/forking)': a.perK
          .map((k) => `K=${k.k} ${pct(k.weight)}: ${k.comparable} ${k.linear}/${k.forking}`)
          .join('; '),
        'selection s': round(select.s),
        'stability at K s': round(atK.s),
        'other-K fits s': round(otherK.s),
        'finish before s': round(before.s),
        'finish after s': round(after.s),
        'analysis before s': round(beforeS),
        'extra s': round(extraS),
        'extra %': Math.round((100 * extraS) / beforeS),
        'cpu before s': round(beforeCpu),
        'cpu extra s': round(extraCpu),
        'cpu extra %': Math.round((100 * extraCpu) / beforeCpu),
        'cpu: selection / stability at K / other-K fits / finish before / after s': [select, atK, otherK, before, after]
          .map((t) => round(t.cpu))
          .join(' / '),
        'load avg': round(loadavg()[0]),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  } finally {
    runner.close();
  }
  return {
    benchmark: 'support-across-k',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `default options (K = 1…8, 5 restarts, 20 stability restarts) on ${defaultWorkerCount()} worker threads; before = selection + stability restarts at the chosen K + the report with supports at that K only (what an analysis did before), after adds the plausible K's chances (joint resampling), their stability restarts and the supports across them`,
      'cpu: user + system seconds of the process, worker threads included; wall times on a loaded machine mostly measure the other jobs',
      'verdict after: support weighted by each plausible K’s chance of being chosen when restarts and held-out runs are resampled together (method.md §13.7)',
    ],
  };
}
