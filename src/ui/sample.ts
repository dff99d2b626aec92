/**
 * The bundled recorded sessions as the page reads them (static/samples/manifest.json, src/replay/samples.ts): the
 * manifest once, then a sample's runs and shipped analysis only when it is shown. The first sample of the manifest
 * is the one the lab opens on.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { RunBundle } from '../io/index.ts';
import { optionsOfSettings } from '../replay/replayLive.ts';
import {
  loadSampleAnalysis,
  loadSampleEntry,
  loadSampleManifest,
  type SampleEntry,
  type SampleManifest,
} from '../replay/samples.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';
import { FixedSource } from './checkpointSource.ts';

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export function loadManifest(base = './samples/'): Promise<SampleManifest> {
  return loadSampleManifest(fetchBytes, base);
}

/** A sample's shipped analysis alone, for a comparison of samples. */
export function loadAnalysis(entry: SampleEntry, base = './samples/'): Promise<AnalysisReport> {
  return loadSampleAnalysis(entry, fetchBytes, base);
}

export function loadSample(
  entry: SampleEntry,
  base = './samples/',
): Promise<{ bundle: RunBundle; report: AnalysisReport | null }> {
  return loadSampleEntry(entry, fetchBytes, base);
}

/** One line about where a sample came from: the command, the machine, the wall time. */
export function provenanceLine(entry: SampleEntry): string {
  const p = entry.provenance;
  if (!p) return `${entry.seeds} runs × ${entry.checkpoints} checkpoints.`;
  const hours = p.wallSeconds / 3600;
  const wall = hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(p.wallSeconds / 60)} min`;
  // A bare hash is shortened; a commit described in words (a range, a branch) is kept as written.
  const commit = /^[0-9a-f]{7,40}$/.test(p.commit) ? p.commit.slice(0, 7) : p.commit;
  return `Trained with \`${p.command}\` (commit ${commit}) on ${p.machine}, ${wall} of wall time${p.load ? ` (${p.load})` : ''}.`;
}

/**
 * Whether a shipped analysis is what the page's analysis settings ask for: every option the page sets (from its link
 * or its controls) has the value the shipped analysis was made with. An option the page leaves unset is the default,
 * which the shipped analysis used.
 */
export function shippedAnalysisFits(report: AnalysisReport, options: AnalysisRequestOptions): boolean {
  const shipped = optionsOfSettings(report.settings) as Record<string, unknown>;
  return Object.entries(options).every(
    ([key, value]) => value === undefined || JSON.stringify(value) === JSON.stringify(shipped[key]),
  );
}

/** The key of a sample's source in the lab (what is on show, which row of a comparison is picked). */
export const sampleKey = (id: string): string => `sample-${id}`;

/**
 * A sample as the lab shows it: its runs, its shipped analysis, where it came from. `options`: the page's analysis
 * settings; when they ask for something else than the shipped analysis (`?k-max=2`), the runs are analyzed at once.
 */
export async function sampleSource(
  entry: SampleEntry,
  base = './samples/',
  options: AnalysisRequestOptions = {},
): Promise<FixedSource> {
  const { bundle, report } = await loadSample(entry, base);
  return new FixedSource(
    sampleKey(entry.id),
    'sample',
    bundle,
    `Recorded runs: ${entry.title}`,
    `${entry.description} ${provenanceLine(entry)} Press Replay to watch its map grow, or Start to train your own.`,
    report,
    // The shipped analysis is the full analysis of these runs: nothing to refit unless the settings differ.
    report === null || !shippedAnalysisFits(report, options),
  );
}
