import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import { stringifyNonFinite } from '../../src/io/analysisJson.ts';
import { formatRunsCsv, parseRunsCsv } from '../../src/io/index.ts';
import {
  loadSampleAnalysis,
  loadSampleEntry,
  loadSampleManifest,
  parseSampleManifest,
  SAMPLE_MANIFEST_FORMAT,
  settingsBeyondPreset,
  type SampleEntry,
} from '../../src/replay/samples.ts';
import { trainingConfig } from '../../tasks/index.ts';
import { forkingRecording, REPLAY_OPTIONS } from './fixtures.ts';

const entry = (over: Partial<SampleEntry> = {}): SampleEntry => ({
  id: 'grok',
  title: 'Grokking',
  description: 'forks',
  runs: 'grok.csv.gz',
  analysis: 'grok.analysis.json.gz',
  task: 'modular-addition',
  preset: 'cpu',
  seeds: 30,
  checkpoints: 16,
  bytes: 1,
  ...over,
});

describe('sample manifest', () => {
  it('accepts a manifest of well-formed entries', () => {
    const m = { format: SAMPLE_MANIFEST_FORMAT, samples: [entry(), entry({ id: 'other', analysis: undefined })] };
    expect(parseSampleManifest(m)).toBe(m);
  });

  it('names the sample and the field of every problem', () => {
    const bad =
      (samples: unknown[], format: unknown = SAMPLE_MANIFEST_FORMAT) =>
      () =>
        parseSampleManifest({ format, samples }, 'static/samples/manifest.json');
    expect(bad([], 'x')).toThrow('static/samples/manifest.json: format must be \'trainmap.samples/1\', got "x"');
    expect(() => parseSampleManifest(null)).toThrow('manifest.json: not a JSON object');
    expect(bad([entry({ title: '' })])).toThrow('sample 1 (grok): title must be a non-empty string');
    expect(bad([entry(), entry({ seeds: 1.5 })])).toThrow('sample 2 (grok): seeds must be a whole number');
    expect(bad([entry(), entry()])).toThrow('sample 2 (grok): the id is used twice');
    expect(bad([entry({ runs: '../secrets.csv' })])).toThrow(
      'runs must be a file beside the manifest, got "../secrets.csv"',
    );
    expect(bad([entry({ analysis: 'https://x/a.json' })])).toThrow('analysis must be a file beside the manifest');
  });

  it('checks a sample’s recorded training settings against the settings table', () => {
    const withSettings = (settings: unknown) => () =>
      parseSampleManifest({ format: SAMPLE_MANIFEST_FORMAT, samples: [entry({ settings } as Partial<SampleEntry>)] });
    expect(withSettings({ 'layer-norm': true, 'batch-size': 64, lr: 0.01 })).not.toThrow();
    expect(withSettings([true])).toThrow('sample 1 (grok): settings must be an object of training settings');
    expect(withSettings({ layernorm: true })).toThrow(
      /sample 1 \(grok\): settings\.layernorm is not a training setting \(known: .*layer-norm/,
    );
    expect(withSettings({ seeds: 8 })).toThrow('settings.seeds is not a training setting');
    expect(withSettings({ 'layer-norm': 'yes' })).toThrow(
      'sample 1 (grok): settings.layer-norm: must be a boolean, got "yes"',
    );
    expect(withSettings({ 'batch-size': 0 })).toThrow(
      'sample 1 (grok): settings.batch-size: --batch-size must be at least 1; got 0',
    );
  });
});

describe('a recorded sample’s settings', () => {
  it('are what its configuration sets beyond its preset, by their flag names', () => {
    expect(settingsBeyondPreset(trainingConfig('modular-addition', 'quick'))).toEqual({});
    expect(
      settingsBeyondPreset(
        trainingConfig('modular-addition', 'quick', { batchSize: 64, model: { 'layer-norm': true }, epochs: 12 }),
      ),
    ).toEqual({ epochs: 12, 'batch-size': 64, 'layer-norm': true });
    // What it finds passes the manifest's check.
    const settings = settingsBeyondPreset(trainingConfig('sparse-parity', 'paper', { learningRate: 0.5 }));
    expect(settings).toEqual({ lr: 0.5 });
    expect(() => parseSampleManifest({ format: SAMPLE_MANIFEST_FORMAT, samples: [entry({ settings })] })).not.toThrow();
  });
});

describe('comparisons in the manifest', () => {
  const samples = [entry({ id: 'a' }), entry({ id: 'b' }), entry({ id: 'bare', analysis: undefined })];
  const manifest = (comparisons: unknown) => ({ format: SAMPLE_MANIFEST_FORMAT, samples, comparisons });
  const comparison = (over: Record<string, unknown> = {}) => ({
    id: 'a-vs-b',
    title: 'A vs B',
    description: 'side by side',
    compare: ['a', 'b'],
    ...over,
  });

  it('accepts a comparison of two samples with shipped analyses, and a manifest without comparisons', () => {
    expect(parseSampleManifest(manifest([comparison()])).comparisons).toEqual([comparison()]);
    expect(parseSampleManifest({ format: SAMPLE_MANIFEST_FORMAT, samples }).comparisons).toBeUndefined();
  });

  it('names the comparison and what is wrong with it', () => {
    const bad = (comparisons: unknown) => () => parseSampleManifest(manifest(comparisons), 'm.json');
    expect(bad({})).toThrow('m.json: comparisons must be a list');
    expect(bad([comparison({ title: '' })])).toThrow('m.json: comparison 1 (a-vs-b): title must be a non-empty string');
    expect(bad([comparison({ compare: ['a'] })])).toThrow(
      'comparison 1 (a-vs-b): compare must list two or more sample ids',
    );
    expect(bad([comparison({ compare: 'a,b' })])).toThrow('compare must list two or more sample ids');
    expect(bad([comparison({ compare: ['a', 'c'] })])).toThrow(
      'comparison 1 (a-vs-b): compare[1] is "c", which is not a sample of the manifest (samples: a, b, bare)',
    );
    expect(bad([comparison({ compare: ['a', 'b', 'a'] })])).toThrow('comparison 1 (a-vs-b): compare names a twice');
    expect(bad([comparison({ compare: ['a', 'bare'] })])).toThrow(
      'comparison 1 (a-vs-b): sample bare has no shipped analysis to compare',
    );
    expect(bad([comparison({ id: 'b' })])).toThrow('comparison 1 (b): the id is used twice');
    expect(bad([comparison(), comparison()])).toThrow('comparison 2 (a-vs-b): the id is used twice');
  });

  it('the bundled manifest parses, with the layer-norm contrast of the two quick sessions', () => {
    const file = join(import.meta.dirname, '../../static/samples/manifest.json');
    const m = parseSampleManifest(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(m.comparisons?.map((c) => [c.id, c.compare])).toContainEqual([
      'modadd-quick-layer-norm',
      ['modadd-quick-ln0', 'modadd-quick-ln1'],
    ]);
  });
});

describe('loading a sample', () => {
  it('reads the gzip CSV and the gzip analysis beside the manifest, names the group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainmap-samples-'));
    const csv = formatRunsCsv(forkingRecording());
    const bundle = parseRunsCsv(csv, 'grok.csv.gz');
    const report = analyzeRuns(bundle, REPLAY_OPTIONS);
    writeFileSync(join(dir, 'grok.csv.gz'), gzipSync(csv));
    writeFileSync(join(dir, 'grok.analysis.json.gz'), gzipSync(stringifyNonFinite(report)));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: SAMPLE_MANIFEST_FORMAT, samples: [entry()] }));
    const read = async (path: string) => new Uint8Array(readFileSync(path));
    const manifest = await loadSampleManifest(read, dir + '/');
    const loaded = await loadSampleEntry(manifest.samples[0], read, dir + '/');
    expect(loaded.bundle.groups[0].name).toBe('modular-addition/cpu (recorded)');
    expect(loaded.bundle.groups[0].runs.map((r) => r.checkpoints)).toEqual(
      bundle.groups[0].runs.map((r) => r.checkpoints),
    );
    expect(loaded.report!.selection.chosenK).toBe(report.selection.chosenK);
    expect(loaded.report!.runs.map((r) => r.path)).toEqual(report.runs.map((r) => r.path));
    const bare = await loadSampleEntry(entry({ analysis: undefined }), read, dir + '/');
    expect(bare.report).toBeNull();
    // A comparison reads the analysis alone.
    const alone = await loadSampleAnalysis(manifest.samples[0], read, dir + '/');
    expect(alone.runs.map((r) => r.path)).toEqual(report.runs.map((r) => r.path));
    await expect(loadSampleAnalysis(entry({ analysis: undefined }), read, dir + '/')).rejects.toThrow(
      'sample grok has no shipped analysis',
    );
  });

  it('a missing file is the fetcher’s error, not a silent empty sample', async () => {
    const fail = async (path: string): Promise<Uint8Array> => {
      throw new Error(`${path}: HTTP 404`);
    };
    await expect(loadSampleEntry(entry(), fail, './samples/')).rejects.toThrow('./samples/grok.csv.gz: HTTP 404');
  });
});
