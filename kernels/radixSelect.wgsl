// Lower median (element ⌊(n−1)/2⌋ of the sorted values, method.md §3) of many segments at once, by radix
// select on the float bits: four passes of one 8-bit digit each, most significant first. A pass counts
// the digits of the elements that match the digits chosen so far ('histogram', many workgroups per
// segment) and then picks the digit holding the wanted rank ('choose', one workgroup per segment).
// Keys map float bits to unsigned integers that order like the floats: negatives flipped, positives
// with the sign bit set.

struct Segment {
  offset: u32,
  length: u32,
  pad0: u32,
  pad1: u32,
}

struct Pass {
  shift: u32,     // bit position of this pass's digit: 24, 16, 8, 0
  highMask: u32,  // the digits already chosen (0 in the first pass)
  first: u32,
  last: u32,
}

const WG: u32 = 256u;
const CHUNK: u32 = 4096u;

@group(0) @binding(0) var<storage, read> work: array<u32>;
@group(0) @binding(1) var<storage, read> segments: array<Segment>;
@group(0) @binding(2) var<storage, read_write> hist: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> state: array<vec2<u32>>;
@group(0) @binding(4) var<uniform> cfg: Pass;
@group(0) @binding(5) var<storage, read_write> medians: array<u32>;

var<workgroup> local: array<atomic<u32>, WG>;
var<workgroup> counts: array<u32, WG>;

fn key(bits: u32) -> u32 {
  return select(bits | 0x80000000u, ~bits, (bits & 0x80000000u) != 0u);
}

// Dispatch (chunks of the longest segment, segments).
@compute @workgroup_size(WG)
fn histogram(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let g = wid.y;
  let seg = segments[g];
  atomicStore(&local[t], 0u);
  workgroupBarrier();
  var prefix = 0u;
  if (cfg.first == 0u) {
    prefix = state[g].x;
  }
  let start = wid.x * CHUNK;
  let end = min(start + CHUNK, seg.length);
  for (var i = start + t; i < end; i += WG) {
    let k = key(work[seg.offset + i]);
    if ((k & cfg.highMask) == prefix) {
      atomicAdd(&local[(k >> cfg.shift) & 255u], 1u);
    }
  }
  workgroupBarrier();
  let c = atomicLoad(&local[t]);
  if (c > 0u) {
    atomicAdd(&hist[g * WG + t], c);
  }
}

// Dispatch (segments). Leaves the histogram zeroed for the next pass.
@compute @workgroup_size(WG)
fn choose(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let g = wid.x;
  counts[t] = atomicLoad(&hist[g * WG + t]);
  atomicStore(&hist[g * WG + t], 0u);
  workgroupBarrier();
  if (t == 0u) {
    var prefix = 0u;
    var rank = (segments[g].length - 1u) / 2u;
    if (cfg.first == 0u) {
      let s = state[g];
      prefix = s.x;
      rank = s.y;
    }
    var below = 0u;
    var digit = 255u;
    for (var b = 0u; b < WG; b++) {
      let c = counts[b];
      if (rank < below + c) {
        digit = b;
        break;
      }
      below += c;
    }
    prefix = prefix | (digit << cfg.shift);
    state[g] = vec2<u32>(prefix, rank - below);
    if (cfg.last != 0u) {
      // Back from key to float bits.
      medians[g] = select(~prefix, prefix & 0x7fffffffu, (prefix & 0x80000000u) != 0u);
    }
  }
}
