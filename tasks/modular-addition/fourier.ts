/**
 * What the network learned, in Nanda et al.'s terms (Progress measures for grokking via mechanistic
 * interpretability, ICLR 2023, §4–5): a network that has grokked modular addition represents each token by a few
 * "key" frequencies, so its token embedding W_E is sparse in the Fourier basis of Z_p. These are checkpoint
 * columns computed from the weights alone, in float64. No tfjs here.
 *
 * The basis over x = 0 … p−1: for each frequency k = 1 … ⌊p/2⌋, cos(2πkx/p) and sin(2πkx/p), each scaled to unit
 * norm (the constant direction is left out: it carries no frequency). The power of frequency k is the squared norm
 * of W_E's component along both directions, summed over the d embedding dimensions, so the powers and the constant
 * component add up to ‖W_E‖² (Parseval). The "=" token's row is not part of the spectrum.
 */

/**
 * A key frequency holds at least this many times the share it would hold in a flat spectrum (1/⌊p/2⌋): a random
 * embedding's shares scatter about 1/⌊p/2⌋ by a few tens of percent, so none passes, while the few frequencies a
 * grokked network uses stand far above it.
 */
export const KEY_SHARE_FACTOR = 2;
/** "Most of the norm": the key frequencies have emerged once they hold more than this share together. */
export const KEY_FREQUENCY_MASS = 0.5;
/** How many of the largest frequencies `fourier_top5` adds up. */
export const TOP_FREQUENCIES = 5;

export const FOURIER_SUMMARY_COLUMNS = ['fourier_top5', 'fourier_gini', 'fourier_keys', 'fourier_key_share'] as const;

/** The frequencies 1 … ⌊p/2⌋ of Z_p. */
export function frequencyCount(p: number): number {
  return Math.floor(p / 2);
}

/** The spectrum's column for frequency k: its share of the embedding's non-constant squared norm. */
export function frequencyColumn(k: number): string {
  return `fourier_${k}`;
}

/** Every Fourier column of a modulus, in the order rows hold them: the spectrum, then the summaries. */
export function fourierColumnNames(p: number): string[] {
  return [...Array.from({ length: frequencyCount(p) }, (_, i) => frequencyColumn(i + 1)), ...FOURIER_SUMMARY_COLUMNS];
}

/**
 * Power of each frequency 1 … ⌊p/2⌋ (index k−1) in the first p rows of a row-major embedding of width d.
 * Non-finite weights give non-finite powers.
 */
export function fourierPower(embedding: ArrayLike<number>, p: number, d: number): Float64Array {
  const n = frequencyCount(p);
  const power = new Float64Array(n);
  const c = new Float64Array(d);
  const s = new Float64Array(d);
  for (let k = 1; k <= n; k++) {
    c.fill(0);
    s.fill(0);
    let cosNorm = 0;
    let sinNorm = 0;
    for (let x = 0; x < p; x++) {
      // The angle reduced mod p first keeps cos and sin exact at the quarter turns for any k·x.
      const angle = (2 * Math.PI * ((k * x) % p)) / p;
      const cv = Math.cos(angle);
      const sv = Math.sin(angle);
      cosNorm += cv * cv;
      sinNorm += sv * sv;
      const row = x * d;
      for (let j = 0; j < d; j++) {
        c[j] += cv * embedding[row + j];
        s[j] += sv * embedding[row + j];
      }
    }
    let cc = 0;
    let ss = 0;
    for (let j = 0; j < d; j++) {
      cc += c[j] * c[j];
      ss += s[j] * s[j];
    }
    // For even p, sin(πx) is zero at every x: that direction does not exist, so it holds nothing.
    power[k - 1] = cc / cosNorm + (sinNorm > 1e-9 ? ss / sinNorm : 0);
  }
  return power;
}

/** Powers as shares of their sum (all NaN when the sum is zero or not finite: no spectrum to speak of). */
export function shares(power: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < power.length; i++) total += power[i];
  const out = new Float64Array(power.length);
  for (let i = 0; i < power.length; i++) out[i] = Number.isFinite(total) && total > 0 ? power[i] / total : NaN;
  return out;
}

/** Frequencies (1-based) from the largest share down, ties broken by the lower frequency. */
export function frequenciesByShare(share: ArrayLike<number>): number[] {
  return Array.from({ length: share.length }, (_, i) => i + 1).sort((a, b) => share[b - 1] - share[a - 1] || a - b);
}

/**
 * The key frequencies: those holding at least KEY_SHARE_FACTOR times the flat share, largest first (empty for a
 * spectrum that is not finite).
 */
export function keyFrequencies(share: ArrayLike<number>, factor = KEY_SHARE_FACTOR): number[] {
  for (let i = 0; i < share.length; i++) if (!Number.isFinite(share[i])) return [];
  return frequenciesByShare(share).filter((k) => share[k - 1] >= factor / share.length);
}

/** Share held together by the given frequencies (1-based). */
export function shareOf(share: ArrayLike<number>, frequencies: readonly number[]): number {
  return frequencies.reduce((a, k) => a + share[k - 1], 0);
}

/** Share held by the `n` largest frequencies. */
export function topShare(share: ArrayLike<number>, n = TOP_FREQUENCIES): number {
  return shareOf(share, frequenciesByShare(share).slice(0, n));
}

/**
 * Gini coefficient of the shares: 0 when every frequency holds the same, (n−1)/n when one holds everything.
 * Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n Σ x), computed on the sorted values in O(n log n).
 */
export function gini(values: ArrayLike<number>): number {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    weighted += (2 * (i + 1) - n - 1) * x[i];
  }
  return n > 0 && total > 0 ? weighted / (n * total) : NaN;
}

/** The Fourier columns of one seed's embedding (W_E: p+1 rows of width d, the "=" token last). */
export function fourierRow(embedding: ArrayLike<number>, p: number, d: number): Record<string, number> {
  const share = shares(fourierPower(embedding, p, d));
  const row: Record<string, number> = {};
  share.forEach((v, i) => (row[frequencyColumn(i + 1)] = v));
  const finite = share.every(Number.isFinite);
  row.fourier_top5 = finite ? topShare(share) : NaN;
  row.fourier_gini = finite ? gini(share) : NaN;
  const keys = finite ? keyFrequencies(share) : [];
  row.fourier_keys = finite ? keys.length : NaN;
  row.fourier_key_share = finite ? shareOf(share, keys) : NaN;
  return row;
}

/** The spectrum of frequencies 1 … ⌊p/2⌋ a checkpoint row holds (NaN where a column is missing). */
export function spectrumOfRow(row: (column: string) => number | undefined, p: number): Float64Array {
  return Float64Array.from({ length: frequencyCount(p) }, (_, i) => row(frequencyColumn(i + 1)) ?? NaN);
}
