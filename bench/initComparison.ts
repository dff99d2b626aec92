/**
 * Which HMM start is better founded? Held-out log-likelihood over seeded restarts for hmmlearn's start
 * (Dirichlet(1/K) start and transition rows) and the sticky start, K = 2..8, on several data sets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  packSequences,
  planSelection,
  runFitJob,
  zScoreRun,
  type ObservationSet,
  type SelectionOptions,
} from '../src/analysis/index.ts';
import { DEFAULT_FEATURES, readBundleText } from '../src/io/index.ts';
import { benchSequences } from './data.ts';
import { machine, type BenchResult } from './harness.ts';

const fixtures = process.env.TRAINMAP_FIXTURES ?? join(import.meta.dirname, '../tests/fixtures/reference');

function normalizedBundle(file: string): number[][][] {
  const b = readBundleText(readFileSync(file, 'utf8'), file);
  return b.groups
    .flatMap((g) => g.runs)
    .map((r) => zScoreRun(r.checkpoints.step.map((_, t) => DEFAULT_FEATURES.map((f) => r.checkpoints[f][t]))).z);
}

export async function initComparisonBench(): Promise<BenchResult> {
  const sets: { name: string; obs: ObservationSet }[] = [
    {
      name: 'paperlike.json',
      obs: packSequences(
        (JSON.parse(readFileSync(join(fixtures, 'hmm/paperlike.json'), 'utf8')) as { sequences: number[][][] })
          .sequences,
      ),
    },
    {
      name: 'synthetic-forking.csv (z-scored)',
      obs: packSequences(normalizedBundle('static/samples/synthetic-forking.csv')),
    },
    { name: 'known K=6 forking, 30×300', obs: packSequences(benchSequences(30, 300, 14, 6, 3)) },
    ...['static/samples/sparse-parity-paper.csv']
      .filter((f) => existsSync(f))
      .map((f) => ({
        name: `${f.replace(/^.*\//, '')} (z-scored, real training)`,
        obs: packSequences(normalizedBundle(f)),
      })),
  ];
  const rows: BenchResult['rows'] = [];
  const restarts = 5;
  for (const set of sets) {
    for (let k = 2; k <= 8; k++) {
      const row: BenchResult['rows'][0] = { data: set.name, K: k };
      for (const init of ['hmmlearn', 'sticky', 'mixed'] as NonNullable<SelectionOptions['init']>[]) {
        const plan = planSelection(set.obs, { states: k, restarts, seed: 0, init });
        const ll = plan.jobs.map(
          (job) => runFitJob(plan.trainObs, plan.heldOutObs, job, plan.options).heldOutLogLikelihood,
        );
        row[`${init} mean`] = ll.reduce((a, b) => a + b, 0) / ll.length;
        row[`${init} best`] = Math.max(...ll);
      }
      const best = Math.max(row['hmmlearn best'] as number, row['sticky best'] as number, row['mixed best'] as number);
      row.winner = ['hmmlearn', 'sticky', 'mixed'].filter((i) => row[`${i} best`] === best).join('=');
      rows.push(row);
    }
  }
  return {
    benchmark: 'hmm-init-comparison',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `held-out log-likelihood (higher is better) over ${restarts} seeded restarts per K, same 80/20 split and k-means means for every start; ≤32 EM iterations; mixed = restarts 0, 2, 4 sticky and 1, 3 hmmlearn`,
    ],
  };
}
