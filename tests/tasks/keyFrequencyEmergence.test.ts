import { describe, expect, it } from 'vitest';
import type { AnalysisReport, RunSummary } from '../../src/analysis/index.ts';
import type { RunBundle } from '../../src/io/index.ts';
import { createRng } from '../../src/numeric/rng.ts';
import { fourierRow } from '../../tasks/modular-addition/fourier.ts';
import {
  emergenceSentence,
  fourierRecordedLate,
  keyFrequencyEmergence,
  runEmergence,
  spectrumColumns,
} from '../../tasks/modular-addition/keyFrequencyEmergence.ts';

const P = 23;
const D = 32; // as wide as the teaching preset: a random embedding of this width has no frequency at twice the flat share

/** An embedding: random with weight 1 − a, plus waves at `keys` with weight a (the "=" row random). */
function embedding(a: number, keys: number[], seed: number): Float32Array {
  const rng = createRng(seed, 'emergence-test');
  const w = Float32Array.from({ length: (P + 1) * D }, () => (1 - a) * rng.normal() * 0.3);
  keys.forEach((k, i) => {
    for (let x = 0; x < P; x++) w[x * D + (i % D)] += a * Math.cos((2 * Math.PI * k * x) / P + i);
  });
  return w;
}

/** A run whose checkpoints have the Fourier columns of embeddings with these mixing weights. */
function run(id: string, weights: number[], keys: number[]) {
  const rows = weights.map((a, t) => fourierRow(embedding(a, keys, t), P, D));
  const checkpoints: Record<string, number[]> = { step: weights.map((_, t) => (t + 1) * 10) };
  for (const c of Object.keys(rows[0])) checkpoints[c] = rows.map((r) => r[c]);
  return { id, seed: null, checkpoints: checkpoints as RunBundle['groups'][0]['runs'][0]['checkpoints'] };
}

describe('key frequency emergence', () => {
  const bundle: RunBundle = {
    format: 'trainmap.runs/1',
    groups: [
      {
        name: 'g',
        config: {},
        runs: [
          run('grokked', [0, 0, 0.05, 0.6, 0.9, 1], [3, 7, 10]),
          // Concentrated early, lost it, concentrated again: emerged from the last time on.
          run('relapsed', [0, 0.9, 0, 0.8, 0.9, 1], [5, 11]),
          run('random', [0, 0, 0, 0, 0, 0], [1]),
        ],
      },
    ],
  };
  const summary = (key: string, path: number[], included = true) =>
    ({
      key,
      group: 'g',
      id: key,
      seed: null,
      checkpoints: 6,
      included,
      path: included ? path : undefined,
    }) as RunSummary;
  const report = {
    runs: [
      summary('grokked', [0, 0, 1, 2, 2, 2]),
      summary('relapsed', [0, 1, 0, 2, 2, 2]),
      summary('random', [0, 0, 0, 0, 1, 1]),
    ],
  } as unknown as AnalysisReport;

  it('finds the planted key frequencies, the checkpoint from which they hold most of the spectrum, and the state there', () => {
    const s = keyFrequencyEmergence(bundle, report);
    const [grokked, relapsed, random] = s.runs;
    expect([...grokked.keys].sort((a, b) => a - b)).toEqual([3, 7, 10]);
    expect(grokked).toMatchObject({ checkpoint: 3, step: 40, state: 2 });
    expect(grokked.finalShare).toBeCloseTo(1, 6);
    expect([...relapsed.keys].sort((a, b) => a - b)).toEqual([5, 11]);
    expect(relapsed).toMatchObject({ checkpoint: 3, step: 40, state: 2 });
    expect(random).toMatchObject({ keys: [], checkpoint: null, step: null, state: null, finalShare: 0 });
    expect(s.byState).toEqual([{ state: 2, runs: 2 }]);
    expect(s.typicalState).toBe(2);
    expect(emergenceSentence(s)).toBe('The key frequencies emerged in 2 of 3 runs — in state 2 for 2 of them.');
  });

  it('a run the analysis left out still has its emergence, without a state', () => {
    const partial = { runs: [summary('grokked', [], false)] } as unknown as AnalysisReport;
    const s = keyFrequencyEmergence(bundle, partial);
    expect(s.runs[0]).toMatchObject({ checkpoint: 3, state: null });
    expect(s.typicalState).toBeNull();
    expect(emergenceSentence(s)).toBe('The key frequencies emerged in 2 of 3 runs.');
  });

  it('runs without Fourier columns (sparse parity, imports) are passed over', () => {
    expect(spectrumColumns(bundle.groups[0].runs[0])).toHaveLength(11);
    const bare = { id: 'x', checkpoints: { step: [1] } };
    expect(runEmergence(bare, 'x', [0])).toBeNull();
    const none: RunBundle = { format: 'trainmap.runs/1', groups: [{ name: 'g', config: {}, runs: [bare] }] };
    const s = keyFrequencyEmergence(none, { runs: [] } as unknown as AnalysisReport);
    expect(emergenceSentence(s)).toBe(
      'These runs have no Fourier columns (modular addition trained here records them).',
    );
    const flat: RunBundle = { ...bundle, groups: [{ ...bundle.groups[0], runs: [bundle.groups[0].runs[2]] }] };
    expect(emergenceSentence(keyFrequencyEmergence(flat, report))).toBe(
      "No run's key frequencies hold most of its embedding's spectrum yet (1 runs).",
    );
  });

  it('a recording whose Fourier columns start late is told apart (its emergence cannot be read from it)', () => {
    expect(fourierRecordedLate(bundle)).toBeNull();
    const late = structuredClone(bundle);
    for (const r of late.groups[0].runs) r.checkpoints.fourier_top5[0] = r.checkpoints.fourier_top5[1] = NaN;
    expect(fourierRecordedLate(late)).toBe(30);
    const none: RunBundle = { format: 'trainmap.runs/1', groups: [{ name: 'g', config: {}, runs: [] }] };
    expect(fourierRecordedLate(none)).toBeNull();
  });
});
