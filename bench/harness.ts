/** Shared bits of the benchmarks: machine description, timing, table printing and the JSON result file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface BenchResult {
  benchmark: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  rows: Record<string, string | number | boolean | null>[];
  notes?: string[];
  /** A benchmark's curve, one entry per sample (soak). */
  samples?: Record<string, number | null>[];
}

export function machine(): BenchResult['machine'] {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Wall-clock milliseconds of each of `reps` calls, after `warmup` untimed calls. */
export function timeRepeated(fn: () => void, reps: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function printTable(title: string, rows: BenchResult['rows']): void {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, j) => c.padEnd(widths[j])).join('  '));
  for (const r of rows) console.log(cols.map((c, j) => cell(r[c] ?? '').padEnd(widths[j])).join('  '));
}

export function writeResult(result: BenchResult, dir = 'bench/results'): string {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${result.benchmark}.json`;
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
