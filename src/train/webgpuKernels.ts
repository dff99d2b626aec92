/**
 * The fused operations of fusedOps.ts and the AdamW update (optimizers.ts) as WGSL programs on tfjs-backend-webgpu,
 * recorded into tfjs's own command stream (webgpuDispatch.ts). Each is one dispatch where tfjs composes several:
 * the attention of the last position (forward 1, backward 1), softmax cross-entropy (1 and 1), token-row lookup
 * (1 and 1, the gradient a deterministic per-row sum instead of float atomics) and AdamW (1 per parameter).
 * Every invocation computes one output element or one (seed, example) row from that seed's data alone.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ATTENTION_GRAD_KERNEL,
  ATTENTION_KERNEL,
  TOKEN_ROWS_GRAD_KERNEL,
  TOKEN_ROWS_KERNEL,
  XENT_GRAD_KERNEL,
  XENT_KERNEL,
  type TokenRowsAttrs,
} from './fusedOps.ts';
import { ADAMW_KERNEL, type AdamWAttrs } from './optimizers.ts';
import { adamwConstants } from './simd/trainKernels.ts';
import { compilePrograms, INVOCATION_WGSL, recordProgram, WORKGROUP, type WgslProgram } from './webgpuDispatch.ts';

type Info = tf.TensorInfo;

const storage = (names: string[], access: 'read' | 'read_write', from: number, type = 'f32') =>
  names.map((n, i) => `@group(0) @binding(${from + i}) var<storage, ${access}> ${n}: array<${type}>;`).join('\n');

const main = (body: string) => `${INVOCATION_WGSL}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = invocation(gid, nwg);
${body}
}`;

/** One invocation per (seed·example, head): the scores of the three positions, their softmax, z. */
const ATTENTION: WgslProgram = {
  key: 'trainmap-attention3',
  code: `${storage(['q', 'keys', 'values'], 'read', 0)}
${storage(['z', 'probs'], 'read_write', 3)}
struct U { n: u32, heads: u32, dh: u32, root: f32 }
@group(0) @binding(5) var<uniform> u: U;
${main(`  if (i >= u.n) { return; }
  let g = i / u.heads;
  let h = i % u.heads;
  let hv = u.heads * u.dh;
  let qb = i * u.dh;
  let kb = g * 3u * hv + h * u.dh;
  var s: array<f32, 3>;
  for (var j = 0u; j < 3u; j++) {
    var acc = 0.0;
    for (var d = 0u; d < u.dh; d++) { acc += q[qb + d] * keys[kb + j * hv + d]; }
    s[j] = acc / u.root;
  }
  let m = max(max(s[0], s[1]), s[2]);
  let e0 = exp(s[0] - m);
  let e1 = exp(s[1] - m);
  let e2 = exp(s[2] - m);
  let sum = e0 + e1 + e2;
  let p0 = e0 / sum;
  let p1 = e1 / sum;
  let p2 = e2 / sum;
  probs[i * 3u] = p0;
  probs[i * 3u + 1u] = p1;
  probs[i * 3u + 2u] = p2;
  for (var d = 0u; d < u.dh; d++) {
    z[qb + d] = p0 * values[kb + d] + p1 * values[kb + hv + d] + p2 * values[kb + 2u * hv + d];
  }`)}`,
};

