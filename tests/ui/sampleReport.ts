/** Real reports to shape charts from: the bundled sparse-parity sample with its shipped analysis, and a forking synthetic set. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeRuns, type AnalysisReport } from '../../src/analysis/index.ts';
import { reviveNonFinite } from '../../src/io/analysisJson.ts';
import { parseRunsCsv, type RunBundle } from '../../src/io/index.ts';

const root = resolve(import.meta.dirname, '../..');

export function sparseParitySample(): { bundle: RunBundle; report: AnalysisReport } {
  const bundle = parseRunsCsv(
    readFileSync(resolve(root, 'static/samples/sparse-parity-paper.csv'), 'utf8'),
    'sparse-parity-paper.csv',
  );
  const report = reviveNonFinite(
    JSON.parse(readFileSync(resolve(root, 'static/samples/sparse-parity-paper.analysis.json'), 'utf8')),
  ) as AnalysisReport;
  return { bundle, report };
}

let shipped: AnalysisReport | null = null;

/** The shipped sparse-parity analysis alone (a fresh copy each call; the bundle is not read). */
export function sparseParityReport(): AnalysisReport {
  shipped ??= reviveNonFinite(
    JSON.parse(readFileSync(resolve(root, 'static/samples/sparse-parity-paper.analysis.json'), 'utf8')),
  ) as AnalysisReport;
  return structuredClone(shipped);
}

let forking: { bundle: RunBundle; report: AnalysisReport } | null = null;

/** The synthetic forking sample analyzed at its true K (4): a fork, and a detour. */
export function forkingSample(): { bundle: RunBundle; report: AnalysisReport } {
  if (!forking) {
    const bundle = parseRunsCsv(
      readFileSync(resolve(root, 'static/samples/synthetic-forking.csv'), 'utf8'),
      'synthetic-forking.csv',
    );
    forking = { bundle, report: analyzeRuns(bundle, { states: 4, restarts: 3, seed: 0 }) };
  }
  return forking;
}
