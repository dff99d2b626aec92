/**
 * Entry of the real-GPU run (bench/gpu-device.sh bundles it), one call that prints and writes to $OUT (or
 * bench/results):
 * 1. the GPU: adapter, limits; a software adapter (SwiftShader, llvmpipe) or none fails the run with the reason;
 * 2. per-step device calls (bench/webgpuCalls.ts) for both tasks at S = 8 and 40;
 * 3. training throughput, seed-steps/s, at S = 1, 8, 40 for modular addition and sparse parity, quick and paper;
 * 4. a 200-step run with checkpoints through TrainingSession (modular-addition/quick, 40 seeds);
 * 5. the projected wall time of the paper's modular-addition experiment (40 seeds × 10,000 epochs);
 * 6. the metrics benchmark (GPU kernels against read-back + CPU path, 40 seeds of both paper models).
 * Each part runs while the time budget (GPU_BUDGET_S, default 420 s) allows and says when it was cut.
 * GPU_DEVICE_TINY=1 shrinks every size (a dry run), GPU_ALLOW_SOFTWARE=1 accepts a software adapter (with both,
 * the script is checked on SwiftShader without a GPU). GPU_DEVICE_PARTS (calls,throughput,session,projection,
 * metrics; default all) runs some parts only, to rerun one or to dry-run the later ones on a slow CPU. No wasm backend: the bundle carries none of its .wasm files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, tf } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { prepareNodeWebGpu } from '../src/train/nodeWebgpu.ts';
import { TrainingSession } from '../src/train/session.ts';
import type { TrainingConfig } from '../src/train/task.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, printTable, type BenchResult } from './harness.ts';
import { metricsBench } from './metrics.ts';
import { webgpuCallsBench } from './webgpuCalls.ts';

const tiny = process.env.GPU_DEVICE_TINY === '1';
const budgetS = Number(process.env.GPU_BUDGET_S ?? 420);
const out = process.env.OUT ?? 'bench/results';
const t0 = Date.now();
const elapsed = () => (Date.now() - t0) / 1000;
const left = () => budgetS - elapsed();
const PARTS = ['calls', 'throughput', 'session', 'projection', 'metrics'];
const parts = (process.env.GPU_DEVICE_PARTS ?? PARTS.join(',')).split(',');
for (const p of parts) if (!PARTS.includes(p)) fail(`GPU_DEVICE_PARTS names ${p}; the parts are ${PARTS.join(', ')}`);
const wanted = (part: string) => parts.includes(part);

function fail(why: string): never {
  console.error(`\nGPU RUN FAILED: ${why}\n`);
  process.exit(1);
}

function write(result: BenchResult): void {
  printTable(`${result.benchmark} (${elapsed().toFixed(0)} s into the run)`, result.rows);
  for (const n of result.notes ?? []) console.log(`  note: ${n}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${result.benchmark}.json`), JSON.stringify(result, null, 2) + '\n');
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Seconds per step of `cfg` at `seeds` on the device, from a few steps after warm-up (the device settled each time). */
async function secondsPerStep(cfg: TrainingConfig, seeds: number, minSeconds: number): Promise<number> {
  const trainer = new BatchedTrainer(await createTaskModel(cfg), range(seeds));
  try {
    trainer.step();
    trainer.step();
    await trainer.settle();
    const start = performance.now();
    let steps = 0;
    // Doubling batches of steps, each ending with the device settled, until minSeconds or 64 steps have passed.
    do {
      const n = Math.max(1, steps);
      for (let i = 0; i < n; i++) trainer.step();
      steps += n;
      await trainer.settle();
    } while ((performance.now() - start) / 1000 < minSeconds && steps < 64);
    return (performance.now() - start) / 1000 / steps;
  } finally {
    trainer.dispose();
  }
}

async function checkGpu(): Promise<string[]> {
  const choice = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu }).catch((e: Error) =>
    fail(`no usable WebGPU device: ${e.message}`),
  );
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const adapter = choice.adapter ?? 'unknown adapter';
  if (/swiftshader|llvmpipe|softpipe|software/i.test(adapter) && process.env.GPU_ALLOW_SOFTWARE !== '1')
    fail(
      `the WebGPU adapter is software (${adapter}): no GPU is visible to Vulkan here (check nvidia-smi, VK_DRIVER_FILES, the NVIDIA ICD)`,
    );
  void device.lost.then((info) => fail(`the GPU device was lost: ${info.message || info.reason}`));
  const limits = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage'] as const;
  return [
    `adapter: ${adapter}`,
    `limits: ${limits.map((l) => `${l} ${device.limits[l]}`).join(', ')}`,
    tiny ? 'GPU_DEVICE_TINY=1: every size shrunk (a dry run of the script)' : 'full sizes',
  ];
}