/** dv_j = p_j dz; ds_j = p_j (dz·v_j − Σ p dz·v) / root; dq = Σ ds_j k_j; dk_j = ds_j q. */
const ATTENTION_GRAD: WgslProgram = {
  key: 'trainmap-attention3-grad',
  code: `${storage(['dz', 'q', 'keys', 'values', 'probs'], 'read', 0)}
${storage(['dq', 'dkeys', 'dvalues'], 'read_write', 5)}
struct U { n: u32, heads: u32, dh: u32, root: f32 }
@group(0) @binding(8) var<uniform> u: U;
${main(`  if (i >= u.n) { return; }
  let g = i / u.heads;
  let h = i % u.heads;
  let hv = u.heads * u.dh;
  let qb = i * u.dh;
  let kb = g * 3u * hv + h * u.dh;
  var p: array<f32, 3>;
  var dp: array<f32, 3>;
  for (var j = 0u; j < 3u; j++) {
    p[j] = probs[i * 3u + j];
    var acc = 0.0;
    for (var d = 0u; d < u.dh; d++) { acc += dz[qb + d] * values[kb + j * hv + d]; }
    dp[j] = acc;
  }
  let avg = p[0] * dp[0] + p[1] * dp[1] + p[2] * dp[2];
  var ds: array<f32, 3>;
  for (var j = 0u; j < 3u; j++) { ds[j] = p[j] * (dp[j] - avg) / u.root; }
  for (var d = 0u; d < u.dh; d++) {
    dq[qb + d] = ds[0] * keys[kb + d] + ds[1] * keys[kb + hv + d] + ds[2] * keys[kb + 2u * hv + d];
    for (var j = 0u; j < 3u; j++) {
      dkeys[kb + j * hv + d] = ds[j] * q[qb + d];
      dvalues[kb + j * hv + d] = p[j] * dz[qb + d];
    }
  }`)}`,
};

/** One invocation per row: max, Σ exp, the probabilities, and max + log Σ − logit[label] (NaN for a bad label). */
const XENT: WgslProgram = {
  key: 'trainmap-softmax-xent',
  code: `${storage(['logits'], 'read', 0)}
${storage(['labels'], 'read', 1, 'i32')}
${storage(['loss', 'probs'], 'read_write', 2)}
struct U { rows: u32, classes: u32, nan: f32 }
@group(0) @binding(4) var<uniform> u: U;
${main(`  if (i >= u.rows) { return; }
  let b = i * u.classes;
  var m = logits[b];
  for (var c = 1u; c < u.classes; c++) { m = max(m, logits[b + c]); }
  var sum = 0.0;
  for (var c = 0u; c < u.classes; c++) {
    let e = exp(logits[b + c] - m);
    probs[b + c] = e;
    sum += e;
  }
  for (var c = 0u; c < u.classes; c++) { probs[b + c] = probs[b + c] / sum; }
  let y = labels[i];
  if (y >= 0 && u32(y) < u.classes) {
    loss[i] = m + log(sum) - logits[b + u32(y)];
  } else {
    loss[i] = u.nan;
  }`)}`,
};

const XENT_GRAD: WgslProgram = {
  key: 'trainmap-softmax-xent-grad',
  code: `${storage(['probs'], 'read', 0)}
${storage(['labels'], 'read', 1, 'i32')}
${storage(['dloss'], 'read', 2)}
${storage(['out'], 'read_write', 3)}
struct U { size: u32, classes: u32 }
@group(0) @binding(4) var<uniform> u: U;
${main(`  if (i >= u.size) { return; }
  let r = i / u.classes;
  let c = i32(i % u.classes);
  let hit = select(0.0, 1.0, labels[r] == c);
  out[i] = (probs[i] - hit) * dloss[r];`)}`,
};

/** The bindings, uniforms and position lookup both token-row programs share; `input` is the table or dy. */
const tokenRowsHead = (input: string) => `${storage([input], 'read', 0)}
${storage(['tokens'], 'read', 1, 'i32')}
${storage(['out'], 'read_write', 2)}
struct U { size: u32, examples: u32, width: u32, k: u32, vocab: u32, d: u32, p0: u32, p1: u32, p2: u32, p3: u32, nan: f32 }
@group(0) @binding(3) var<uniform> u: U;
fn position(k: u32) -> u32 { return select(select(select(u.p3, u.p2, k == 2u), u.p1, k == 1u), u.p0, k == 0u); }`;

/** out[s, b, k, c] = table[s, k·V + tokens[s, b, positions[k]], c] (NaN for a token outside the vocabulary). */
const TOKEN_ROWS: WgslProgram = {
  key: 'trainmap-token-rows',
  code: `${tokenRowsHead('table')}
${main(`  if (i >= u.size) { return; }
  let c = i % u.d;
  let k = (i / u.d) % u.k;
  let sb = i / (u.d * u.k);
  let s = sb / u.examples;
  let t = tokens[sb * u.width + position(k)];
  if (t < 0 || u32(t) >= u.vocab) { out[i] = u.nan; return; }
  out[i] = table[((s * u.k + k) * u.vocab + u32(t)) * u.d + c];`)}`,
};

