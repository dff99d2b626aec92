/** The forward filter: the state distribution given the observations so far (used by the convergence forecast). */

/** Filtered posteriors P(s_t | x_1..t), T×K row-major, with each step normalized (log space where it underflows). */
export function filteredPosteriors(
  logB: Float64Array,
  length: number,
  startprob: ArrayLike<number>,
  transmat: ArrayLike<number>,
): Float64Array {
  const k = startprob.length;
  const out = new Float64Array(length * k);
  const pred = new Float64Array(k);
  for (let t = 0; t < length; t++) {
    const o = t * k;
    if (t === 0) for (let j = 0; j < k; j++) pred[j] = startprob[j];
    else {
      pred.fill(0);
      for (let i = 0; i < k; i++) {
        const a = out[o - k + i];
        if (a !== 0) for (let j = 0; j < k; j++) pred[j] += a * transmat[i * k + j];
      }
    }
    let mx = -Infinity;
    for (let j = 0; j < k; j++) if (pred[j] > 0 && logB[o + j] > mx) mx = logB[o + j];
    let sum = 0;
    if (Number.isFinite(mx)) for (let j = 0; j < k; j++) sum += out[o + j] = pred[j] * Math.exp(logB[o + j] - mx);
    if (sum > 0 && Number.isFinite(sum)) for (let j = 0; j < k; j++) out[o + j] /= sum;
    else {
      // Every predicted state explains the observation (next to) not at all: keep the prediction's support in log space.
      let best = -Infinity;
      const lp = new Float64Array(k);
      for (let j = 0; j < k; j++) best = Math.max(best, (lp[j] = Math.log(pred[j]) + logB[o + j]));
      let z = 0;
      for (let j = 0; j < k; j++) z += out[o + j] = Number.isFinite(best) ? Math.exp(lp[j] - best) : pred[j];
      for (let j = 0; j < k; j++) out[o + j] /= z;
    }
  }
  return out;
}
