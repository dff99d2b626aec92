/**
 * Float64 reference implementations of both models, written straight from method.md §2 on plain arrays,
 * to check the tfjs models' forward passes and (by finite differences) their gradients.
 */
export type Params = Record<string, Float64Array>;

export function parityLoss(
  w: Params,
  x: Float32Array,
  y: Float32Array,
  n: number,
  bits: number,
  hidden: number,
): number {
  let total = 0;
  for (let e = 0; e < n; e++) {
    let f = w.b2[0];
    for (let j = 0; j < hidden; j++) {
      let pre = w.b1[j];
      for (let i = 0; i < bits; i++) pre += w.W1[j * bits + i] * x[e * bits + i];
      if (pre > 0) f += w.W2[j] * pre;
    }
    total += Math.max(0, 1 - y[e] * f);
  }
  return total / n;
}

export interface ModAddDims {
  p: number;
  d: number;
  h: number;
  dh: number;
  m: number;
  layerNorm: boolean;
}

function layerNorm(x: Float64Array, g: Float64Array, b: Float64Array): Float64Array<ArrayBufferLike> {
  const d = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / d;
  const v = x.reduce((s, q) => s + (q - mean) ** 2, 0) / d;
  return x.map((q, i) => ((q - mean) / Math.sqrt(v + 1e-5)) * g[i] + b[i]);
}

/** Mean cross-entropy of the last position's logits over examples [i, j, =]. */
export function modAddLoss(w: Params, tokens: Int32Array, labels: Int32Array, n: number, k: ModAddDims): number {
  const { p, d, h, dh, m } = k;
  let total = 0;
  for (let e = 0; e < n; e++) {
    const resid = [0, 1, 2].map((pos) => {
      const t = tokens[e * 3 + pos];
      return Float64Array.from({ length: d }, (_, c) => w.W_E[t * d + c] + w.W_pos[pos * d + c]);
    });
    const proj = (W: Float64Array, head: number, x: Float64Array) =>
      Float64Array.from({ length: dh }, (_, r) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += W[(head * dh + r) * d + c] * x[c];
        return s;
      });
    const z = new Float64Array(h * dh);
    for (let head = 0; head < h; head++) {
      const q = proj(w.W_Q, head, resid[2]);
      const keys = resid.map((r) => proj(w.W_K, head, r));
      const values = resid.map((r) => proj(w.W_V, head, r));
      const scores = keys.map((kv) => kv.reduce((s, v, i) => s + v * q[i], 0) / Math.sqrt(dh));
      const mx = Math.max(...scores);
      const ex = scores.map((s) => Math.exp(s - mx));
      const sum = ex.reduce((a, b) => a + b, 0);
      for (let pos = 0; pos < 3; pos++)
        for (let r = 0; r < dh; r++) z[head * dh + r] += (ex[pos] / sum) * values[pos][r];
    }
    let x: Float64Array<ArrayBufferLike> = Float64Array.from({ length: d }, (_, c) => {
      let s = resid[2][c];
      for (let f = 0; f < h * dh; f++) s += w.W_O[c * h * dh + f] * z[f];
      return s;
    });
    if (k.layerNorm) x = layerNorm(x, w.ln1_g, w.ln1_b);
    const post = Float64Array.from({ length: m }, (_, r) => {
      let s = w.b_in[r];
      for (let c = 0; c < d; c++) s += w.W_in[r * d + c] * x[c];
      return Math.max(0, s);
    });
    let out: Float64Array<ArrayBufferLike> = Float64Array.from({ length: d }, (_, c) => {
      let s = x[c] + w.b_out[c];
      for (let r = 0; r < m; r++) s += w.W_out[c * m + r] * post[r];
      return s;
    });
    if (k.layerNorm) out = layerNorm(out, w.ln2_g, w.ln2_b);
    const logits = Float64Array.from({ length: p }, (_, o) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += out[c] * w.W_U[c * p + o];
      return s;
    });
    const mx = Math.max(...logits);
    const lse = mx + Math.log(logits.reduce((s, v) => s + Math.exp(v - mx), 0));
    total += lse - logits[labels[e]];
  }
  return total / n;
}
