/**
 * The bundled recorded sessions (static/samples/manifest.json): what each is, where its runs and analysis are, how
 * it was made. The page reads the manifest and then only the sample it shows, when it shows it, so none of them is
 * part of the page's code. Files may be gzip-compressed (src/io decompresses them, in the page as in Node).
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { reviveNonFinite } from '../io/analysisJson.ts';
import { decodeBundleBytes, gunzipBundle, parseRunsCsv, parseRunsJson, type RunBundle } from '../io/index.ts';
import { checkSetting, configValues, presetValues, TRAINING_SETTINGS, type SettingValue } from '../settings/index.ts';
import type { TrainingConfig } from '../train/task.ts';

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
  /**
   * The training settings it was run with beyond its task and preset, by their settings-table names (the flags of
   * `trainmap run`, e.g. `{"layer-norm": true}`); what a comparison names as the difference between its samples.
   */
  settings?: Record<string, SettingValue>;
}

/** Recorded samples shown as groups side by side, each from its shipped analysis. */
export interface SampleComparisonEntry {
  id: string;
  title: string;
  description: string;
  /** Ids of two or more recorded samples of the manifest, each with a shipped analysis, in the order shown. */
  compare: string[];
}

export interface SampleManifest {
  format: typeof SAMPLE_MANIFEST_FORMAT;
  samples: SampleEntry[];
  /** Absent in a manifest without comparisons. */
  comparisons?: SampleComparisonEntry[];
}

/** Checks a manifest read from JSON; a problem names the sample (or comparison) and the field. */
export function parseSampleManifest(value: unknown, file = 'manifest.json'): SampleManifest {
  const fail = (message: string): never => {
    throw new Error(`${file}: ${message}`);
  };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const m = value as Partial<SampleManifest>;
  if (m.format !== SAMPLE_MANIFEST_FORMAT)
    fail(`format must be '${SAMPLE_MANIFEST_FORMAT}', got ${JSON.stringify(m.format)}`);
  if (!Array.isArray(m.samples)) fail('samples must be a list');
  if (m.comparisons !== undefined && !Array.isArray(m.comparisons)) fail('comparisons must be a list');
  const ids = new Set<string>();
  const where = (kind: string, s: { id?: unknown } | null | undefined, i: number) =>
    `${kind} ${i + 1}${typeof s?.id === 'string' ? ` (${s.id})` : ''}`;
  const texts = (at: string, s: Record<string, unknown>, keys: readonly string[]) => {
    for (const key of keys)
      if (typeof s?.[key] !== 'string' || (s[key] as string).length === 0)
        fail(`${at}: ${key} must be a non-empty string`);
  };
  const unique = (at: string, id: string) => {
    if (ids.has(id)) fail(`${at}: the id is used twice`);
    ids.add(id);
  };
  m.samples!.forEach((s, i) => {
    const at = where('sample', s, i);
    texts(at, s as unknown as Record<string, unknown>, ['id', 'title', 'description', 'runs', 'task', 'preset']);
    for (const key of ['seeds', 'checkpoints', 'bytes'] as const)
      if (!(Number.isInteger(s[key]) && s[key] >= 0)) fail(`${at}: ${key} must be a whole number`);
    if (s.analysis !== undefined && typeof s.analysis !== 'string') fail(`${at}: analysis must be a file name`);
    for (const key of ['runs', 'analysis'] as const)
      if (s[key] !== undefined && (/^[a-z]+:|^\/|\.\./i.test(s[key]!) || s[key]!.includes('\\')))
        fail(`${at}: ${key} must be a file beside the manifest, got ${JSON.stringify(s[key])}`);
    if (s.settings !== undefined) checkSampleSettings(s.settings, (message) => fail(`${at}: ${message}`));
    unique(at, s.id);
  });
  (m.comparisons ?? []).forEach((c, i) => {
    const at = where('comparison', c, i);
    texts(at, c as unknown as Record<string, unknown>, ['id', 'title', 'description']);
    if (!Array.isArray(c.compare) || c.compare.length < 2) fail(`${at}: compare must list two or more sample ids`);
    c.compare.forEach((id, j) => {
      const sample = m.samples!.find((s) => s.id === id);
      if (!sample)
        fail(
          `${at}: compare[${j}] is ${JSON.stringify(id)}, which is not a sample of the manifest (samples: ${m
            .samples!.map((s) => s.id)
            .join(', ')})`,
        );
      if (c.compare.indexOf(id) !== j) fail(`${at}: compare names ${id} twice`);
      // The comparison shows each sample's shipped analysis, never a refit.
      if (!sample!.analysis) fail(`${at}: sample ${id} has no shipped analysis to compare`);
    });
    unique(at, c.id);
  });
  return m as SampleManifest;
}

/** Settings a sample names as fields of its own (task, preset, seeds), not in `settings`. */
const OWN_FIELDS = ['task', 'preset', 'seeds'];

/** A sample's `settings`: known training settings with values that fit them. */
function checkSampleSettings(settings: unknown, fail: (message: string) => never): void {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    fail('settings must be an object of training settings');
  const known = TRAINING_SETTINGS.filter((s) => !OWN_FIELDS.includes(s.name));
  for (const [name, value] of Object.entries(settings as Record<string, unknown>)) {
    const spec = known.find((s) => s.name === name);
    if (!spec) fail(`settings.${name} is not a training setting (known: ${known.map((s) => s.name).join(', ')})`);
    try {
      if (typeof value !== spec!.type.replace('integer', 'number'))
        throw new Error(`must be a ${spec!.type}, got ${JSON.stringify(value)}`);
      checkSetting(spec!, value as SettingValue);
    } catch (e) {
      fail(`settings.${name}: ${(e as Error).message}`);
    }
  }
}

/** What a trained group's configuration sets beyond its preset, as a sample's `settings` records it. */
export function settingsBeyondPreset(config: TrainingConfig): Record<string, SettingValue> {
  const preset = presetValues(config.task, config.preset);
  return Object.fromEntries(
    Object.entries(configValues(config)).filter(
      (e): e is [string, SettingValue] => e[1] !== undefined && !OWN_FIELDS.includes(e[0]) && e[1] !== preset[e[0]],
    ),
  );
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
  return { bundle, report: analysis ? await readAnalysis(analysis, entry.analysis!) : null };
}

async function readAnalysis(bytes: Uint8Array, file: string): Promise<AnalysisReport> {
  const json = new TextDecoder().decode(await gunzipBundle(bytes, file));
  return reviveNonFinite(JSON.parse(json)) as AnalysisReport;
}

/** A sample's shipped analysis alone (what a comparison of samples shows), without its runs. */
export async function loadSampleAnalysis(
  entry: SampleEntry,
  fetchBytes: FetchBytes,
  base = './samples/',
): Promise<AnalysisReport> {
  if (!entry.analysis) throw new Error(`sample ${entry.id} has no shipped analysis`);
  return readAnalysis(await fetchBytes(base + entry.analysis), entry.analysis);
}