/** One invocation per table element: Σ over examples, in order, of dy where that example read this row. */
const TOKEN_ROWS_GRAD: WgslProgram = {
  key: 'trainmap-token-rows-grad',
  code: `${tokenRowsHead('dy')}
${main(`  if (i >= u.size) { return; }
  let c = i % u.d;
  let row = (i / u.d) % (u.k * u.vocab);
  let s = i / (u.d * u.k * u.vocab);
  let k = row / u.vocab;
  let t = i32(row % u.vocab);
  let col = position(k);
  var acc = 0.0;
  for (var b = 0u; b < u.examples; b++) {
    let sb = s * u.examples + b;
    if (tokens[sb * u.width + col] == t) { acc += dy[(sb * u.k + k) * u.d + c]; }
  }
  out[i] = acc;`)}`,
};

const adamwCode = (
  alive: boolean,
) => `${storage(alive ? ['p', 'g', 'm', 'v', 'alive'] : ['p', 'g', 'm', 'v'], 'read', 0)}
${storage(['po', 'mo', 'vo'], 'read_write', alive ? 5 : 4)}
struct U { n: u32, perSeed: u32, b1: f32, c1: f32, b2: f32, c2m: f32, decay: f32, c2: f32, eps: f32, step: f32 }
@group(0) @binding(${alive ? 8 : 7}) var<uniform> u: U;
${main(`  if (i >= u.n) { return; }
  let gi = g[i];
  let m1 = m[i] * u.b1 + gi * u.c1;
  let v1 = v[i] * u.b2 + (gi * gi) * u.c2m;
  var pn = p[i] * u.decay - (m1 / (sqrt(v1) / u.c2 + u.eps)) * u.step;
  var mn = m1;
  var vn = v1;
  ${alive ? 'if (alive[i / u.perSeed] == 0.0) { pn = p[i]; mn = m[i]; vn = v[i]; }' : ''}
  po[i] = pn;
  mo[i] = mn;
  vo[i] = vn;`)}`;
const ADAMW: WgslProgram = { key: 'trainmap-adamw', code: adamwCode(false) };
const ADAMW_ALIVE: WgslProgram = { key: 'trainmap-adamw-alive', code: adamwCode(true) };

const u32s = (...xs: number[]) => xs.map((x) => ({ type: 'uint32' as const, data: [x] }));
const f32s = (...xs: number[]) => xs.map((x) => ({ type: 'float32' as const, data: [x] }));
const size = (shape: number[]) => tf.util.sizeFromShape(shape);

function tokenRowsUniforms(tokens: Info, a: TokenRowsAttrs, d: number, n: number) {
  const [, b, w] = tokens.shape;
  const p = [...a.positions, 0, 0, 0, 0].slice(0, 4);
  if (a.positions.length > 4) throw new Error('tokenRows on webgpu reads at most 4 token columns');
  return [...u32s(n, b, w, a.positions.length, a.vocab, d, ...p), ...f32s(NaN)];
}

const PROGRAMS = [ATTENTION, ATTENTION_GRAD, XENT, XENT_GRAD, TOKEN_ROWS, TOKEN_ROWS_GRAD, ADAMW, ADAMW_ALIVE];

/**
 * Compiles every program on `device` and waits for the verdict: a shader this device rejects fails here, loudly,
 * when the backend is chosen, instead of as an error event behind a training step's back.
 */
export function compileWebGpuKernels(device: GPUDevice): Promise<void> {
  return compilePrograms(device, PROGRAMS);
}

