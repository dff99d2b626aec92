/**
 * Forward–backward over a matrix of emission log-likelihoods, generic in the emission model.
 * The fast path scales each step (probabilities, not logs); a sequence whose scaled forward pass
 * underflows is redone in log space, so extreme data never yields NaN.
 */

export interface SequenceStats {
  logLikelihood: number;
  usedLogSpace: boolean;
}

/** Reusable buffers sized for the longest sequence. */
export class ForwardBackwardWorkspace {
  readonly scaled: Float64Array;
  readonly alpha: Float64Array;
  readonly scale: Float64Array;
  readonly beta: Float64Array;
  readonly betaNext: Float64Array;
  readonly weighted: Float64Array;
  readonly xiScaled: Float64Array;
  constructor(
    readonly maxLength: number,
    readonly nStates: number,
  ) {
    this.scaled = new Float64Array(maxLength * nStates);
    this.alpha = new Float64Array(maxLength * nStates);
    this.scale = new Float64Array(maxLength);
    this.beta = new Float64Array(nStates);
    this.betaNext = new Float64Array(nStates);
    this.weighted = new Float64Array(nStates);
    this.xiScaled = new Float64Array(nStates * nStates);
  }
}

export function logSumExp(xs: Float64Array | number[], from = 0, to = xs.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (xs[i] > m) m = xs[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(xs[i] - m);
  return m + Math.log(s);
}

/**
 * Posteriors γ (written to `gamma`, T×K) and, when `xiSum` is given, Σ_t ξ_t added into it (K×K).
 * `logB` holds T×K emission log-likelihoods and is not modified.
 */
export function forwardBackward(
  logB: Float64Array,
  length: number,
  startprob: Float64Array,
  transmat: Float64Array,
  gamma: Float64Array,
  xiSum: Float64Array | null,
  ws: ForwardBackwardWorkspace,
): SequenceStats {
  const k = startprob.length;
  const { scaled: b, alpha, scale, beta, betaNext, weighted, xiScaled } = ws;
  let logShift = 0;
  for (let t = 0; t < length; t++) {
    const o = t * k;
    let m = -Infinity;
    for (let i = 0; i < k; i++) if (logB[o + i] > m) m = logB[o + i];
    if (!Number.isFinite(m)) return logSpaceForwardBackward(logB, length, startprob, transmat, gamma, xiSum);
    logShift += m;
    for (let i = 0; i < k; i++) b[o + i] = Math.exp(logB[o + i] - m);
  }
  // Forward, each step normalized to sum 1.
  let c = 0;
  for (let i = 0; i < k; i++) c += alpha[i] = startprob[i] * b[i];
  if (!(c > 0) || !Number.isFinite(c)) return logSpaceForwardBackward(logB, length, startprob, transmat, gamma, xiSum);
  scale[0] = c;
  for (let i = 0; i < k; i++) alpha[i] /= c;
  let logLik = Math.log(c);
  for (let t = 1; t < length; t++) {
    const prev = (t - 1) * k;
    const cur = t * k;
    c = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += alpha[prev + i] * transmat[i * k + j];
      c += alpha[cur + j] = s * b[cur + j];
    }
    if (!(c > 0) || !Number.isFinite(c))
      return logSpaceForwardBackward(logB, length, startprob, transmat, gamma, xiSum);
    scale[t] = c;
    const inv = 1 / c;
    for (let j = 0; j < k; j++) alpha[cur + j] *= inv;
    logLik += Math.log(c);
  }
  // Backward; ξ is accumulated as Σ_t α_t(i)·w_{t+1}(j) and multiplied by A_ij once at the end.
  if (xiSum) xiScaled.fill(0);
  beta.fill(1);
  const last = (length - 1) * k;
  normalizeRowInto(alpha, last, beta, gamma, k);
  for (let t = length - 2; t >= 0; t--) {
    const nxt = (t + 1) * k;
    const inv = 1 / scale[t + 1];
    for (let j = 0; j < k; j++) weighted[j] = b[nxt + j] * beta[j] * inv;
    const cur = t * k;
    if (xiSum) {
      for (let i = 0; i < k; i++) {
        const a = alpha[cur + i];
        if (a === 0) continue;
        const ro = i * k;
        for (let j = 0; j < k; j++) xiScaled[ro + j] += a * weighted[j];
      }
    }
    for (let i = 0; i < k; i++) {
      const ro = i * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += transmat[ro + j] * weighted[j];
      betaNext[i] = s;
    }
    beta.set(betaNext);
    normalizeRowInto(alpha, cur, beta, gamma, k);
  }
  if (xiSum) for (let i = 0; i < k * k; i++) xiSum[i] += xiScaled[i] * transmat[i];
  return { logLikelihood: logLik + logShift, usedLogSpace: false };
}

function normalizeRowInto(alpha: Float64Array, o: number, beta: Float64Array, gamma: Float64Array, k: number): void {
  let s = 0;
  for (let i = 0; i < k; i++) s += gamma[o + i] = alpha[o + i] * beta[i];
  const inv = 1 / s;
  for (let i = 0; i < k; i++) gamma[o + i] *= inv;
}

/** The same quantities in log space: slower, immune to underflow. */
export function logSpaceForwardBackward(
  logB: Float64Array,
  length: number,
  startprob: Float64Array,
  transmat: Float64Array,
  gamma: Float64Array,
  xiSum: Float64Array | null,
): SequenceStats {
  const k = startprob.length;
  const logA = transmat.map(Math.log);
  const la = new Float64Array(length * k);
  const lb = new Float64Array(length * k);
  const buf = new Float64Array(k);
  for (let i = 0; i < k; i++) la[i] = Math.log(startprob[i]) + logB[i];
  for (let t = 1; t < length; t++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < k; i++) buf[i] = la[(t - 1) * k + i] + logA[i * k + j];
      la[t * k + j] = logSumExp(buf) + logB[t * k + j];
    }
  }
  const logLik = logSumExp(la, (length - 1) * k, length * k);
  for (let t = length - 2; t >= 0; t--) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) buf[j] = logA[i * k + j] + logB[(t + 1) * k + j] + lb[(t + 1) * k + j];
      lb[t * k + i] = logSumExp(buf);
    }
  }
  for (let t = 0; t < length; t++) {
    const o = t * k;
    for (let i = 0; i < k; i++) buf[i] = la[o + i] + lb[o + i];
    const z = logSumExp(buf);
    for (let i = 0; i < k; i++) gamma[o + i] = Number.isFinite(z) ? Math.exp(buf[i] - z) : 1 / k;
  }
  if (xiSum && Number.isFinite(logLik)) {
    for (let t = 0; t < length - 1; t++) {
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          xiSum[i * k + j] += Math.exp(
            la[t * k + i] + logA[i * k + j] + logB[(t + 1) * k + j] + lb[(t + 1) * k + j] - logLik,
          );
        }
      }
    }
  }
  return { logLikelihood: logLik, usedLogSpace: true };
}
