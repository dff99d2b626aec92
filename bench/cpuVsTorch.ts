/**
 * `npm run bench -- cpu-vs-torch`: training throughput on the CPU beside PyTorch, in one run, for the
 * modular-addition `quick` model (p=59, d=64, full batch 1392), seed-steps per second:
 * - Node (the CLI's path: a TrainingSession on tfjs-wasm, one thread) at S = 1, 8, 40, no checkpoint in the timed steps;
 * - PyTorch (bench/torch_reference.py: the same model, stacked [S, …] parameters, bmm, AdamW) at the same S with
 *   1 thread and with the page's thread count; "not available" where torch cannot be imported;
 * - the lab page in headless Chromium at S = 40 as a user runs it (checkpoints every 5 steps, the live map
 *   refitting), served cross-origin isolated (tfjs-wasm on threads) and not (one thread).
 * Each Node and PyTorch figure comes with the CPU seconds the process used, because this machine is shared and
 * other jobs stretch wall time. Runs alternate engines so a change of load does not favour one.
 * BENCH_CPU_SEEDS (default 1,8,40), BENCH_CPU_STEPS (default 6; S=40 takes a third), BENCH_PAGE_SECONDS
 * (default 120; 0 skips the page), BENCH_PYTHON (default /usr/bin/python3 when present, else python3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { selectBackend } from '../src/train/backend.ts';
import { trainingConfig } from '../tasks/index.ts';
import { buildLab, launchLab, type LabBrowser } from '../tests/e2e/browser.ts';
import { machine, type BenchResult } from './harness.ts';
import { timeSession } from './train.ts';

const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

interface TorchRun {
  available: boolean;
  why?: string;
  seconds?: number;
  cpu_seconds?: number;
  seed_steps_per_s?: number;
  torch?: string;
  threads?: number;
  blas?: string;
}

export function runTorch(seeds: number, threads: number, steps: number, preset = 'quick'): TorchRun {
  const script = resolve(import.meta.dirname, 'torch_reference.py');
  const r = spawnSync(
    PYTHON,
    [script, '--seeds', String(seeds), '--threads', String(threads), '--steps', String(steps), '--preset', preset],
    {
      encoding: 'utf8',
      timeout: 1_800_000,
      // torch.set_num_threads does not reach an OpenBLAS built with pthreads: its own variable does.
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    },
  );
  if (r.error) return { available: false, why: `${PYTHON} could not run: ${r.error.message}` };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as TorchRun;
  } catch {
    return { available: false, why: `torch_reference.py failed: ${(r.stderr || line).trim().slice(-300)}` };
  }
}

/** Seed-steps per second of the lab page training modular-addition/quick at `seeds`, over about `seconds`. */
async function pageThroughput(
  lab: LabBrowser,
  seeds: number,
  seconds: number,
): Promise<{ rate: number | null; steps: number; backend: string }> {
  const page = await lab.open(`?task=modular-addition&preset=quick&seeds=${seeds}&backend=wasm&v=1`, { fresh: true });
  try {
    await page.getByTestId('map-summary').filter({ hasText: 'over 40 runs' }).waitFor({ timeout: 180_000 });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const stepsNow = async () =>
      Number(/step (\d+) \//.exec((await page.getByTestId('progress').textContent()) ?? '')?.[1] ?? 0);
    // From the end of the second step (the first compiles and warms up), to the last step seen in time.
    const t = Date.now();
    while ((await stepsNow()) < 2 && Date.now() - t < 600_000) await page.waitForTimeout(100);
    const from = await stepsNow();
    const t0 = Date.now();
    let last = from;
    let tLast = t0;
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(100);
      const n = await stepsNow();
      if (n > last) {
        last = n;
        tLast = Date.now();
      }
    }
    const backend = ((await page.getByTestId('backend').textContent()) ?? '').trim();
    await page.getByRole('button', { name: 'Stop all' }).click();
    const steps = last - from;
    return { rate: steps > 0 ? (seeds * steps) / ((tLast - t0) / 1000) : null, steps, backend };
  } finally {
    await page.close();
  }
}

