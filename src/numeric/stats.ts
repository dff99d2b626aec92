/** Summaries of plain number arrays. */

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/**
 * The median of sorted values with the one at `skip` left out, in O(1): what `median` gives on the other values,
 * for leave-one-out use over many values without sorting each time.
 */
export function medianWithout(sorted: ArrayLike<number>, skip: number): number {
  const n = sorted.length - 1;
  if (n < 1) return NaN;
  const at = (j: number) => sorted[j < skip ? j : j + 1];
  const h = n >> 1;
  return n % 2 ? at(h) : (at(h - 1) + at(h)) / 2;
}
