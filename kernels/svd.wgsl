// Singular values of a batch of matrices, one workgroup per matrix (kernels/README.md).
//
// Each matrix sits in 'work' as a tall column-major M×N block (M ≥ N; a wide matrix is stored as its
// transpose, which has the same singular values). The workgroup
//   1. scales the block by a power of two (exact) so its largest entry lies in [0.5, 1),
//   2. reduces it to upper bidiagonal form with Householder reflections from the left and the right,
//   3. finds every singular value of the bidiagonal by bisection on its Golub–Kahan tridiagonal
//      (zero diagonal, off-diagonals d0, e0, d1, e1, …), one invocation per value,
// and writes the values (descending, below 1e-5 set to 0 as method.md §3) and the matrix's largest value,
// mean and sample variance of them. The block is overwritten.
//
// Outputs are written as raw bits (array<u32>) so that a NaN for a non-finite matrix is an explicit
// bit pattern rather than the result of arithmetic a GPU may assume never happens.

const WG: u32 = 256u;
const MAX_M: u32 = 1024u;
const MAX_N: u32 = 256u;
const FLOOR: f32 = 1e-5;
// Pivots of the Sturm recurrence smaller than this are replaced by −PIVMIN. The tridiagonal is scaled
// to norm ≤ 1 first, so b²/PIVMIN ≤ 1e36 stays finite (LAPACK's pivmin with float32 headroom).
const PIVMIN: f32 = 1e-36;
const NAN_BITS: u32 = 0x7fc00000u;
const EXP_MASK: u32 = 0x7f800000u;

