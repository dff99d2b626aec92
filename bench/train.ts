/**
 * Training throughput: seed-steps per second for S = 1, 8, 40 seeds batched in one graph versus the
 * same S seeds trained one after another as single-seed models, per backend available here. Training
 * goes through a TrainingSession, as `trainmap run` drives it.
 * BENCH_TRAIN_BACKENDS (default "wasm,cpu") picks backends; "webgpu" uses Dawn (SwiftShader without a GPU).
 * BENCH_TRAIN_REPS (default 1) repeats the sparse-parity batched timings, session and trainer alone in
 * turn, and reports their medians.
 */
import { selectBackend, type BackendName } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { prepareNodeWebGpu } from '../src/train/nodeWebgpu.ts';
import { TrainingSession } from '../src/train/session.ts';
import type { TrainingConfig } from '../src/train/task.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, median, type BenchResult } from './harness.ts';

/**
 * Seconds for `steps` optimizer steps through a TrainingSession set up as the CLI sets it up (a progress
 * event every step, a yield to the event loop at most every 50 ms; no saves), after one warm-up step.
 * The session pauses after the last step, and a pause first settles the device (WebGPU only queues work).
 */
async function timeSessionSteps(cfg: TrainingConfig, seeds: number[], steps: number, backend: string): Promise<number> {
  return (await timeSession(cfg, seeds, steps, backend)).seconds;
}

/** timeSessionSteps, with the CPU time this process spent meanwhile (all its threads). */
export async function timeSession(
  cfg: TrainingConfig,
  seeds: number[],
  steps: number,
  backend: string,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const paused: (() => void)[] = [];
  let checkpointed = false;
  const session: TrainingSession = new TrainingSession({
    model: await createTaskModel(cfg),
    seeds,
    backend: { name: backend, reason: 'benchmark' },
    store: { flush: async () => undefined },
    saveEveryMs: Infinity,
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    sink: (e) => {
      if (e.type === 'checkpoint') checkpointed = true;
      if (e.type === 'progress' && e.stepsDone === steps + 1) session.pause();
      if (e.type === 'status' && e.status === 'paused') paused.shift()?.();
    },
  });
  const nextPause = () => new Promise<void>((resolve) => paused.push(resolve));
  const warm = nextPause();
  await session.step();
  await warm;
  const done = nextPause();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  session.resume();
  await done;
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (session.stepsDone !== steps + 1 || checkpointed)
    throw new Error(`the timed steps were not ${steps} steps without a checkpoint`);
  await session.stop();
  session.dispose();
  return { seconds: s, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The same steps on the trainer alone, without a session (how this benchmark timed them before the session). */
async function timeTrainerSteps(cfg: TrainingConfig, seeds: number[], steps: number): Promise<number> {
  const trainer = new BatchedTrainer(await createTaskModel(cfg), seeds);
  trainer.step();
  await trainer.settle();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.step();
  await trainer.settle();
  const s = (performance.now() - t0) / 1000;
  trainer.dispose();
  return s;
}

interface Case {
  task: string;
  cfg: TrainingConfig;
  steps: number;
  sizes: number[];
  /** Also time the batched steps on the trainer alone, to show what the session costs. */
  direct?: boolean;
}

export async function trainThroughputBench(): Promise<BenchResult> {
  const backends = (process.env.BENCH_TRAIN_BACKENDS ?? 'wasm,cpu').split(',') as BackendName[];
  const reps = Math.max(1, Number(process.env.BENCH_TRAIN_REPS ?? 1));
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  for (const backend of backends) {
    const choice = await selectBackend({ requested: backend, prepareWebGpu: prepareNodeWebGpu });
    const slow = backend !== 'wasm';
    const cases: Case[] = [
      {
        task: 'sparse-parity/paper (MLP 40→1000→1, batch 32)',
        cfg: trainingConfig('sparse-parity', 'paper'),
        steps: slow ? 3 : 20,
        sizes: backend === 'webgpu' ? [1, 8] : [1, 8, 40],
        direct: true,
      },
      ...(backend === 'wasm'
        ? [
            {
              task: 'modular-addition/paper (p=113, d=128, batch 2048)',
              cfg: trainingConfig('modular-addition', 'paper'),
              steps: 2,
              sizes: [1, 8, 40],
            },
          ]
        : []),
    ];
    for (const c of cases) {
      for (const s of c.sizes) {
        const seeds = Array.from({ length: s }, (_, i) => i);
        let batched: number;
        let direct: number | null = null;
        let sequential = 0;
        try {
          // Alternating the two keeps a load from other jobs on this shared machine from favouring either.
          const withSession: number[] = [];
          const alone: number[] = [];
          for (let r = 0; r < (c.direct ? reps : 1); r++) {
            withSession.push(await timeSessionSteps(c.cfg, seeds, c.steps, choice.name));
            if (c.direct) alone.push(await timeTrainerSteps(c.cfg, seeds, c.steps));
          }
          batched = median(withSession);
          if (c.direct) direct = median(alone);
          for (const seed of seeds) sequential += await timeSessionSteps(c.cfg, [seed], c.steps, choice.name);
        } catch (e) {
          rows.push({
            backend: choice.name,
            task: c.task,
            S: s,
            'batched seed-steps/s': null,
            'sequential seed-steps/s': null,
            'batched / sequential': null,
            'batched, trainer alone': null,
            error: (e as Error).message.slice(0, 120),
          });
          continue;
        }
        const row = {
          backend: `${choice.name}${choice.adapter ? ` (${choice.adapter})` : ''}`,
          task: c.task,
          S: s,
          'batched seed-steps/s': (s * c.steps) / batched,
          'sequential seed-steps/s': (s * c.steps) / sequential,
          'batched / sequential': sequential / batched,
          'batched, trainer alone': direct === null ? null : (s * c.steps) / direct,
        };
        rows.push(row);
        console.error(
          `  ${row.backend} ${c.task} S=${s}: ${row['batched seed-steps/s'].toFixed(1)} vs ${row['sequential seed-steps/s'].toFixed(1)} seed-steps/s` +
            (direct === null ? '' : ` (trainer alone ${row['batched, trainer alone']!.toFixed(1)})`),
        );
      }
    }
  }
  notes.push(
    "batched and sequential train through a TrainingSession set up as the CLI sets it up; 'batched, trainer alone' times the same batched steps on the BatchedTrainer without a session, right after, in the same process; with BENCH_TRAIN_REPS=n both are the median of n runs taken in turn",
  );
  notes.push(
    'timed from one warm-up step to the parameters read back after the last step (so asynchronous WebGPU work is included)',
  );
  notes.push(
    "sequential = the same S seeds trained one after another as single-seed models; batched / sequential ≥ 0.7·S would meet the issue's GPU target only on a GPU, which this machine does not have",
  );
  return { benchmark: 'train-throughput', date: new Date().toISOString(), machine: machine(), rows, notes };
}
