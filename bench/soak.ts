/**
 * Memory over a long run in the page (issue #19's soak): sparse-parity/quick with 40 seeds on wasm for 2,000 steps
 * in headless Chromium. Every 100 steps it reads the train worker's memory as Chromium attributes it
 * (measureUserAgentSpecificMemory), and in the worker the wasm memory of tfjs-wasm and tfjs's own count of tensors and bytes (on WebGPU
 * also numBytesInGPU and numBytesAllocatedInGPU), and the page's JS heap (DevTools' Runtime.getHeapUsage). The
 * target is a flat curve after warm-up (tfjs #8570 reports growth in long tidy loops on wasm).
 * BENCH_SOAK_BACKEND (wasm), BENCH_SOAK_STEPS (2000), BENCH_SOAK_SEEDS (40) change what it runs.
 */
import { loadavg } from 'node:os';
import type { Page, Worker } from 'playwright-core';
import { buildLab, launchLab } from '../tests/e2e/browser.ts';
import { setControl } from '../tests/e2e/labPage.ts';
import { machine, type BenchResult } from './harness.ts';

/** sparse-parity/quick: 1,000 training examples in batches of 32. */
const STEPS_PER_EPOCH = 32;

interface Sample {
  step: number;
  seconds: number;
  workerHeapMiB: number | null;
  /** Everything measureUserAgentSpecificMemory attributes to the page and its workers. */
  allMiB: number | null;
  pageHeapMiB: number;
  wasmMemoryMiB: number | null;
  tensors: number | null;
  tensorMiB: number | null;
  gpuMiB: number | null;
  gpuAllocatedMiB: number | null;
}

const mib = (n: number | null | undefined) => (n === null || n === undefined ? null : +(n / 2 ** 20).toFixed(2));

/** What the train worker holds: read in the worker, from tfjs's engine (a global of tfjs-core) and its backend. */
function readWorker(worker: Worker) {
  return worker.evaluate(() => {
    type Engine = {
      memory(): { numTensors: number; numBytes: number; numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
      backendInstance?: { wasm?: { HEAPU8?: Uint8Array } };
    };
    const engine = (globalThis as unknown as { _tfengine?: Engine })._tfengine;
    let m: ReturnType<Engine['memory']> | undefined;
    try {
      // Before the backend is up, tfjs throws here.
      m = engine?.backendInstance ? engine.memory() : undefined;
    } catch {
      m = undefined;
    }
    const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
    return {
      heap: heap ?? null,
      wasm: engine?.backendInstance?.wasm?.HEAPU8?.buffer.byteLength ?? null,
      tensors: m?.numTensors ?? null,
      bytes: m?.numBytes ?? null,
      gpu: m?.numBytesInGPU ?? null,
      gpuAllocated: m?.numBytesAllocatedInGPU ?? null,
    };
  });
}

/**
 * The train worker's memory as Chromium attributes it (performance.measureUserAgentSpecificMemory: the page is
 * cross-origin isolated; it resolves after the next garbage collection, within about 20 s). Workers have no
 * performance.memory.
 */
function measureMemory(page: Page) {
  return page.evaluate(async () => {
    type Breakdown = { bytes: number; attribution: { url: string; scope: string }[] };
    const measure = (
      performance as unknown as {
        measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: Breakdown[] }>;
      }
    ).measureUserAgentSpecificMemory;
    if (!crossOriginIsolated || !measure) return null;
    const r = await measure.call(performance);
    const worker = r.breakdown
      .filter((b) =>
        b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope' && a.url.includes('train.worker')),
      )
      .reduce((s, b) => s + b.bytes, 0);
    return { total: r.bytes, worker };
  });
}

