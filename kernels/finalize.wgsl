// The 14 metrics of method.md §3 for each seed, from the per-segment sums (stats.wgsl), the per-matrix
// singular-value summaries (svd.wgsl) and the medians (radixSelect.wgsl); one invocation per seed.
// Order: l1, l2, l1_over_l2, weight_mean, weight_median, weight_var, bias_mean, bias_median, bias_var,
// trace, spectral, trace_over_spectral, sv_mean, sv_var. Written as raw bits.
//
// Non-finite handling mirrors src/metrics/weightMetrics.ts exactly, with explicit bit patterns (a GPU
// may assume its arithmetic never meets NaN or infinity): a matrix with a non-finite entry makes the
// per-matrix means NaN (sv_var too if it has more than one singular value) and the weight statistics
// NaN; a non-finite bias makes the bias statistics NaN; a ratio with a zero denominator is NaN for
// 0/0 and ±infinity otherwise, and means over such ratios follow IEEE addition.

struct Params {
  seeds: u32,
  matrices: u32,  // K, matrices per seed
  weights: u32,   // W, weight entries per seed
  biases: u32,    // B, bias entries per seed
}

@group(0) @binding(0) var<storage, read> stats: array<u32>;
@group(0) @binding(1) var<storage, read> svStats: array<u32>;
@group(0) @binding(2) var<storage, read> medians: array<u32>;
@group(0) @binding(3) var<storage, read> shapes: array<vec2<u32>>; // per matrix: entries, singular values
@group(0) @binding(4) var<storage, read_write> out: array<u32>;
@group(0) @binding(5) var<uniform> params: Params;

const NAN_BITS: u32 = 0x7fc00000u;
const POS_INF: u32 = 0x7f800000u;
const NEG_INF: u32 = 0xff800000u;

// A mean of terms that may be 0/0 or x/0: the finite sum and which specials were met.
struct Ratios {
  sum: f32,
  nan: bool,
  pos: bool,
  neg: bool,
}

fn addRatio(acc: ptr<function, Ratios>, num: f32, den: f32) {
  if (den == 0.0) {
    if (num == 0.0) {
      (*acc).nan = true;
    } else if (num > 0.0) {
      (*acc).pos = true;
    } else {
      (*acc).neg = true;
    }
  } else {
    (*acc).sum += num / den;
  }
}

fn meanOfRatios(acc: Ratios, k: f32) -> u32 {
  if (acc.nan || (acc.pos && acc.neg)) {
    return NAN_BITS;
  }
  if (acc.pos) {
    return POS_INF;
  }
  if (acc.neg) {
    return NEG_INF;
  }
  return bitcast<u32>(acc.sum / k);
}

fn f(bits: u32) -> f32 {
  return bitcast<f32>(bits);
}

fn finite(maxBits: u32) -> bool {
  return maxBits < POS_INF;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = gid.x;
  if (s >= params.seeds) {
    return;
  }
  let K = params.matrices;
  let segBase = s * (K + 1u);
  var l1 = 0.0;
  var l2 = 0.0;
  var trace = 0.0;
  var spectral = 0.0;
  var svMean = 0.0;
  var svVar = 0.0;
  var svVarCount = 0u;
  var l1OverL2 = Ratios(0.0, false, false, false);
  var traceOverSpectral = Ratios(0.0, false, false, false);
  var weightSum = 0.0;
  var allFinite = true;
  var svVarNan = false;
  for (var k = 0u; k < K; k++) {
    let o = (segBase + k) * 8u;
    let nSv = shapes[k].y;
    if (nSv > 1u) {
      svVarCount += 1u;
    }
    if (!finite(stats[o + 5u])) {
      allFinite = false;
      if (nSv > 1u) {
        svVarNan = true;
      }
      continue;
    }
    let abs = f(stats[o]);
    // Frobenius norm from the scaled sum of squares: sqrt(Σ(x·2^-e)²)·2^e.
    let frob = sqrt(f(stats[o + 1u])) * ldexp(1.0, bitcast<i32>(stats[o + 6u]));
    let tr = f(stats[o + 4u]);
    let so = (s * K + k) * 4u;
    let top = f(svStats[so]);
    l1 += abs;
    l2 += frob;
    addRatio(&l1OverL2, abs, frob);
    trace += tr;
    spectral += top;
    addRatio(&traceOverSpectral, tr, top);
    svMean += f(svStats[so + 1u]);
    if (nSv > 1u) {
      svVar += f(svStats[so + 2u]);
    }
    weightSum += f(stats[o + 2u]);
  }
  let kf = f32(K);
  let r = s * 14u;
  if (allFinite) {
    out[r] = bitcast<u32>(l1 / kf);
    out[r + 1u] = bitcast<u32>(l2 / kf);
    out[r + 2u] = meanOfRatios(l1OverL2, kf);
    out[r + 9u] = bitcast<u32>(trace / kf);
    out[r + 10u] = bitcast<u32>(spectral / kf);
    out[r + 11u] = meanOfRatios(traceOverSpectral, kf);
    out[r + 12u] = bitcast<u32>(svMean / kf);
    // Weight mean and sample variance over all entries: per-matrix centred sums, combined (Chan et al.).
    let n = f32(params.weights);
    let mean = weightSum / n;
    var m2 = 0.0;
    for (var k = 0u; k < K; k++) {
      let o = (segBase + k) * 8u;
      let nk = f32(shapes[k].x);
      let d = f(stats[o + 2u]) / nk - mean;
      m2 += f(stats[o + 3u]) + nk * d * d;
    }
    out[r + 3u] = bitcast<u32>(mean);
    out[r + 4u] = medians[2u * s];
    out[r + 5u] = select(NAN_BITS, bitcast<u32>(m2 / (n - 1.0)), params.weights > 1u);
  } else {
    for (var i = 0u; i < 6u; i++) {
      out[r + i] = NAN_BITS;
    }
    for (var i = 9u; i < 13u; i++) {
      out[r + i] = NAN_BITS;
    }
  }
  if (svVarNan || svVarCount == 0u) {
    out[r + 13u] = NAN_BITS;
  } else {
    out[r + 13u] = bitcast<u32>(svVar / f32(svVarCount));
  }
  let b = (segBase + K) * 8u;
  if (finite(stats[b + 5u])) {
    let nb = f32(params.biases);
    out[r + 6u] = bitcast<u32>(f(stats[b + 2u]) / nb);
    out[r + 7u] = medians[2u * s + 1u];
    out[r + 8u] = select(NAN_BITS, bitcast<u32>(f(stats[b + 3u]) / (nb - 1.0)), params.biases > 1u);
  } else {
    out[r + 6u] = NAN_BITS;
    out[r + 7u] = NAN_BITS;
    out[r + 8u] = NAN_BITS;
  }
}
