/**
 * `npm run bench -- step-profile`: where a training step's time goes on the wasm backend, by kernel. Every kernel
 * registered for wasm is wrapped with a timer (wall clock and this process's CPU time), a few steps of the
 * modular-addition `quick` model (p=59, d=64, full batch 1392) run at S = 1, 8 and 40, and the time per step is
 * split into kernels and what happens outside them (tfjs's tape, tidy and JavaScript glue).
 * CPU time is reported beside wall time because this machine is shared: other jobs stretch wall time, much
 * less the CPU time this process gets. BENCH_PROFILE_SEEDS (default 1,8,40), BENCH_PROFILE_STEPS (default 3),
 * BENCH_PROFILE_TASK / BENCH_PROFILE_PRESET pick the model; BENCH_PROFILE_SHAPES=1 splits kernels by input shapes.
 */
import { loadavg } from 'node:os';
import { selectBackend, tf } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, type BenchResult } from './harness.ts';

interface Tally {
  calls: number;
  wallMs: number;
  cpuMs: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Wraps every wasm kernel with timers that add into `tallies` while `active.on` (nested calls count once);
 * `byShape` tells kernels apart by their input shapes and attributes too.
 */
function instrument(tallies: Map<string, Tally>, active: { on: boolean }, byShape: boolean): void {
  let depth = 0;
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (!active.on || depth > 0) return inner(args);
        depth++;
        const w0 = performance.now();
        const c0 = cpuMs();
        try {
          return inner(args);
        } finally {
          const key = byShape ? `${k.kernelName} ${describe(args)}` : k.kernelName;
          const t = tallies.get(key) ?? { calls: 0, wallMs: 0, cpuMs: 0 };
          t.calls++;
          t.wallMs += performance.now() - w0;
          t.cpuMs += cpuMs() - c0;
          tallies.set(key, t);
          depth--;
        }
      },
    });
  }
}

function describe(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): string {
  const shapes = Object.entries(args.inputs).map(([n, t]) => `${n}[${t?.shape.join(',')}]`);
  const attrs = Object.entries(args.attrs ?? {})
    .filter(([, v]) => typeof v === 'boolean' || typeof v === 'number')
    .map(([n, v]) => `${n}=${String(v)}`);
  return [...shapes, ...attrs].join(' ');
}

export async function stepProfileBench(): Promise<BenchResult> {
  const sizes = (process.env.BENCH_PROFILE_SEEDS ?? '1,8,40').split(',').map(Number);
  const steps = Number(process.env.BENCH_PROFILE_STEPS ?? 3);
  const task = process.env.BENCH_PROFILE_TASK ?? 'modular-addition';
  const preset = process.env.BENCH_PROFILE_PRESET ?? 'quick';
  await selectBackend({ requested: 'wasm' });
  const tallies = new Map<string, Tally>();
  const active = { on: false };
  instrument(tallies, active, process.env.BENCH_PROFILE_SHAPES === '1');
  const rows: BenchResult['rows'] = [];
  const notes = [
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (other jobs stretch wall time; CPU time is this process's)`,
    `${task}/${preset}, ${steps} timed steps after 2 untimed ones; ms are per step`,
  ];
  for (const s of sizes) {
    const trainer = new BatchedTrainer(
      await createTaskModel(trainingConfig(task, preset)),
      Array.from({ length: s }, (_, i) => i),
    );
    trainer.step();
    trainer.step();
    tallies.clear();
    active.on = true;
    const w0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < steps; i++) trainer.step();
    await trainer.settle();
    const wall = (performance.now() - w0) / steps;
    const cpu = (cpuMs() - c0) / steps;
    active.on = false;
    trainer.dispose();
    const top = Number(process.env.BENCH_PROFILE_TOP ?? 14);
    const kernels = [...tallies.entries()].sort((a, b) => b[1].cpuMs - a[1].cpuMs);
    const inKernels = kernels.reduce((a, [, t]) => a + t.cpuMs, 0) / steps;
    const row = (kernel: string, calls: number | null, c: number, w: number | null) =>
      rows.push({
        S: s,
        kernel,
        'calls/step': calls,
        'cpu ms/step': Number(c.toFixed(2)),
        'wall ms/step': w === null ? null : Number(w.toFixed(2)),
        'share of cpu': Number((c / cpu).toFixed(3)),
      });
    row('(whole step)', null, cpu, wall);
    row('(outside kernels: tape, tidy, glue)', null, cpu - inKernels, null);
    for (const [name, t] of kernels.slice(0, top)) row(name, t.calls / steps, t.cpuMs / steps, t.wallMs / steps);
    const rest = kernels.slice(top);
    if (rest.length)
      row(
        `(${rest.length} other kernels)`,
        rest.reduce((a, [, t]) => a + t.calls, 0) / steps,
        rest.reduce((a, [, t]) => a + t.cpuMs, 0) / steps,
        rest.reduce((a, [, t]) => a + t.wallMs, 0) / steps,
      );
    console.error(
      `  S=${s}: ${cpu.toFixed(1)} cpu ms/step (${((s * 1000) / cpu).toFixed(1)} seed-steps per cpu second), ${wall.toFixed(1)} wall ms`,
    );
  }
  return { benchmark: 'step-profile', date: new Date().toISOString(), machine: machine(), rows, notes };
}
