import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleAnalysis, parseSampleManifest, type SampleEntry } from '../../src/replay/samples.ts';
import { comparisonRow } from '../../src/ui/charts/comparison.ts';
import { differingSettings, sampleComparison, settingsOfSample } from '../../src/ui/sampleComparison.ts';
import { sparseParityReport } from './sampleReport.ts';

const dir = resolve(import.meta.dirname, '../../static/samples') + '/';
const read = async (path: string) => new Uint8Array(readFileSync(path));

const sample = (over: Partial<SampleEntry>): SampleEntry => ({
  id: 'a',
  title: 'A',
  description: 'a',
  runs: 'a.csv',
  analysis: 'a.analysis.json',
  task: 'modular-addition',
  preset: 'quick',
  seeds: 40,
  checkpoints: 200,
  bytes: 1,
  ...over,
});
const comparisonEntry = { id: 'c', title: 'C', description: 'c', compare: ['a', 'b'] };

describe('a comparison of recorded sessions', () => {
  it('the bundled layer-norm contrast: one row per session from its shipped analysis, layer norm off vs on', async () => {
    const manifest = parseSampleManifest(JSON.parse(readFileSync(dir + 'manifest.json', 'utf8')));
    const entry = manifest.comparisons!.find((c) => c.id === 'modadd-quick-layer-norm')!;
    expect(entry.compare).toEqual(['modadd-quick-ln0', 'modadd-quick-ln1']);
    const samples = await Promise.all(
      entry.compare.map(async (id) => {
        const e = manifest.samples.find((s) => s.id === id)!;
        return { entry: e, report: await loadSampleAnalysis(e, read, dir) };
      }),
    );
    const c = sampleComparison(entry, samples);
    expect(c.difference).toBe('What differs: layer norm off vs on.');
    expect(c.shared).toMatch(/^The same in all: task modular-addition, preset quick, seeds 40;/);
    expect(c.members.map((m) => m.label)).toEqual(['layer norm off', 'layer norm on']);
    c.members.forEach((m, i) => {
      expect(m.row).toEqual(comparisonRow(`${m.label} (${entry.compare[i]})`, samples[i].report));
      expect(m.row.k).toBe(samples[i].report.selection.chosenK);
      expect(m.row.shape).toBe(samples[i].report.map.shape);
    });
  });

  it('names every setting that differs, in the settings’ order, with each sample’s value', () => {
    const report = sparseParityReport();
    const a = sample({ id: 'a', settings: { 'batch-size': 64 } });
    const b = sample({ id: 'b', preset: 'cpu', seeds: 8 });
    const c = sampleComparison(comparisonEntry, [
      { entry: a, report },
      { entry: b, report },
    ]);
    const [qa, qb] = [settingsOfSample(a), settingsOfSample(b)];
    expect(differingSettings([qa, qb])).toEqual(['preset', 'seeds', 'epochs', 'batch-size', 'lr', 'weight-decay']);
    expect(c.difference).toBe(
      `What differs: preset quick vs cpu; seeds 40 vs 8; epochs ${qa.epochs} vs ${qb.epochs}; batch size 64 vs ${qb['batch-size']}; ` +
        `learning rate ${qa.lr} vs ${qb.lr}; weight decay ${qa['weight-decay']} vs ${qb['weight-decay']}.`,
    );
    expect(c.shared).toBe(
      "The same in all: task modular-addition; each row is its session's shipped analysis, not refitted.",
    );
    expect(c.members[0].label).toMatch(/^preset quick, seeds 40, /);
  });

  it('says so when nothing recorded differs, and labels the rows by id', () => {
    const report = sparseParityReport();
    const c = sampleComparison(comparisonEntry, [
      { entry: sample({ id: 'a' }), report },
      { entry: sample({ id: 'b' }), report },
    ]);
    expect(c.difference).toMatch(/^The manifest records no setting in which these sessions differ/);
    expect(c.members.map((m) => m.row.group)).toEqual(['a (a)', 'b (b)']);
  });

  it('a sample of an unknown preset is named', () => {
    expect(() => settingsOfSample(sample({ id: 'x', preset: 'nope' }))).toThrow(/^sample x: unknown preset 'nope'/);
  });
});
