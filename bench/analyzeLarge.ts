/**
 * `trainmap analyze` with default options on a 100-run × 2600-checkpoint bundle (bench/largeBundle.ts), as
 * a user runs it, under /usr/bin/time -v: wall time and peak memory. This is the size at which the
 * label-free dissimilarity once never returned; the analysis must finish.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labelFreeDissimilarity } from '../src/analysis/index.ts';
import { formatRunsJson } from '../src/io/index.ts';
import { machine, type BenchResult } from './harness.ts';
import { largeBundle } from './largeBundle.ts';

const root = resolve(import.meta.dirname, '..');

export async function analyzeLargeBench(): Promise<BenchResult> {
  const runs = Number(process.env.BENCH_LARGE_RUNS ?? 100);
  const checkpoints = Number(process.env.BENCH_LARGE_CHECKPOINTS ?? 2600);
  const dir = join(root, '.bench', 'large');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `runs-${runs}x${checkpoints}.json`);
  writeFileSync(file, formatRunsJson(largeBundle(runs, checkpoints)));
  const out = join(dir, `runs-${runs}x${checkpoints}.analysis.json`);
  const r = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, '--import', 'tsx', join(root, 'src/cli/main.ts'), 'analyze', file, '--out', out],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TRAINMAP_PROGRESS_MS: '60000' },
      maxBuffer: 64 * 2 ** 20,
    },
  );
  const field = (name: string) => new RegExp(`${name}: (.*)`).exec(r.stderr)?.[1]?.trim() ?? null;
  const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  const seconds = wall ? wall.split(':').reduce((s, x) => s * 60 + Number(x), 0) : null;
  const maxRssKiB = Number(field('Maximum resident set size \\(kbytes\\)'));
  const chosen = /chosen K=(\d+)/.exec(r.stdout)?.[1];
  const dissimilarity = /Trajectory dissimilarity: (.*)/.exec(r.stdout)?.[1] ?? null;
  if (r.status !== 0) console.error(r.stdout.slice(-2000), r.stderr.slice(-4000));
  // The step that once hung, timed alone on the analysis just written: 4950 transport problems.
  let dissimilarityMs: number | null = null;
  if (r.status === 0) {
    const a = JSON.parse(readFileSync(out, 'utf8')).analysis as {
      runs: { included: boolean; occupancy?: number[] }[];
      model: { params: { means: number[][] } };
    };
    const occ = a.runs.filter((x) => x.included).map((x) => x.occupancy!);
    const t0 = performance.now();
    labelFreeDissimilarity(occ, a.model.params.means);
    dissimilarityMs = Math.round(performance.now() - t0);
  }
  return {
    benchmark: 'analyze-large',
    date: new Date().toISOString(),
    machine: machine(),
    rows: [
      {
        bundle: `${runs} runs × ${checkpoints} checkpoints × 14 features`,
        'file MiB': Math.round((statSync(file).size / 2 ** 20) * 10) / 10,
        exit: r.status,
        'wall s': seconds,
        'peak RSS MiB': Number.isFinite(maxRssKiB) ? Math.round(maxRssKiB / 1024) : null,
        'user s': Number(field('User time \\(seconds\\)')),
        chosenK: chosen ? Number(chosen) : null,
        'label-free dissimilarity ms': dissimilarityMs,
      },
    ],
    notes: [
      'trainmap analyze <bundle> --out <file> with default options (K=1..8, 5 restarts, ≤32 EM iterations, one worker thread per core), timed by /usr/bin/time -v',
      'bundle: bench/largeBundle.ts (a sticky, forking K=8 Gaussian HMM); the label-free dissimilarity over its 4950 run pairs is the step that once never returned',
      `dissimilarity line: ${dissimilarity}`,
      'the code before this change (main at 943b1e7) also finished on this synthetic bundle (11 min, sharing the 2 cores with other work): the loop depends on the exact occupancies and means; the pair that looped forever is reproduced in tests/numeric/transport.test.ts and, inside a 100-run K=8 dissimilarity, in tests/analysis/dissimilarity.test.ts',
    ],
  };
}