async function stepsDone(page: Page): Promise<number> {
  const text = (await page.getByTestId('progress').textContent()) ?? '';
  return Number(/step(\d+)\//.exec(text.replace(/\s+/g, ''))?.[1] ?? 0);
}

export async function soakBench(): Promise<BenchResult> {
  const backend = process.env.BENCH_SOAK_BACKEND ?? 'wasm';
  const steps = Number(process.env.BENCH_SOAK_STEPS ?? 2000);
  const seeds = Number(process.env.BENCH_SOAK_SEEDS ?? 40);
  const epochs = Math.ceil(steps / STEPS_PER_EPOCH);
  const loadBefore = loadavg().map((v) => +v.toFixed(1));
  const lab = await launchLab(await buildLab());
  const samples: Sample[] = [];
  try {
    const page = await lab.open('', { fresh: true });
    const cdp = await page.context().newCDPSession(page);
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    await setControl(page, 'task', 'sparse-parity');
    await setControl(page, 'preset', 'quick');
    await setControl(page, 'seeds', String(seeds));
    await setControl(page, 'epochs', String(epochs));
    await setControl(page, 'backend', backend);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    let next = 0;
    for (;;) {
      const done = await stepsDone(page);
      const worker = page.workers().find((w) => w.url().includes('train.worker'));
      const w = worker && done >= next ? await readWorker(worker).catch(() => null) : null;
      const ua = w ? await measureMemory(page) : null;
      // The worker ends with its group (done): a reading taken as it goes is not a sample of training.
      if (w && w.tensors !== null && ua?.worker !== 0) {
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        samples.push({
          step: done,
          seconds: +((Date.now() - t0) / 1000).toFixed(1),
          workerHeapMiB: mib(w.heap ?? ua?.worker),
          allMiB: mib(ua?.total),
          pageHeapMiB: mib(usedSize)!,
          wasmMemoryMiB: mib(w.wasm),
          tensors: w.tensors,
          tensorMiB: mib(w.bytes),
          gpuMiB: mib(w.gpu),
          gpuAllocatedMiB: mib(w.gpuAllocated),
        });
        console.log(JSON.stringify(samples.at(-1)));
        next = (Math.floor(done / 100) + 1) * 100;
      }
      const status = (await page.getByRole('status').textContent()) ?? '';
      if (done >= steps || / · done/.test(status) || (!worker && samples.length > 0)) break;
      if (Date.now() - t0 > 3 * 3600_000) throw new Error(`the soak did not reach ${steps} steps in 3 hours`);
      await page.waitForTimeout(200);
    }
    const stopAll = page.getByRole('button', { name: 'Stop all' });
    if (await stopAll.isEnabled()) await stopAll.click();
  } finally {
    await lab.close();
  }
  const at = (i: number) => samples[Math.max(0, Math.min(samples.length - 1, i))];
  const warm = samples.find((s) => s.step >= 300) ?? at(1);
  const columns = [
    'workerHeapMiB',
    'allMiB',
    'pageHeapMiB',
    'wasmMemoryMiB',
    'tensors',
    'tensorMiB',
    'gpuAllocatedMiB',
  ] as const;
  return {
    benchmark: 'soak',
    date: new Date().toISOString(),
    machine: machine(),
    rows: columns.map((c) => ({
      what: c,
      start: at(0)[c],
      'after warm-up (step ≥ 300)': warm[c],
      end: at(samples.length - 1)[c],
      'max after warm-up': samples.some((s) => s[c] !== null)
        ? Math.max(...samples.filter((s) => s.step >= warm.step && s[c] !== null).map((s) => s[c]!))
        : null,
    })),
    notes: [
      `sparse-parity/quick, ${seeds} seeds, ${epochs} epochs (${epochs * STEPS_PER_EPOCH} steps), ${backend}, in headless Chromium`,
      `load average (1, 5, 15 min) at the start ${loadBefore.join(', ')}, at the end ${loadavg()
        .map((v) => v.toFixed(1))
        .join(', ')} on ${machine().cores} cores`,
      "worker heap: performance.measureUserAgentSpecificMemory's bytes attributed to the train worker (workers have no performance.memory); all: its total for the page and every worker; page heap: Runtime.getHeapUsage",
    ],
    samples: samples.map((s) => ({ ...s })),
  };
}
