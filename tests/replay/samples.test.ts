import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import { stringifyNonFinite } from '../../src/io/analysisJson.ts';
import { formatRunsCsv, parseRunsCsv } from '../../src/io/index.ts';
import {
  loadSampleEntry,
  loadSampleManifest,
  parseSampleManifest,
  SAMPLE_MANIFEST_FORMAT,
  type SampleEntry,
} from '../../src/replay/samples.ts';
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
  });

  it('a missing file is the fetcher’s error, not a silent empty sample', async () => {
    const fail = async (path: string): Promise<Uint8Array> => {
      throw new Error(`${path}: HTTP 404`);
    };
    await expect(loadSampleEntry(entry(), fail, './samples/')).rejects.toThrow('./samples/grok.csv.gz: HTTP 404');
  });
});
