// Per-segment sums for the weight metrics, one workgroup per segment. A segment is one matrix (tall
// column-major M×N block, so its diagonal is element i·M + i for i < N) or one seed's concatenated
// biases (no diagonal). For each it writes, as raw bits, 8 values:
//   0 Σ|x|   1 Σ(x·2^-s)² with 2^s ≈ max|x| (so the Frobenius norm neither under- nor overflows)
//   2 Σx     3 Σ(x − mean)² (centred on the segment's own mean; seeds combine them exactly, Chan et al.)
//   4 trace  5 max|x| as bits (≥ 0x7f800000 means a non-finite entry)   6 s (the exponent, as i32 bits)   7 unused

struct Segment {
  offset: u32,
  length: u32,
  rows: u32,      // M: the stride between columns of the block
  diagonal: u32,  // N for a matrix, 0 for biases
}

struct Params {
  count: u32,
  perRow: u32,
  pad0: u32,
  pad1: u32,
}

const WG: u32 = 256u;
const EXP_MASK: u32 = 0x7f800000u;

@group(0) @binding(0) var<storage, read> work: array<f32>;
@group(0) @binding(1) var<storage, read> segments: array<Segment>;
@group(0) @binding(2) var<storage, read_write> stats: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> red: array<vec4<f32>, WG>;
var<workgroup> red16: array<vec4<f32>, 16>;
var<workgroup> total: vec4<f32>;
var<workgroup> maxBits: atomic<u32>;
var<workgroup> flag: u32;

fn reduceSum4(t: u32, x: vec4<f32>) -> vec4<f32> {
  red[t] = x;
  workgroupBarrier();
  if (t < 16u) {
    var s = vec4<f32>(0.0);
    for (var i = 0u; i < 16u; i++) {
      s += red[t * 16u + i];
    }
    red16[t] = s;
  }
  workgroupBarrier();
  if (t == 0u) {
    var s = vec4<f32>(0.0);
    for (var i = 0u; i < 16u; i++) {
      s += red16[i];
    }
    total = s;
  }
  return workgroupUniformLoad(&total);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let index = wid.x + wid.y * params.perRow;
  if (index >= params.count) {
    return;
  }
  let seg = segments[index];

  if (t == 0u) {
    atomicStore(&maxBits, 0u);
  }
  workgroupBarrier();
  var localMax = 0u;
  var absSum = 0.0;
  var sum = 0.0;
  for (var i = t; i < seg.length; i += WG) {
    let x = work[seg.offset + i];
    localMax = max(localMax, bitcast<u32>(x) & 0x7fffffffu);
    absSum += abs(x);
    sum += x;
  }
  atomicMax(&maxBits, localMax);
  workgroupBarrier();
  if (t == 0u) {
    flag = atomicLoad(&maxBits);
  }
  let mb = workgroupUniformLoad(&flag);
  let first = reduceSum4(t, vec4<f32>(absSum, sum, 0.0, 0.0));
  let mean = first.y / f32(seg.length);

  // A non-finite entry makes every value below meaningless; the finalize step reads bits 5 first.
  var e = 0i;
  if (mb < EXP_MASK && mb > 0u) {
    e = clamp(frexp(bitcast<f32>(mb)).exp, -126i, 126i);
  }
  let scale = ldexp(1.0, -e);
  var sq = 0.0;
  var m2 = 0.0;
  for (var i = t; i < seg.length; i += WG) {
    let x = work[seg.offset + i];
    let xs = x * scale;
    sq += xs * xs;
    let d = x - mean;
    m2 += d * d;
  }
  var tr = 0.0;
  for (var i = t; i < seg.diagonal; i += WG) {
    tr += work[seg.offset + i * seg.rows + i];
  }
  let second = reduceSum4(t, vec4<f32>(sq, m2, tr, 0.0));
  if (t == 0u) {
    let o = index * 8u;
    stats[o] = bitcast<u32>(first.x);
    stats[o + 1u] = bitcast<u32>(second.x);
    stats[o + 2u] = bitcast<u32>(first.y);
    stats[o + 3u] = bitcast<u32>(second.y);
    stats[o + 4u] = bitcast<u32>(second.z);
    stats[o + 5u] = mb;
    stats[o + 6u] = bitcast<u32>(e);
    stats[o + 7u] = 0u;
  }
}
