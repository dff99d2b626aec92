/**
 * Entry of the real-GPU run (bench/gpu-device.sh bundles it): the metrics benchmark at 40 seeds on the
 * machine's WebGPU adapter, written to $OUT (or bench/results). No wasm backend: the bundle carries none
 * of its .wasm files, and the CPU path is timed on the webgpu backend's read-back instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from './harness.ts';
import { metricsBench } from './metrics.ts';

const result = await metricsBench({
  seeds: Number(process.env.BENCH_METRICS_SEEDS ?? 40),
  reps: Number(process.env.BENCH_METRICS_REPS ?? 20),
  skipWasm: true,
});
result.benchmark = 'metrics-per-checkpoint-gpu-device';
if (result.notes?.some((n) => /swiftshader/i.test(n)))
  console.warn(
    'WARNING: the adapter is SwiftShader (a CPU), not a GPU: these timings say nothing about the GPU target',
  );
printTable(result.benchmark, result.rows);
for (const n of result.notes ?? []) console.log(`  note: ${n}`);
const dir = process.env.OUT ?? 'bench/results';
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${result.benchmark}.json`), JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${join(dir, `${result.benchmark}.json`)}`);
process.exit(0);
