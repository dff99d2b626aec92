/**
 * `npm run bench -- webgpu-calls`: what one optimizer step asks of the WebGPU device, counted by wrapping it
 * (bench/webgpuCounter.ts): compute dispatches, queue submits, new buffers, bind groups, uniform writes, other
 * buffer writes and read-backs per step, and the JavaScript milliseconds a step takes to record (step() only
 * queues work). Both tasks at S = 8 and 40 (modular-addition/quick, sparse-parity/paper), in steady state: after
 * a few untimed steps, over several steps with no checkpoint among them. Here WebGPU is Dawn over SwiftShader
 * (a CPU), so the counts are exact and the milliseconds only indicative; bench/gpu-device.sh runs it on a GPU.
 * BENCH_CALLS_SEEDS (default 8,40), BENCH_CALLS_STEPS (default 5), BENCH_CALLS_WARMUP (default 3).
 * BENCH_CALLS_COUNT_ONLY=1 never waits for the device (no settle after the warm-up or at the end): the counts are
 * the same, since tfjs returns buffers to its pool at a submit, not when the work completes, but on a loaded CPU
 * SwiftShader's backlog makes the JS ms meaningless, and the wait column reads 0.
 */
import { loadavg } from 'node:os';
import { selectBackend, tf } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { prepareNodeWebGpu } from '../src/train/nodeWebgpu.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, type BenchResult } from './harness.ts';
import { countWebGpuCalls, type WebGpuCounter } from './webgpuCounter.ts';

const CASES = [
  ['modular-addition', 'quick'],
  ['sparse-parity', 'paper'],
] as const;

export interface WebGpuCallsOptions {
  seeds?: number[];
  steps?: number;
  warmup?: number;
  countOnly?: boolean;
}

let counter: WebGpuCounter | null = null;

export async function webgpuCallsBench(options: WebGpuCallsOptions = {}): Promise<BenchResult> {
  const sizes = options.seeds ?? (process.env.BENCH_CALLS_SEEDS ?? '8,40').split(',').map(Number);
  const steps = options.steps ?? Number(process.env.BENCH_CALLS_STEPS ?? 5);
  const warmup = options.warmup ?? Number(process.env.BENCH_CALLS_WARMUP ?? 3);
  const countOnly = options.countOnly ?? process.env.BENCH_CALLS_COUNT_ONLY === '1';
  const choice = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
  const backend = tf.backend() as unknown as { device: GPUDevice; queue: GPUQueue };
  counter ??= countWebGpuCalls(backend.device, backend.queue);
  const rows: BenchResult['rows'] = [];
  for (const [task, preset] of CASES) {
    for (const s of sizes) {
      // No checkpoint among the counted steps: they are the steady state between checkpoints.
      const cfg = trainingConfig(task, preset, { epochs: 1000, checkpointEvery: 1000 });
      const trainer = new BatchedTrainer(
        await createTaskModel(cfg),
        Array.from({ length: s }, (_, i) => i),
      );
      for (let i = 0; i < warmup; i++) trainer.step();
      if (!countOnly) await trainer.settle();
      counter.reset();
      let jsMs = 0;
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        trainer.step();
        jsMs += performance.now() - t0;
      }
      const per = { ...counter.counts };
      const w0 = performance.now();
      if (!countOnly) await trainer.settle();
      const settleMs = performance.now() - w0;
      trainer.dispose();
      const row = {
        task: `${task}/${preset}`,
        S: s,
        'dispatches/step': per.dispatches / steps,
        'submits/step': per.submits / steps,
        'new buffers/step': per.newBuffers / steps,
        'bind groups/step': per.bindGroups / steps,
        'uniform writes/step': per.uniformWrites / steps,
        'other writes/step': per.otherWrites / steps,
        'read-backs/step': per.readbacks / steps,
        'JS ms/step': Number((jsMs / steps).toFixed(2)),
        'wait for the device after the last step, ms': Number(settleMs.toFixed(1)),
      };
      rows.push(row);
      console.error(
        `  ${row.task} S=${s}: ${row['dispatches/step']} dispatches, ${row['submits/step']} submits, ${row['new buffers/step']} new buffers, ${row['JS ms/step']} JS ms per step`,
      );
    }
  }
  return {
    benchmark: 'webgpu-calls',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `adapter: ${choice.adapter ?? 'unknown'}; load average at start ${loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')}`,
      `per step, averaged over ${steps} steps after ${warmup} untimed ones, no checkpoint among them; the read-backs after the last step (settle) are not counted`,
      ...(countOnly
        ? ['BENCH_CALLS_COUNT_ONLY: the device was never waited for; JS ms recorded with its backlog']
        : []),
      'JS ms/step: the time step() takes to record the step (tfjs only queues GPU work); on SwiftShader the device work competes with it for the same CPU cores',
    ],
  };
}
