/** The import fixtures (tests/fixtures/*-format), read as a folder listing or a file picker hands them over. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { expect } from 'vitest';
import { join, resolve } from 'node:path';
import { analyzeRuns, type AnalysisReport, type AnalyzeOptions } from '../../src/analysis/index.ts';
import { parseRunsCsv, type RunBundle } from '../../src/io/index.ts';

export const importFixtures = resolve(import.meta.dirname, '../fixtures');

/** Every file below a fixture folder, depth first, with its path as name. */
export function fixturePaths(folder: string): string[] {
  const dir = join(importFixtures, folder);
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? fixturePaths(join(folder, f)) : [join(dir, f)]));
}

export const fixtureTexts = (folder: string) =>
  fixturePaths(folder).map((name) => ({ name, text: readFileSync(name, 'utf8') }));
export const fixtureBytes = (folder: string) =>
  fixturePaths(folder).map((name) => ({ name, bytes: new Uint8Array(readFileSync(name)) }));

/** A fixture's long-format twin: the same data in our long CSV. */
export const longTwin = (file: string): RunBundle =>
  parseRunsCsv(readFileSync(join(importFixtures, file), 'utf8'), file);

/** What an analysis says about the runs, without the names of the groups they came in or their seeds. */
export function analysisOf(r: AnalysisReport) {
  return { ...r, runs: r.runs.map(({ group: _g, seed: _s, ...rest }) => rest) };
}

/** A small, fast analysis for comparisons. */
export const QUICK: AnalyzeOptions = { kMax: 3, restarts: 2, stabilityRestarts: 4, seed: 3 };

/** The runs of a bundle as (id, checkpoints) pairs, column for column, whatever their group or seed. */
export const runsOf = (b: RunBundle) =>
  b.groups.flatMap((g) => g.runs.map((r) => ({ id: r.id, checkpoints: { ...r.checkpoints } })));

/**
 * The acceptance check of every import format: the imported bundle holds the same runs as its long twin, column for
 * column, and analyzes exactly alike. Returns the analysis.
 */
export function expectLikeTwin(imported: RunBundle, twinFile: string, options: AnalyzeOptions = QUICK) {
  const twin = longTwin(twinFile);
  expect(runsOf(imported)).toEqual(runsOf(twin));
  const a = analysisOf(analyzeRuns(imported, options));
  expect(a).toEqual(analysisOf(analyzeRuns(twin, options)));
  return a;
}