export async function cpuVsTorchBench(): Promise<BenchResult> {
  const sizes = (process.env.BENCH_CPU_SEEDS ?? '1,8,40').split(',').map(Number);
  const steps = Number(process.env.BENCH_CPU_STEPS ?? 6);
  const pageSeconds = Number(process.env.BENCH_PAGE_SECONDS ?? 120);
  const rows: BenchResult['rows'] = [];
  const notes = [
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}; wall-clock figures on a loaded machine understate both engines, by different amounts`,
    'modular-addition/quick: p=59, d_model=64, 4 heads of 16, d_mlp=256, full batch 1392, AdamW; timed steps after 1 (ours) or 2 (PyTorch) untimed ones',
  ];
  // No checkpoint among the timed steps: the preset's every 5 epochs would fall inside them.
  const cfg = trainingConfig('modular-addition', 'quick', { checkpointEvery: 1000 });
  await selectBackend({ requested: 'wasm' });
  // The page runs tfjs-wasm on every logical core, at most 8 (src/train/wasmBrowser.ts).
  const pageThreads = Math.min(availableParallelism(), 8);
  let labs: { isolated: LabBrowser; plain: LabBrowser } | null = null;
  try {
    if (pageSeconds > 0) {
      const dir = await buildLab();
      labs = { isolated: await launchLab(dir), plain: await launchLab(dir, { crossOriginIsolation: false }) };
    }
    for (const s of sizes) {
      const n = s >= 40 ? Math.max(1, Math.round(steps / 3)) : steps;
      const seeds = Array.from({ length: s }, (_, i) => i);
      const torch1 = runTorch(s, 1, n);
      const ours = await timeSession(cfg, seeds, n, 'wasm');
      const torchN = runTorch(s, pageThreads, n);
      const add = (engine: string, threads: number | null, r: { seconds?: number; cpu_seconds?: number } | null) =>
        rows.push({
          engine,
          S: s,
          threads,
          steps: n,
          'seed-steps/s': r?.seconds ? Number(((s * n) / r.seconds).toFixed(2)) : null,
          'seed-steps per CPU second': r?.cpu_seconds ? Number(((s * n) / r.cpu_seconds).toFixed(2)) : null,
        });
      add('Trainmap, Node (tfjs-wasm + our SIMD kernels)', 1, { seconds: ours.seconds, cpu_seconds: ours.cpuSeconds });
      for (const [t, r] of [
        [1, torch1],
        [pageThreads, torchN],
      ] as const) {
        if (r.available) {
          add(`PyTorch ${r.torch} (CPU)`, r.threads ?? t, r);
          if (r.blas && !notes.some((n) => n.startsWith('PyTorch BLAS'))) notes.push(`PyTorch BLAS: ${r.blas}`);
        } else {
          add('PyTorch', t, null);
          notes.push(`PyTorch at S=${s}, ${t} thread(s): not available (${r.why})`);
        }
      }
      console.error(
        `  S=${s}: ours ${((s * n) / ours.seconds).toFixed(1)}, torch ${torch1.seed_steps_per_s?.toFixed(1) ?? '—'} seed-steps/s`,
      );
    }
    if (labs) {
      for (const [label, lab] of [
        ['cross-origin isolated', labs.isolated],
        ['not isolated', labs.plain],
      ] as const) {
        const r = await pageThroughput(lab, 40, pageSeconds);
        const threads = Number(/(\d+) threads?/.exec(r.backend)?.[1] ?? 1);
        rows.push({
          engine: `Trainmap, the lab page (${label}; ${r.backend}), checkpoints and live map included`,
          S: 40,
          threads,
          steps: r.steps,
          'seed-steps/s': r.rate === null ? null : Number(r.rate.toFixed(2)),
          'seed-steps per CPU second': null,
        });
        console.error(`  page, ${label}: ${r.rate?.toFixed(1) ?? '—'} seed-steps/s over ${r.steps} steps`);
      }
    }
  } finally {
    await labs?.isolated.close();
    await labs?.plain.close();
  }
  notes.push(
    'the page trains as a user runs it: a checkpoint (losses, accuracies and the 14 metrics of every seed) every 5 steps and the live map refitting on the page; timed from the end of its second step',
  );
  return { benchmark: 'cpu-vs-torch', date: new Date().toISOString(), machine: machine(), rows, notes };
}
