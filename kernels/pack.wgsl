// Copies one parameter tensor [S, count, rows, cols] (as tfjs holds it, row-major) into each seed's
// block of 'work', every matrix as a tall column-major block: a tall matrix (rows > cols) is
// transposed, a wide or square one is copied as it is (its row-major layout is its transpose's
// column-major one). Biases are rows = 1. Bits are copied untouched, NaN payloads included.

struct Params {
  total: u32,      // S · perSeed
  perSeed: u32,    // count · rows · cols
  rows: u32,
  cols: u32,
  dstOffset: u32,  // where this parameter starts inside a seed's block
  seedStride: u32, // elements per seed's block
  transpose: u32,
  perRow: u32,     // invocations per row of the dispatch grid
}

@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> work: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let idx = gid.x + gid.y * params.perRow;
  if (idx >= params.total) {
    return;
  }
  let s = idx / params.perSeed;
  let r = idx % params.perSeed;
  let size = params.rows * params.cols;
  let mat = r / size;
  let e = r % size;
  var at = e;
  if (params.transpose != 0u) {
    at = (e % params.cols) * params.rows + e / params.cols;
  }
  work[s * params.seedStride + params.dstOffset + mat * size + at] = src[idx];
}