async function throughput(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const sizes = tiny ? [1, 2] : [1, 8, 40];
  for (const [task, preset] of [
    ['modular-addition', 'quick'],
    ['modular-addition', 'paper'],
    ['sparse-parity', 'quick'],
    ['sparse-parity', 'paper'],
  ] as const) {
    for (const s of sizes) {
      if (left() < 60) {
        notes.push(`${task}/${preset} S=${s} and later: skipped, the time budget was nearly spent`);
        return { benchmark: 'gpu-train-throughput', date: new Date().toISOString(), machine: machine(), rows, notes };
      }
      const cfg = trainingConfig(task, preset, { epochs: 10_000, checkpointEvery: 10_000 });
      const sec = await secondsPerStep(cfg, s, tiny ? 0.2 : 1.5);
      rows.push({
        task: `${task}/${preset}`,
        S: s,
        'ms/step': Number((sec * 1000).toFixed(2)),
        'seed-steps/s': Number((s / sec).toFixed(1)),
      });
      console.log(
        `  ${task}/${preset} S=${s}: ${(sec * 1000).toFixed(2)} ms/step, ${(s / sec).toFixed(1)} seed-steps/s`,
      );
    }
  }
  notes.push('steps without checkpoints, after 2 warm-up steps, each timed batch ending with the parameters read back');
  return { benchmark: 'gpu-train-throughput', date: new Date().toISOString(), machine: machine(), rows, notes };
}

/** The 200-step run through TrainingSession, as the CLI and the lab train. */
async function sessionRun(): Promise<BenchResult> {
  const seeds = tiny ? 2 : 40;
  const epochs = tiny ? 2 : 200;
  const cfg = trainingConfig('modular-addition', 'quick', tiny ? { epochs, checkpointEvery: 1 } : { epochs });
  let checkpoints = 0;
  let lastAcc: number[] = [];
  const session = new TrainingSession({
    model: await createTaskModel(cfg),
    seeds: range(seeds),
    backend: { name: 'webgpu', reason: 'gpu-device run' },
    store: { flush: async () => undefined },
    saveEveryMs: Infinity,
    sink: (e) => {
      if (e.type === 'checkpoint') {
        checkpoints++;
        lastAcc = e.rows.map((r) => r.row.eval_acc);
      }
      if (e.type === 'error') fail(`the training session failed: ${e.message}`);
    },
  });
  const start = performance.now();
  const done = await session.start();
  const seconds = (performance.now() - start) / 1000;
  session.dispose();
  const meanAcc = lastAcc.reduce((a, b) => a + b, 0) / Math.max(1, lastAcc.length);
  return {
    benchmark: 'gpu-session-run',
    date: new Date().toISOString(),
    machine: machine(),
    rows: [
      {
        run: `modular-addition/quick, ${seeds} seeds, ${epochs} epochs (full batch: one step an epoch), a checkpoint every ${cfg.checkpointEvery}`,
        steps: done.stepsRun,
        checkpoints,
        seconds: Number(seconds.toFixed(2)),
        'seed-steps/s, checkpoints included': Number(((seeds * done.stepsRun) / seconds).toFixed(1)),
        'mean eval accuracy at the end': Number(meanAcc.toFixed(3)),
        done: done.reason,
      },
    ],
  };
}

/** The paper's modular addition: 40 seeds × 10,000 epochs, 2 steps an epoch, a checkpoint every 10 epochs. */
async function projection(): Promise<BenchResult> {
  const seeds = tiny ? 2 : 40;
  const paper = trainingConfig('modular-addition', 'paper');
  const step = await secondsPerStep({ ...paper, epochs: 10_000, checkpointEvery: 10_000 }, seeds, tiny ? 0.2 : 3);
  const trainer = new BatchedTrainer(await createTaskModel(paper), range(seeds));
  trainer.step();
  await trainer.checkpoint();
  const reps = tiny ? 1 : 3;
  const c0 = performance.now();
  for (let i = 0; i < reps; i++) await trainer.checkpoint();
  const checkpoint = (performance.now() - c0) / 1000 / reps;
  trainer.dispose();
  const steps = paper.epochs * trainer.stepsPerEpoch;
  const checkpoints = Math.ceil(paper.epochs / paper.checkpointEvery);
  const total = steps * step + checkpoints * checkpoint;
  return {
    benchmark: 'gpu-paper-projection',
    date: new Date().toISOString(),
    machine: machine(),
    rows: [
      {
        experiment: `modular-addition/paper, ${seeds} seeds × ${paper.epochs} epochs`,
        steps,
        's/step': Number(step.toFixed(4)),
        checkpoints,
        's/checkpoint': Number(checkpoint.toFixed(3)),
        'projected hours': Number((total / 3600).toFixed(2)),
        'share of checkpoints': Number(((checkpoints * checkpoint) / total).toFixed(3)),
      },
    ],
    notes: ['measured step and checkpoint times multiplied out; the run itself was not made'],
  };
}

async function main(): Promise<void> {
  const notes = await checkGpu();
  console.log(notes.join('\n'));
  if (wanted('calls')) {
    const calls = await webgpuCallsBench(
      tiny ? { seeds: [2], steps: 2, warmup: 1 } : { seeds: [8, 40], steps: 5, warmup: 3 },
    );
    calls.notes = [...notes, ...(calls.notes ?? [])];
    write(calls);
  }
  if (wanted('throughput')) write(await throughput());
  const skipped = (what: string) => console.log(`${what}: skipped, the time budget was nearly spent`);
  if (wanted('session')) {
    if (left() > 60) write(await sessionRun());
    else skipped('session run');
  }
  if (wanted('projection')) {
    if (left() > 60) write(await projection());
    else skipped('projection');
  }
  if (wanted('metrics')) {
    if (left() > 90) {
      const metrics = await metricsBench({ seeds: tiny ? 2 : 40, reps: tiny ? 1 : 10, skipWasm: true });
      metrics.benchmark = 'metrics-per-checkpoint-gpu-device';
      write(metrics);
    } else skipped('metrics benchmark');
  }
  console.log(`\nGPU run finished in ${elapsed().toFixed(0)} s; results in ${out}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)),
);
