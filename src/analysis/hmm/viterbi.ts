/**
 * Most likely state path given emission log-likelihoods (T×K). Ties go to the lowest state index,
 * as in hmmlearn, so paths agree with it exactly.
 */
export function viterbiPath(
  logB: Float64Array,
  length: number,
  startprob: Float64Array,
  transmat: Float64Array,
): { path: Int32Array; logProbability: number } {
  const k = startprob.length;
  const logA = transmat.map(Math.log);
  const lattice = new Float64Array(length * k);
  for (let i = 0; i < k; i++) lattice[i] = Math.log(startprob[i]) + logB[i];
  for (let t = 1; t < length; t++) {
    const prev = (t - 1) * k;
    for (let j = 0; j < k; j++) {
      let best = -Infinity;
      for (let i = 0; i < k; i++) {
        const v = logA[i * k + j] + lattice[prev + i];
        if (v > best) best = v;
      }
      lattice[t * k + j] = best + logB[t * k + j];
    }
  }
  const path = new Int32Array(length);
  let where = argmax(lattice, (length - 1) * k, k);
  const logProbability = lattice[(length - 1) * k + where];
  path[length - 1] = where;
  const buf = new Float64Array(k);
  for (let t = length - 2; t >= 0; t--) {
    for (let i = 0; i < k; i++) buf[i] = lattice[t * k + i] + logA[i * k + where];
    where = argmax(buf, 0, k);
    path[t] = where;
  }
  return { path, logProbability };
}

function argmax(x: Float64Array, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (x[offset + i] > x[offset + best]) best = i;
  return best;
}
