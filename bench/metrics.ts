/**
 * `npm run bench -- metrics`: time per checkpoint of the 14 weight metrics for S seeds of the paper's
 * modular-addition transformer (15 matrices a seed) and sparse-parity MLP, on tfjs's webgpu backend:
 * our kernels (kernels/) against reading the weights back and running the CPU path, plus the CPU path
 * on the wasm backend (the default in Node). Also the largest GPU–CPU difference, as a check.
 * Here WebGPU is SwiftShader (a CPU); bench/gpu-device.sh runs the same on a real GPU.
 * BENCH_METRICS_SEEDS (default 40) and BENCH_METRICS_REPS (default 3) size it.
 */
import { loadavg } from 'node:os';
import { METRIC_NAMES, type WeightMetrics } from '../src/metrics/index.ts';
import { selectBackend, tf } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { SeedMetrics, type ComputeOptions, type SeedMetricsOptions } from '../src/train/gpuMetrics.ts';
import { prepareNodeWebGpu } from '../src/train/nodeWebgpu.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, median, type BenchResult } from './harness.ts';

const TASKS = ['modular-addition', 'sparse-parity'] as const;

async function timeCalls(
  m: SeedMetrics,
  params: Record<string, tf.Tensor>,
  reps: number,
  compute: ComputeOptions = {},
): Promise<{ times: number[]; last: WeightMetrics[]; path: string }> {
  let r = await m.compute(params); // compiles pipelines, allocates buffers
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    r = await m.compute(params, compute);
    times.push(performance.now() - t0);
  }
  return { times, last: r.metrics, path: r.path };
}

/** Largest |gpu − cpu| / (|cpu| + 1e-6·… ) over seeds and metrics, finite values only, with the count of NaN/∞ mismatches. */
function largestDifference(a: WeightMetrics[], b: WeightMetrics[]): { rel: number; mismatched: number } {
  let rel = 0;
  let mismatched = 0;
  a.forEach((m, s) =>
    METRIC_NAMES.forEach((k) => {
      const x = m[k];
      const y = b[s][k];
      if (!Number.isFinite(y) || !Number.isFinite(x)) {
        if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) mismatched++;
        return;
      }
      rel = Math.max(rel, Math.abs(x - y) / (Math.abs(y) + 1e-6));
    }),
  );
  return { rel, mismatched };
}

export interface MetricsBenchOptions {
  seeds?: number;
  reps?: number;
  /** Skip the CPU path on the wasm backend (the device script runs without wasm files). */
  skipWasm?: boolean;
}

export async function metricsBench(options: MetricsBenchOptions = {}): Promise<BenchResult> {
  const S = options.seeds ?? Number(process.env.BENCH_METRICS_SEEDS ?? 40);
  const reps = options.reps ?? Number(process.env.BENCH_METRICS_REPS ?? 3);
  const seeds = Array.from({ length: S }, (_, i) => i);
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const choice = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
  notes.push(`webgpu adapter: ${choice.adapter ?? 'unknown'}`);
  notes.push(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (the timings include other load on this machine)`,
  );
  notes.push(
    'weights at their seeded initialization; ms = wall clock of one call including the wait for the read-back, median of the reps after one untimed call',
  );
  for (const task of TASKS) {
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig(task, 'paper')), seeds);
    const runs: [string, SeedMetricsOptions, ComputeOptions][] = [
      ['GPU kernels', {}, {}],
      ['GPU kernels, no SVD (sv-every > 1, the checkpoints in between)', {}, { singularValues: false }],
      ['read back + CPU path', { path: 'cpu' }, {}],
    ];
    const results: Record<string, WeightMetrics[]> = {};
    for (const [label, opts, compute] of runs) {
      // The CPU path takes seconds at 40 seeds; a few reps tell its time well enough.
      const r = await timeCalls(
        new SeedMetrics(trainer.task.params, S, opts),
        trainer.params,
        opts.path === 'cpu' ? Math.min(reps, 5) : reps,
        compute,
      );
      results[label] = r.last;
      rows.push({
        task,
        seeds: S,
        backend: 'webgpu',
        path: label,
        ms_per_checkpoint: Number(median(r.times).toFixed(1)),
        ms_min: Number(Math.min(...r.times).toFixed(1)),
        reps: r.times.length,
      });
      console.log(`metrics bench: ${task} ${label}: ${median(r.times).toFixed(1)} ms`);
    }
    const diff = largestDifference(results['GPU kernels'], results['read back + CPU path']);
    notes.push(
      `${task}: largest GPU vs CPU relative difference ${diff.rel.toExponential(2)} over ${S}×14 values; NaN/∞ mismatches: ${diff.mismatched}`,
    );
    trainer.dispose();
  }
  if (!options.skipWasm) {
    await selectBackend({ requested: 'wasm' });
    for (const task of TASKS) {
      const trainer = new BatchedTrainer(await createTaskModel(trainingConfig(task, 'paper')), seeds);
      for (const singularValues of [true, false]) {
        const r = await timeCalls(new SeedMetrics(trainer.task.params, S), trainer.params, reps, { singularValues });
        rows.push({
          task,
          seeds: S,
          backend: 'wasm',
          path: `CPU path (${r.path})${singularValues ? '' : ', no SVD (sv-every > 1, the checkpoints in between)'}`,
          ms_per_checkpoint: Number(median(r.times).toFixed(1)),
          ms_min: Number(Math.min(...r.times).toFixed(1)),
          reps,
        });
      }
      trainer.dispose();
    }
  }
  return { benchmark: 'metrics-per-checkpoint', date: new Date().toISOString(), machine: machine(), rows, notes };
}
