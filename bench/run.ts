/**
 * `npm run bench [-- name ...]`: runs the benchmarks, prints a table per benchmark and writes
 * bench/results/<benchmark>.json. Speed is reported here, never asserted in tests.
 */
import { eStepKernelBench, emIterationBench, modelSelectionBench } from './hmm.ts';
import { analyzeLargeBench } from './analyzeLarge.ts';
import { analysisScalingBench } from './analysisScaling.ts';
import { supportAcrossKBench } from './supportAcrossK.ts';
import { initComparisonBench } from './initComparison.ts';
import { mlMatrixOracleBench } from './mlMatrixOracle.ts';
import { stabilityBench } from './stability.ts';
import { stickyPriorBench } from './stickyPrior.ts';
import { metricsBench } from './metrics.ts';
import { svdAccuracyBench } from './svdAccuracy.ts';
import { trainThroughputBench } from './train.ts';
import { labBench } from './lab.ts';
import { liveRefitBench } from './liveRefit.ts';
import { forecastBench } from './forecast.ts';
import { labImportBench } from './labImport.ts';
import { svEveryBench } from './svEvery.ts';
import { tfeventsBench } from './tfevents.ts';
import { stepProfileBench } from './stepProfile.ts';
import { cpuVsTorchBench } from './cpuVsTorch.ts';
import { webgpuCallsBench } from './webgpuCalls.ts';
import { teachingPresetBench } from './teachingPreset.ts';
import { soakBench } from './soak.ts';
import { checkpointShareBench } from './checkpointShare.ts';
import { printTable, writeResult, type BenchResult } from './harness.ts';

const all: Record<string, () => Promise<BenchResult>> = {
  kernels: eStepKernelBench,
  em: emIterationBench,
  selection: modelSelectionBench,
  init: initComparisonBench,
  stability: stabilityBench,
  sticky: stickyPriorBench,
  train: trainThroughputBench,
  'ml-matrix': mlMatrixOracleBench,
  large: analyzeLargeBench,
  scaling: analysisScalingBench,
  'support-k': supportAcrossKBench,
  metrics: () => metricsBench(),
  'svd-accuracy': svdAccuracyBench,
  lab: labBench,
  refit: liveRefitBench,
  forecast: forecastBench,
  'lab-import': labImportBench,
  'sv-every': svEveryBench,
  tfevents: tfeventsBench,
  'step-profile': stepProfileBench,
  'cpu-vs-torch': cpuVsTorchBench,
  'webgpu-calls': () => webgpuCallsBench(),
  'teaching-preset': teachingPresetBench,
  soak: soakBench,
  'checkpoint-share': checkpointShareBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in all));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(all).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(all)) {
  const result = await all[name]();
  printTable(
    `${result.benchmark}  (${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node})`,
    result.rows,
  );
  for (const n of result.notes ?? []) console.log(`  note: ${n}`);
  console.log(`  -> ${writeResult(result)}`);
}
