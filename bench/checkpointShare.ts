/**
 * `npm run bench -- checkpoint-share`: what checkpoints cost on the CPU path (wasm, the default in Node and in a
 * browser without a GPU) against the training between them, for every preset at its default cadence and S = 40:
 * seconds per step, the metric pass (the 14 metrics of every seed, SVDs included; and without the SVDs), the whole
 * checkpoint (train and eval losses and accuracies, then the metrics), and their shares of the training time of
 * one checkpoint interval (steps per epoch × checkpointEvery steps). Target (issue 18): metric pass ≤ 15 %.
 * BENCH_SHARE_SEEDS (default 40), BENCH_SHARE_REPS (default 2), BENCH_SHARE_PRESETS (task/preset,… to pick some).
 */
import { loadavg } from 'node:os';
import { selectBackend } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { createTaskModel, getTask, taskNames, trainingConfig } from '../tasks/index.ts';
import { machine, median, type BenchResult } from './harness.ts';

async function timed(fn: () => Promise<unknown> | unknown, reps: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
  }
  return median(t);
}

export async function checkpointShareBench(): Promise<BenchResult> {
  const seeds = Number(process.env.BENCH_SHARE_SEEDS ?? 40);
  const reps = Number(process.env.BENCH_SHARE_REPS ?? 2);
  const wanted = process.env.BENCH_SHARE_PRESETS?.split(',');
  await selectBackend({ requested: 'wasm' });
  const rows: BenchResult['rows'] = [];
  for (const task of taskNames()) {
    for (const preset of Object.keys(getTask(task)!.presets)) {
      if (wanted && !wanted.includes(`${task}/${preset}`)) continue;
      const cfg = trainingConfig(task, preset);
      const trainer = new BatchedTrainer(
        await createTaskModel(cfg),
        Array.from({ length: seeds }, (_, i) => i),
      );
      trainer.step();
      await trainer.settle();
      const step = await timed(async () => {
        trainer.step();
        await trainer.settle();
      }, reps);
      await trainer.metrics(); // first call sets up the metric path
      const metrics = await timed(() => trainer.metrics(), reps);
      const metricsNoSvd = await timed(() => trainer.metrics({ singularValues: false }), reps);
      const checkpoint = await timed(() => trainer.checkpoint(), reps);
      const interval = trainer.stepsPerEpoch * cfg.checkpointEvery * step;
      trainer.dispose();
      const row = {
        preset: `${task}/${preset}`,
        S: seeds,
        'steps per checkpoint': trainer.stepsPerEpoch * cfg.checkpointEvery,
        's/step': Number(step.toFixed(3)),
        'metric pass, s': Number(metrics.toFixed(3)),
        'of it SVDs': Number(((metrics - metricsNoSvd) / metrics).toFixed(2)),
        'whole checkpoint, s': Number(checkpoint.toFixed(3)),
        'metric pass / training': Number((metrics / interval).toFixed(3)),
        'checkpoint / training': Number((checkpoint / interval).toFixed(3)),
      };
      rows.push(row);
      console.error(
        `  ${row.preset}: step ${row['s/step']} s, metrics ${row['metric pass, s']} s (${(100 * row['metric pass / training']).toFixed(1)} %), checkpoint ${(100 * row['checkpoint / training']).toFixed(1)} %`,
      );
    }
  }
  return {
    benchmark: 'checkpoint-share',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `wasm backend, ${seeds} seeds at their seeded init (then one step), medians of ${reps}; load average at the end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')}`,
      'shares are of the training time of one checkpoint interval at the preset’s own cadence (checkpointEvery epochs)',
    ],
  };
}