export function registerWebGpuKernels(): void {
  const reg = (kernelName: string, kernelFunc: tf.KernelFunc) =>
    tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });

  reg(ATTENTION_KERNEL, ({ inputs, backend }) => {
    const { q, keys, values } = inputs as Record<string, Info>;
    const [s, b, h, dh] = q.shape;
    const n = s * b * h;
    return recordProgram(
      backend,
      ATTENTION,
      [q, keys, values],
      [
        { shape: [s, b, h, dh], dtype: 'float32' },
        { shape: [s, b, h, 3], dtype: 'float32' },
      ],
      [...u32s(n, h, dh), ...f32s(Math.sqrt(dh))],
      n,
    );
  });
  reg(ATTENTION_GRAD_KERNEL, ({ inputs, backend }) => {
    const { dz, q, keys, values, probs } = inputs as Record<string, Info>;
    const [s, b, h, dh] = q.shape;
    const n = s * b * h;
    return recordProgram(
      backend,
      ATTENTION_GRAD,
      [dz, q, keys, values, probs],
      [q, keys, values].map((t) => ({ shape: t.shape, dtype: 'float32' as const })),
      [...u32s(n, h, dh), ...f32s(Math.sqrt(dh))],
      n,
    );
  });
  reg(XENT_KERNEL, ({ inputs, backend }) => {
    const { logits, labels } = inputs as Record<string, Info>;
    const classes = logits.shape[logits.shape.length - 1];
    const rows = size(logits.shape) / classes;
    return recordProgram(
      backend,
      XENT,
      [logits, labels],
      [
        { shape: logits.shape.slice(0, -1), dtype: 'float32' },
        { shape: logits.shape, dtype: 'float32' },
      ],
      [...u32s(rows, classes), ...f32s(NaN)],
      rows,
    );
  });
  reg(XENT_GRAD_KERNEL, ({ inputs, backend }) => {
    const { probs, labels, dloss } = inputs as Record<string, Info>;
    const n = size(probs.shape);
    return recordProgram(
      backend,
      XENT_GRAD,
      [probs, labels, dloss],
      [{ shape: probs.shape, dtype: 'float32' }],
      u32s(n, probs.shape[probs.shape.length - 1]),
      n,
    )[0];
  });
  // The gather and its gradient: one float32 output of `shape` (rows of width d, its last axis), one thread each.
  const tokenRows = (
    backend: unknown,
    program: WgslProgram,
    x: Info,
    tokens: Info,
    a: TokenRowsAttrs,
    shape: number[],
  ) => {
    const n = size(shape);
    const d = shape[shape.length - 1];
    return recordProgram(
      backend,
      program,
      [x, tokens],
      [{ shape, dtype: 'float32' }],
      tokenRowsUniforms(tokens, a, d, n),
      n,
    )[0];
  };
  reg(TOKEN_ROWS_KERNEL, ({ inputs, backend, attrs }) => {
    const { table, tokens } = inputs as Record<string, Info>;
    const a = attrs as unknown as TokenRowsAttrs;
    return tokenRows(backend, TOKEN_ROWS, table, tokens, a, [
      table.shape[0],
      tokens.shape[1],
      a.positions.length,
      table.shape[2],
    ]);
  });
  reg(TOKEN_ROWS_GRAD_KERNEL, ({ inputs, backend, attrs }) => {
    const { dy, tokens } = inputs as Record<string, Info>;
    const a = attrs as unknown as TokenRowsAttrs & { rows: number };
    return tokenRows(backend, TOKEN_ROWS_GRAD, dy, tokens, a, [dy.shape[0], a.rows, dy.shape[3]]);
  });
  reg(ADAMW_KERNEL, ({ inputs, backend, attrs }) => {
    const { p, g, m, v, alive } = inputs as Record<string, Info | undefined>;
    const a = attrs as unknown as AdamWAttrs;
    const n = size(p!.shape);
    const ins = [p!, g!, m!, v!, ...(alive ? [alive] : [])];
    return recordProgram(
      backend,
      alive ? ADAMW_ALIVE : ADAMW,
      ins,
      [p!, m!, v!].map((t) => ({ shape: t.shape, dtype: 'float32' as const })),
      [...u32s(n, alive ? n / alive.shape[0] : n), ...f32s(...adamwConstants(a, a.step))],
      n,
    );
  });
}
