// Fills a buffer with one bit pattern: outputs are poisoned with NaN before every dispatch, so an
// element a kernel fails to write shows up as NaN instead of a plausible stale number.

struct Params {
  count: u32,
  pattern: u32,
  perRow: u32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read_write> buf: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * params.perRow;
  if (i < params.count) {
    buf[i] = params.pattern;
  }
}