struct Member {
  work: u32,   // first element of the block in 'work'
  sv: u32,     // first of its N values in 'sv'
  stats: u32,  // first of its 3 values in 'svStats'
  M: u32,      // rows of the block (the longer side), ≤ MAX_M
  N: u32,      // columns (the shorter side), N ≤ M, N ≤ MAX_N
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

struct Params {
  count: u32,  // matrices in this dispatch
  perRow: u32, // workgroups per row of the dispatch grid
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<storage, read_write> work: array<f32>;
@group(0) @binding(1) var<storage, read> members: array<Member>;
@group(0) @binding(2) var<storage, read_write> sv: array<u32>;
@group(0) @binding(3) var<storage, read_write> svStats: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> colv: array<f32, MAX_M>; // the left Householder vector (column k, rows k..M-1)
var<workgroup> rowu: array<f32, MAX_N>; // the right Householder vector (row k, columns k+1..N-1)
var<workgroup> part: array<f32, WG>;
var<workgroup> red: array<f32, WG>;
var<workgroup> red16: array<f32, 16>;
var<workgroup> diag2: array<f32, MAX_N>; // d_i, then (d_i / bound)²
var<workgroup> sup2: array<f32, MAX_N>;  // e_i, then (e_i / bound)²
var<workgroup> maxBits: atomic<u32>;
var<workgroup> flag: u32;
var<workgroup> shapeM: u32;
var<workgroup> shapeN: u32;

// Sum of one value per invocation, returned to all: two levels of 16, two barriers (every invocation
// adds the 16 partial sums in the same order, so all get the same bits). The callers keep barriers
// out of branches on the result, so it need not be uniform in WGSL's sense.
fn reduceSum(t: u32, x: f32) -> f32 {
  red[t] = x;
  workgroupBarrier();
  if (t < 16u) {
    var s = 0.0;
    for (var i = 0u; i < 16u; i++) {
      s += red[t * 16u + i];
    }
    red16[t] = s;
  }
  workgroupBarrier();
  var s = 0.0;
  for (var i = 0u; i < 16u; i++) {
    s += red16[i];
  }
  return s;
}

// Invocations that share one column's dot product: the largest power of two ≤ WG / cols, but at least
// 8 (consecutive lanes read 32 consecutive bytes of a column, one memory sector) and at most 64.
fn lanesFor(cols: u32) -> u32 {
  var lanes = 8u;
  while (lanes * 2u * cols <= WG && lanes < 64u) {
    lanes *= 2u;
  }
  return lanes;
}

// Number of eigenvalues of the scaled Golub–Kahan tridiagonal below x (> 0); equals N plus the number
// of singular values below x.
fn countBelow(x: f32, N: u32) -> u32 {
  var count = 1u; // the first pivot is −x < 0
  var q = -x;
  for (var i = 0u; i < N; i++) {
    q = -x - diag2[i] / q;
    if (abs(q) < PIVMIN) {
      q = -PIVMIN;
    }
    if (q < 0.0) {
      count += 1u;
    }
    if (i + 1u < N) {
      q = -x - sup2[i] / q;
      if (abs(q) < PIVMIN) {
        q = -PIVMIN;
      }
      if (q < 0.0) {
        count += 1u;
      }
    }
  }
  return count;
}

fn writeSpecial(t: u32, mem: Member, N: u32, value: u32) {
  for (var i = t; i < N; i += WG) {
    sv[mem.sv + i] = value;
  }
  if (t == 0u) {
    svStats[mem.stats] = value;
    svStats[mem.stats + 1u] = value;
    svStats[mem.stats + 2u] = value;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let index = wid.x + wid.y * params.perRow;
  if (index >= params.count) {
    return;
  }
  let mem = members[index];
  let base = mem.work;
  // Through workgroup memory so that WGSL knows the loop bounds are uniform (barriers sit in the loops).
  if (t == 0u) {
    shapeM = mem.M;
    shapeN = mem.N;
  }
  let M = workgroupUniformLoad(&shapeM);
  let N = workgroupUniformLoad(&shapeN);

  // 1. Exact power-of-two scaling, and the finiteness test, from the largest |entry| as bits
  //    (for non-negative floats the bit patterns order like the values; Inf and NaN sort above).
  if (t == 0u) {
    atomicStore(&maxBits, 0u);
  }
  workgroupBarrier();
  var localMax = 0u;
  for (var i = t; i < M * N; i += WG) {
    localMax = max(localMax, bitcast<u32>(work[base + i]) & 0x7fffffffu);
  }
  atomicMax(&maxBits, localMax);
  workgroupBarrier();
  if (t == 0u) {
    flag = atomicLoad(&maxBits);
  }
  let mb = workgroupUniformLoad(&flag);
  if (mb >= EXP_MASK) {
    writeSpecial(t, mem, N, NAN_BITS);
    return;
  }
  // σ_max ≤ ‖A‖_F ≤ max|a|·sqrt(MN): when that is below the floor every value counts as 0 (this also
  // keeps the scaling below away from overflow for entries under ~1e-30).
  if (bitcast<f32>(mb) * sqrt(f32(M * N)) < FLOOR) {
    writeSpecial(t, mem, N, 0u);
    return;
  }
  let e = frexp(bitcast<f32>(mb)).exp;
  let scale = ldexp(1.0, -e);
  let unscale = ldexp(1.0, e);
  for (var i = t; i < M * N; i += WG) {
    work[base + i] = work[base + i] * scale;
  }
  storageBarrier();

  // 2. Householder bidiagonalization: A = U·B·Vᵀ with B upper bidiagonal (d on the diagonal, e above).
  //    A zero column or row gives a zero coefficient, so the same (uniform) steps run as no-ops.
  //    Only storage barriers between the steps: every workgroup-memory hazard across them is already
  //    separated by the barriers inside reduceSum.
  for (var k = 0u; k < N; k++) {
    // Left reflector H = I − β·v·vᵀ zeroes column k below the diagonal.
    var ss = 0.0;
    for (var i = k + t; i < M; i += WG) {
      let x = work[base + k * M + i];
      colv[i] = x;
      ss += x * x;
    }
    let alpha = sqrt(reduceSum(t, ss));
    let x0 = colv[k];
    let dk = select(alpha, -alpha, x0 >= 0.0);
    let beta = select(0.0, 1.0 / (alpha * (alpha + abs(x0))), alpha > 0.0);
    let v0 = x0 - dk;
    if (t == 0u) {
      diag2[k] = dk;
    }
    // 'lanes' invocations share each column j > k: w_j = vᵀ·A[:, j], then A[:, j] −= β·w_j·v.
    let lanes = lanesFor(max(N - k - 1u, 1u));
    let lane = t % lanes;
    let grp = t / lanes;
    let groups = WG / lanes;
    for (var j0 = k + 1u; j0 < N; j0 += groups) {
      let j = j0 + grp;
      var s = 0.0;
      if (j < N) {
        for (var i = k + lane; i < M; i += lanes) {
          s += select(colv[i], v0, i == k) * work[base + j * M + i];
        }
      }
      part[t] = s;
      workgroupBarrier();
      var w = 0.0;
      for (var l = 0u; l < lanes; l++) {
        w += part[grp * lanes + l];
      }
      if (j < N) {
        let bw = beta * w;
        for (var i = k + lane; i < M; i += lanes) {
          let at = base + j * M + i;
          work[at] = work[at] - bw * select(colv[i], v0, i == k);
        }
      }
      if (j0 + groups < N) {
        workgroupBarrier();
      }
    }
    storageBarrier();

    // Right reflector G = I − γ·u·uᵀ zeroes row k beyond the superdiagonal.
    if (k + 2u == N) {
      if (t == 0u) {
        sup2[k] = work[base + (k + 1u) * M + k];
      }
    } else if (k + 2u < N) {
      var rs = 0.0;
      for (var j = k + 1u + t; j < N; j += WG) {
        let y = work[base + j * M + k];
        rowu[j] = y;
        rs += y * y;
      }
      let b = sqrt(reduceSum(t, rs));
      let y0 = rowu[k + 1u];
      let ek = select(b, -b, y0 >= 0.0);
      let gamma = select(0.0, 1.0 / (b * (b + abs(y0))), b > 0.0);
      let u0 = y0 - ek;
      if (t == 0u) {
        sup2[k] = ek;
      }
      if (b > 0.0) {
        // Each invocation owns whole rows i > k: z_i = A[i, :]·u, then A[i, :] −= γ·z_i·uᵀ.
        for (var i = k + 1u + t; i < M; i += WG) {
          var z = 0.0;
          for (var j = k + 1u; j < N; j++) {
            z += work[base + j * M + i] * select(rowu[j], u0, j == k + 1u);
          }
          let gz = gamma * z;
          for (var j = k + 1u; j < N; j++) {
            let at = base + j * M + i;
            work[at] = work[at] - gz * select(rowu[j], u0, j == k + 1u);
          }
        }
      }
    }
    storageBarrier();
  }
  workgroupBarrier();

  // 3. Bisection. Gershgorin bound of the tridiagonal: max_i |d_i| + max(|e_{i−1}|, |e_i|).
  var bound = 0.0;
  for (var i = 0u; i < N; i++) {
    let left = select(0.0, abs(sup2[max(i, 1u) - 1u]), i > 0u);
    let right = select(0.0, abs(sup2[i]), i + 1u < N);
    bound = max(bound, abs(diag2[i]) + max(left, right));
  }
  workgroupBarrier();
  // bound > 0 here: a nonzero matrix has a nonzero bidiagonal.
  let inv = 1.0 / bound;
  for (var i = t; i < N; i += WG) {
    let d = diag2[i] * inv;
    diag2[i] = d * d;
    let s = select(0.0, sup2[i] * inv, i + 1u < N);
    sup2[i] = s * s;
  }
  workgroupBarrier();

  var sigma = 0.0;
  if (t < N) {
    // Invariant: at least N − t values lie below hi, fewer below lo; the value is the t-th largest.
    var lo = 0.0;
    var hi = 1.0 + 1e-6;
    let need = 2u * N - t;
    // Full float32 precision for the large values, 2^-36 of the norm for the small ones.
    for (var it = 0u; it < 64u; it++) {
      let mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi || hi - lo <= 5.96e-8 * hi + 1.46e-11) {
        break;
      }
      if (countBelow(mid, N) >= need) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    sigma = 0.5 * (lo + hi) * bound * unscale;
    if (sigma < FLOOR) {
      sigma = 0.0;
    }
    sv[mem.sv + t] = bitcast<u32>(sigma);
  }
  let mean = reduceSum(t, sigma) / f32(N);
  let dev = select(0.0, sigma - mean, t < N);
  let m2 = reduceSum(t, dev * dev);
  if (t == 0u) {
    svStats[mem.stats] = bitcast<u32>(sigma);
    svStats[mem.stats + 1u] = bitcast<u32>(mean);
    // One value has no sample variance; the metrics leave such matrices out of sv_var.
    svStats[mem.stats + 2u] = select(bitcast<u32>(m2 / f32(N - 1u)), 0u, N == 1u);
  }
}
