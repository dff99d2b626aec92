/**
 * The live lab's warm refit (what the analysis worker runs every new checkpoint) at 40 runs × 300 checkpoints:
 * the bundled sparse-parity runs grown by one checkpoint from a report on one checkpoint fewer.
 * Target from the lab issue: ≤ 1 s.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeRuns, warmRefit } from '../src/analysis/index.ts';
import { parseRunsCsv, type RunBundle } from '../src/io/index.ts';
import { machine, median, timeRepeated, type BenchResult } from './harness.ts';

function firstCheckpoints(bundle: RunBundle, n: number): RunBundle {
  const b = structuredClone(bundle);
  for (const run of b.groups.flatMap((g) => g.runs))
    for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, n);
  return b;
}

export async function liveRefitBench(): Promise<BenchResult> {
  const file = resolve(import.meta.dirname, '../static/samples/sparse-parity-paper.csv');
  const bundle = parseRunsCsv(readFileSync(file, 'utf8'), file);
  const rows: BenchResult['rows'] = [];
  for (const n of [100, 200, 300]) {
    const before = analyzeRuns(firstCheckpoints(bundle, n - 1), { states: 6, stabilityRestarts: 0 });
    const grown = firstCheckpoints(bundle, n);
    const ms = timeRepeated(() => warmRefit(grown, before), 5);
    rows.push({
      runs: 40,
      checkpoints: n,
      K: 6,
      'warm refit ms (median of 5)': Math.round(median(ms)),
      'max ms': Math.round(Math.max(...ms)),
    });
  }
  return { benchmark: 'live-refit', date: new Date().toISOString(), machine: machine(), rows };
}
