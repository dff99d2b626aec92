/**
 * The bundled recorded sessions (static/samples/manifest.json): what each is, where its runs and analysis are, how
 * it was made. The page reads the manifest and then only the sample it shows, when it shows it, so none of them is
 * part of the page's code. Files may be gzip-compressed (src/io decompresses them, in the page as in Node).
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { reviveNonFinite } from '../io/analysisJson.ts';
import { decodeBundleBytes, gunzipBundle, parseRunsCsv, parseRunsJson, type RunBundle } from '../io/index.ts';

export const SAMPLE_MANIFEST_FORMAT = 'trainmap.samples/1';

export interface SampleProvenance {
  /** The command that trained it, as typed. */
  command: string;
  commit: string;
  /** CPU, cores, backend. */
  machine: string;
  wallSeconds: number;
  /** Load average while it trained, when known (a shared machine trains slower). */
  load?: string;
  date: string;
}

export interface SampleEntry {
  id: string;
  /** What the page calls it. */
  title: string;
  /** One or two sentences: what it shows. */
  description: string;
  /** The runs: CSV or JSON, optionally gzip-compressed, relative to the manifest. */
  runs: string;
  /** The shipped analysis of the runs (the report alone), relative to the manifest. */
  analysis?: string;
  task: string;
  preset: string;
  seeds: number;
  checkpoints: number;
  /** Bytes as shipped (compressed). */
  bytes: number;
  provenance?: SampleProvenance;
}

export interface SampleManifest {
  format: typeof SAMPLE_MANIFEST_FORMAT;
  samples: SampleEntry[];
}

/** Checks a manifest read from JSON; a problem names the sample and the field. */
export function parseSampleManifest(value: unknown, file = 'manifest.json'): SampleManifest {
  const fail = (message: string): never => {
    throw new Error(`${file}: ${message}`);
  };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const m = value as Partial<SampleManifest>;
  if (m.format !== SAMPLE_MANIFEST_FORMAT)
    fail(`format must be '${SAMPLE_MANIFEST_FORMAT}', got ${JSON.stringify(m.format)}`);
  if (!Array.isArray(m.samples)) fail('samples must be a list');
  const ids = new Set<string>();
  m.samples!.forEach((s, i) => {
    const where = `sample ${i + 1}${typeof s?.id === 'string' ? ` (${s.id})` : ''}`;
    for (const key of ['id', 'title', 'description', 'runs', 'task', 'preset'] as const)
      if (typeof s?.[key] !== 'string' || s[key].length === 0) fail(`${where}: ${key} must be a non-empty string`);
    for (const key of ['seeds', 'checkpoints', 'bytes'] as const)
      if (!(Number.isInteger(s[key]) && s[key] >= 0)) fail(`${where}: ${key} must be a whole number`);
    if (s.analysis !== undefined && typeof s.analysis !== 'string') fail(`${where}: analysis must be a file name`);
    for (const key of ['runs', 'analysis'] as const)
      if (s[key] !== undefined && (/^[a-z]+:|^\/|\.\./i.test(s[key]!) || s[key]!.includes('\\')))
        fail(`${where}: ${key} must be a file beside the manifest, got ${JSON.stringify(s[key])}`);
    if (ids.has(s.id)) fail(`${where}: the id is used twice`);
    ids.add(s.id);
  });
  return m as SampleManifest;
}

/** Fetching as the page does (window.fetch); injected so Node can read the files from disk. */
export type FetchBytes = (path: string) => Promise<Uint8Array>;

/** The manifest at `base`. */
export async function loadSampleManifest(fetchBytes: FetchBytes, base = './samples/'): Promise<SampleManifest> {
  const bytes = await fetchBytes(base + 'manifest.json');
  return parseSampleManifest(JSON.parse(new TextDecoder().decode(bytes)), base + 'manifest.json');
}

/** One sample's runs and (when shipped) analysis; the group is named as recorded. */
export async function loadSampleEntry(
  entry: SampleEntry,
  fetchBytes: FetchBytes,
  base = './samples/',
): Promise<{ bundle: RunBundle; report: AnalysisReport | null }> {
  const [runs, analysis] = await Promise.all([
    fetchBytes(base + entry.runs),
    entry.analysis ? fetchBytes(base + entry.analysis) : Promise.resolve(null),
  ]);
  const text = decodeBundleBytes(await gunzipBundle(runs, entry.runs), entry.runs);
  const bundle = /\.json(\.gz)?$/i.test(entry.runs) ? parseRunsJson(text, entry.runs) : parseRunsCsv(text, entry.runs);
  // A CSV of one group has no group names: call it what it is, as the page shows it.
  if (bundle.groups.length === 1) bundle.groups[0].name = `${entry.task}/${entry.preset} (recorded)`;
  let report: AnalysisReport | null = null;
  if (analysis) {
    const json = new TextDecoder().decode(await gunzipBundle(analysis, entry.analysis!));
    report = reviveNonFinite(JSON.parse(json)) as AnalysisReport;
  }
  return { bundle, report };
}
