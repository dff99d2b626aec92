import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import {
  fourierColumnNames,
  fourierPower,
  fourierRow,
  frequenciesByShare,
  gini,
  KEY_SHARE_FACTOR,
  keyFrequencies,
  shareOf,
  shares,
  spectrumOfRow,
  topShare,
} from '../../tasks/modular-addition/fourier.ts';

/**
 * An embedding of p+1 rows × d whose token rows are a sum of planted waves: for each (k, amplitude, phase, dim),
 * amplitude·cos(2πkx/p + phase) along dimension `dim`, on top of a constant offset; the "=" row is junk.
 */
function planted(p: number, d: number, waves: [number, number, number, number][], offset = 0.7): Float32Array {
  const w = new Float32Array((p + 1) * d);
  for (let x = 0; x < p; x++) {
    for (let j = 0; j < d; j++) w[x * d + j] = offset * (j + 1);
    for (const [k, a, phase, dim] of waves) w[x * d + dim] += a * Math.cos((2 * Math.PI * k * x) / p + phase);
  }
  for (let j = 0; j < d; j++) w[p * d + j] = 1e3 * (j + 1); // the "=" token: not part of the spectrum
  return w;
}

describe('fourierPower', () => {
  it('puts a planted wave’s whole energy on its frequency, whatever its phase (p odd)', () => {
    const p = 23;
    const d = 4;
    const power = fourierPower(planted(p, d, [[5, 2, 0.3, 1]]), p, d);
    expect(power).toHaveLength(11);
    // A wave a·cos(θ + φ) over p points has squared norm a²·p/2, all of it at frequency 5.
    expect(power[4]).toBeCloseTo((4 * p) / 2, 4);
    for (let k = 0; k < 11; k++) if (k !== 4) expect(power[k]).toBeLessThan(1e-8);
  });

  it('adds up with the constant component to the squared norm of the token rows (Parseval)', () => {
    const p = 31;
    const d = 6;
    const rng = createRng(7, 'fourier-test');
    const w = Float32Array.from({ length: (p + 1) * d }, () => rng.normal());
    const power = fourierPower(w, p, d);
    let norm = 0;
    let constant = 0;
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let x = 0; x < p; x++) {
        norm += w[x * d + j] ** 2;
        sum += w[x * d + j];
      }
      constant += sum ** 2 / p;
    }
    expect(power.reduce((a, b) => a + b, 0) + constant).toBeCloseTo(norm, 6);
  });

  it('handles an even modulus, whose top frequency has only a cosine', () => {
    const p = 10;
    const power = fourierPower(planted(p, 1, [[5, 1, 0, 0]], 0), p, 1);
    // cos(πx) = ±1: squared norm p, all at frequency 5.
    expect(power[4]).toBeCloseTo(p, 6);
    expect(power.slice(0, 4).every((v) => Math.abs(v) < 1e-9)).toBe(true);
  });

  it('gives NaN, not a throw, for non-finite weights', () => {
    const w = planted(7, 2, [[1, 1, 0, 0]]);
    w[3] = NaN;
    expect(fourierPower(w, 7, 2).every(Number.isNaN)).toBe(true);
    expect(fourierRow(w, 7, 2).fourier_gini).toBeNaN();
  });
});

describe('key frequencies and concentration', () => {
  it('recover exactly the planted frequencies of a grokked-looking embedding', () => {
    const p = 59;
    const d = 8;
    const keys = [4, 17, 23, 28];
    const w = planted(p, d, [
      [17, 3, 0.1, 0],
      [17, 2, 1.3, 5],
      [4, 2.5, 2.0, 1],
      [23, 2, -0.4, 2],
      [28, 1.5, 0.9, 7],
    ]);
    const share = shares(fourierPower(w, p, d));
    expect(share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([...keyFrequencies(share)].sort((a, b) => a - b)).toEqual(keys);
    expect(
      frequenciesByShare(share)
        .slice(0, 4)
        .sort((a, b) => a - b),
    ).toEqual(keys);
    expect(shareOf(share, keys)).toBeCloseTo(1, 9);
    expect(topShare(share)).toBeCloseTo(1, 9);
    // Energies 13·p/2, 6.25·p/2, 4·p/2, 2.25·p/2: the spectrum's Gini follows from those four and 25 zeros.
    const expected = gini([13, 6.25, 4, 2.25, ...new Array(25).fill(0)]);
    expect(gini(share)).toBeCloseTo(expected, 7); // float32 weights
    const row = fourierRow(w, p, d);
    expect(Object.keys(row)).toEqual(fourierColumnNames(p));
    expect(row.fourier_keys).toBe(4);
    expect(row.fourier_key_share).toBeCloseTo(1, 9);
    expect(row.fourier_17).toBeCloseTo(13 / 25.5, 6);
  });

  it('finds no key frequency in a random embedding, whose spectrum is nearly flat', () => {
    const p = 59;
    const d = 64;
    const rng = createRng(3, 'fourier-flat');
    const w = Float32Array.from({ length: (p + 1) * d }, () => rng.normal() / 8);
    const share = shares(fourierPower(w, p, d));
    expect(Math.max(...share)).toBeLessThan(KEY_SHARE_FACTOR / share.length);
    expect(keyFrequencies(share)).toEqual([]);
    expect(gini(share)).toBeLessThan(0.25);
  });

  it('Gini: 0 for equal shares, (n−1)/n for one holding everything, the pairwise formula otherwise', () => {
    expect(gini([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 1, 0, 0])).toBeCloseTo(4 / 5, 12);
    const x = [0.1, 0.4, 0.2, 0.3];
    let pairs = 0;
    for (const a of x) for (const b of x) pairs += Math.abs(a - b);
    expect(gini(x)).toBeCloseTo(pairs / (2 * x.length * 1), 12);
  });

  it('topShare sums the n largest; ties order by the lower frequency', () => {
    const share = [0.1, 0.3, 0.1, 0.3, 0.2];
    expect(frequenciesByShare(share)).toEqual([2, 4, 5, 1, 3]);
    expect(topShare(share, 2)).toBeCloseTo(0.6, 12);
    expect(keyFrequencies(share, 1.4)).toEqual([2, 4]);
  });

  it('reads a spectrum back from a checkpoint row, NaN where a column is missing', () => {
    const row: Record<string, number> = { fourier_1: 0.5, fourier_3: 0.25 };
    expect([...spectrumOfRow((c) => row[c], 7)]).toEqual([0.5, NaN, 0.25]);
  });
});
