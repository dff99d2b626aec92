;; WebAssembly SIMD (f64x2) kernels for the Gaussian HMM E-step.
;;
;; Source of kernelsWasm.ts: regenerate with `npx tsx scripts/build-simd.ts` (wabt's wat2wasm).
;; Keep the module under 4096 bytes: Chromium refuses to compile larger ones synchronously on a
;; page's main thread (the build script warns).
;;
;; Every kernel performs, lane by lane, exactly the float64 operations of the JavaScript version it
;; replaces (src/analysis/hmm/gaussian.ts, forwardBackward.ts, estep.ts) in the same order, and never
;; fuses a multiply with an add, so results are bit-for-bit identical to the JS loops. SIMD lanes run
;; over rows (densities), over pairs of adjacent features (moments) or of adjacent states
;; (forward–backward), never across a sum; sums across lanes are done lane by lane, in JS order.
;;
;; All pointers are byte offsets into the exported memory, laid out by simdKernels.ts:
;;   xT    feature-major copy of the data, D rows of `np` doubles (np ≥ N + 8, zero padded)
;;   x     row-major copy of the data with an even row stride dp = D + (D & 1), zero padded
;;   v128 accesses are 16-byte aligned except densities' loads from xT at odd rows (unaligned loads
;;   are legal and cheap).
(module
  (memory (export "memory") 1)

  ;; out[t·K + s] = logNorm[s] − ½‖L_s⁻¹(x_{row0+t} − μ_s)‖² for t < count, every state s.
  ;; means K×D, ichol K×D×D (row-major L⁻¹), lnorm K, out count×K, diff scratch of 8·D doubles.
  ;; Rows are taken eight at a time (four f64x2 accumulators); the last, partial block computes on
  ;; the padding rows after it and writes only the real ones.
  (func (export "densities")
    (param $xT i32) (param $np i32) (param $d i32) (param $k i32)
    (param $means i32) (param $ichol i32) (param $lnorm i32)
    (param $row0 i32) (param $count i32) (param $out i32) (param $diff i32)
    (local $s i32) (local $t i32) (local $j i32) (local $i i32)
    (local $np8 i32) (local $d8 i32) (local $k8 i32) (local $dd8 i32)
    (local $mp i32) (local $rowp i32) (local $lp i32) (local $lend i32) (local $dp i32)
    (local $src i32) (local $dst i32) (local $op i32) (local $rem i32)
    (local $norm v128) (local $half v128) (local $m v128) (local $l v128)
    (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local.set $np8 (i32.shl (local.get $np) (i32.const 3)))
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (local.set $dd8 (i32.mul (local.get $d8) (local.get $d)))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    (if (i32.le_s (local.get $count) (i32.const 0)) (then (return)))
    (local.set $s (i32.const 0))
    (loop $states
      (local.set $norm (v128.load64_splat (i32.add (local.get $lnorm) (i32.shl (local.get $s) (i32.const 3)))))
      (local.set $t (i32.const 0))
      (loop $blocks
        ;; diff[j][u] = x[row0 + t + u][j] − μ_s[j], u = 0..7
        (local.set $src (i32.add (local.get $xT) (i32.shl (i32.add (local.get $row0) (local.get $t)) (i32.const 3))))
        (local.set $dst (local.get $diff))
        (local.set $mp (i32.add (local.get $means) (i32.mul (local.get $s) (local.get $d8))))
        (local.set $j (i32.const 0))
        (loop $cols
          (local.set $m (v128.load64_splat (local.get $mp)))
          (v128.store offset=0 (local.get $dst) (f64x2.sub (v128.load offset=0 align=8 (local.get $src)) (local.get $m)))
          (v128.store offset=16 (local.get $dst) (f64x2.sub (v128.load offset=16 align=8 (local.get $src)) (local.get $m)))
          (v128.store offset=32 (local.get $dst) (f64x2.sub (v128.load offset=32 align=8 (local.get $src)) (local.get $m)))
          (v128.store offset=48 (local.get $dst) (f64x2.sub (v128.load offset=48 align=8 (local.get $src)) (local.get $m)))
          (local.set $src (i32.add (local.get $src) (local.get $np8)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
          (local.set $mp (i32.add (local.get $mp) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $d))))
        ;; q = Σ_i (Σ_{j≤i} L⁻¹_ij diff_j)²
        (local.set $q0 (v128.const f64x2 0 0))
        (local.set $q1 (v128.const f64x2 0 0))
        (local.set $q2 (v128.const f64x2 0 0))
        (local.set $q3 (v128.const f64x2 0 0))
        (local.set $rowp (i32.add (local.get $ichol) (i32.mul (local.get $s) (local.get $dd8))))
        (local.set $lend (i32.add (local.get $rowp) (i32.const 8)))
        (local.set $i (i32.const 0))
        (loop $rows
          (local.set $z0 (v128.const f64x2 0 0))
          (local.set $z1 (v128.const f64x2 0 0))
          (local.set $z2 (v128.const f64x2 0 0))
          (local.set $z3 (v128.const f64x2 0 0))
          (local.set $lp (local.get $rowp))
          (local.set $dp (local.get $diff))
          (loop $dot
            (local.set $l (v128.load64_splat (local.get $lp)))
            (local.set $z0 (f64x2.add (local.get $z0) (f64x2.mul (local.get $l) (v128.load offset=0 (local.get $dp)))))
            (local.set $z1 (f64x2.add (local.get $z1) (f64x2.mul (local.get $l) (v128.load offset=16 (local.get $dp)))))
            (local.set $z2 (f64x2.add (local.get $z2) (f64x2.mul (local.get $l) (v128.load offset=32 (local.get $dp)))))
            (local.set $z3 (f64x2.add (local.get $z3) (f64x2.mul (local.get $l) (v128.load offset=48 (local.get $dp)))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 64)))
            (local.set $lp (i32.add (local.get $lp) (i32.const 8)))
            (br_if $dot (i32.lt_u (local.get $lp) (local.get $lend))))
          (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $z0) (local.get $z0))))
          (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $z1) (local.get $z1))))
          (local.set $q2 (f64x2.add (local.get $q2) (f64x2.mul (local.get $z2) (local.get $z2))))
          (local.set $q3 (f64x2.add (local.get $q3) (f64x2.mul (local.get $z3) (local.get $z3))))
          (local.set $rowp (i32.add (local.get $rowp) (local.get $d8)))
          (local.set $lend (i32.add (local.get $rowp) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $i) (local.get $d))))
        ;; out[(t + u)·K + s] = norm − 0.5·q_u
        (local.set $q0 (f64x2.sub (local.get $norm) (f64x2.mul (local.get $half) (local.get $q0))))
        (local.set $q1 (f64x2.sub (local.get $norm) (f64x2.mul (local.get $half) (local.get $q1))))
        (local.set $q2 (f64x2.sub (local.get $norm) (f64x2.mul (local.get $half) (local.get $q2))))
        (local.set $q3 (f64x2.sub (local.get $norm) (f64x2.mul (local.get $half) (local.get $q3))))
        (local.set $op (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $t) (local.get $k)) (local.get $s)) (i32.const 3))))
        ;; park the eight results in diff[0..7] (no longer needed) and copy out the real rows
        (v128.store offset=0 (local.get $diff) (local.get $q0))
        (v128.store offset=16 (local.get $diff) (local.get $q1))
        (v128.store offset=32 (local.get $diff) (local.get $q2))
        (v128.store offset=48 (local.get $diff) (local.get $q3))
        (local.set $rem (i32.sub (local.get $count) (local.get $t)))
        (if (i32.gt_s (local.get $rem) (i32.const 8)) (then (local.set $rem (i32.const 8))))
        (local.set $dp (local.get $diff))
        (local.set $lend (i32.add (local.get $diff) (i32.shl (local.get $rem) (i32.const 3))))
        (loop $copy
          (f64.store (local.get $op) (f64.load (local.get $dp)))
          (local.set $op (i32.add (local.get $op) (local.get $k8)))
          (local.set $dp (i32.add (local.get $dp) (i32.const 8)))
          (br_if $copy (i32.lt_u (local.get $dp) (local.get $lend))))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br_if $blocks (i32.lt_s (local.get $t) (local.get $count))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br_if $states (i32.lt_u (local.get $s) (local.get $k)))))

  ;; obs[s] += Σ_t γ_ts x_t and obsObs[s] += Σ_t γ_ts x_t x_tᵀ (lower triangle) for every state s.
  ;; gamma N×K, negl K (a 4-row block whose weight sum is ≤ negl[s] is skipped), obs K×dp (entries
  ;; a ≥ D scratch), oo K×D×dp (row a of state s at oo + (s·D + a)·dp·8; entries b ≤ a are the lower
  ;; triangle, the rest of each row is scratch), wx scratch of 4·dp doubles.
  ;; Rows are blocked by four from row 0 as in estep.ts; the last n mod 4 rows are added one by one.
  (func (export "moments")
    (param $x i32) (param $dp i32) (param $d i32) (param $n i32) (param $k i32)
    (param $gamma i32) (param $negl i32) (param $obs i32) (param $oo i32) (param $wx i32)
    (local $s i32) (local $t i32) (local $a i32)
    (local $dp8 i32) (local $dp16 i32) (local $dp24 i32) (local $k8 i32)
    (local $gp i32) (local $xr i32) (local $xa i32) (local $wp i32) (local $obp i32) (local $oop i32)
    (local $rowp i32) (local $bp i32) (local $bend i32) (local $xb i32) (local $n4 i32)
    (local $skip f64) (local $g0 f64) (local $g1 f64) (local $g2 f64) (local $g3 f64)
    (local $wa f64)
    (local $G0 v128) (local $G1 v128) (local $G2 v128) (local $G3 v128) (local $W0 v128) (local $W1 v128) (local $W2 v128) (local $W3 v128) (local $acc v128)
    (local.set $dp8 (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $dp16 (i32.shl (local.get $dp) (i32.const 4)))
    (local.set $dp24 (i32.mul (local.get $dp8) (i32.const 3)))
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $s (i32.const 0))
    (loop $states
      (local.set $skip (f64.load (i32.add (local.get $negl) (i32.shl (local.get $s) (i32.const 3)))))
      (local.set $obp (i32.add (local.get $obs) (i32.mul (local.get $s) (local.get $dp8))))
      (local.set $oop (i32.add (local.get $oo) (i32.mul (i32.mul (local.get $s) (local.get $d)) (local.get $dp8))))
      (local.set $t (i32.const 0))
      (block $blocksDone
        (loop $blocks
          (br_if $blocksDone (i32.ge_s (local.get $t) (local.get $n4)))
          (local.set $gp (i32.add (local.get $gamma)
            (i32.shl (i32.add (i32.mul (local.get $t) (local.get $k)) (local.get $s)) (i32.const 3))))
          (local.set $g0 (f64.load (local.get $gp)))
          (local.set $gp (i32.add (local.get $gp) (local.get $k8)))
          (local.set $g1 (f64.load (local.get $gp)))
          (local.set $gp (i32.add (local.get $gp) (local.get $k8)))
          (local.set $g2 (f64.load (local.get $gp)))
          (local.set $gp (i32.add (local.get $gp) (local.get $k8)))
          (local.set $g3 (f64.load (local.get $gp)))
          (local.set $xr (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $dp8))))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $blocks (f64.le
            (f64.add (f64.add (f64.add (local.get $g0) (local.get $g1)) (local.get $g2)) (local.get $g3))
            (local.get $skip)))
          ;; wx[u][a] = γ_u x_ua and obs[a] += ((wx0 + wx1) + wx2) + wx3, two a at a time
          (local.set $G0 (f64x2.splat (local.get $g0)))
          (local.set $G1 (f64x2.splat (local.get $g1)))
          (local.set $G2 (f64x2.splat (local.get $g2)))
          (local.set $G3 (f64x2.splat (local.get $g3)))
          (local.set $xa (local.get $xr))
          (local.set $wp (local.get $wx))
          (local.set $bp (local.get $obp))
          (local.set $xb (i32.add (local.get $xr) (local.get $dp8)))
          (loop $first
            (local.set $W0 (f64x2.mul (local.get $G0) (v128.load (local.get $xa))))
            (local.set $W1 (f64x2.mul (local.get $G1) (v128.load (i32.add (local.get $xa) (local.get $dp8)))))
            (local.set $W2 (f64x2.mul (local.get $G2) (v128.load (i32.add (local.get $xa) (local.get $dp16)))))
            (local.set $W3 (f64x2.mul (local.get $G3) (v128.load (i32.add (local.get $xa) (local.get $dp24)))))
            (v128.store (local.get $wp) (local.get $W0))
            (v128.store (i32.add (local.get $wp) (local.get $dp8)) (local.get $W1))
            (v128.store (i32.add (local.get $wp) (local.get $dp16)) (local.get $W2))
            (v128.store (i32.add (local.get $wp) (local.get $dp24)) (local.get $W3))
            (v128.store (local.get $bp) (f64x2.add (v128.load (local.get $bp))
              (f64x2.add (f64x2.add (f64x2.add (local.get $W0) (local.get $W1)) (local.get $W2)) (local.get $W3))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 16)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (br_if $first (i32.lt_u (local.get $xa) (local.get $xb))))
          ;; obsObs[a][b] += ((w0 x0b + w1 x1b) + w2 x2b) + w3 x3b for b ≤ a, two b at a time
          (local.set $wp (local.get $wx))
          (local.set $rowp (local.get $oop))
          (local.set $bend (i32.const 16))
          (local.set $a (i32.const 0))
          (loop $second
            (local.set $W0 (v128.load64_splat (local.get $wp)))
            (local.set $W1 (v128.load64_splat (i32.add (local.get $wp) (local.get $dp8))))
            (local.set $W2 (v128.load64_splat (i32.add (local.get $wp) (local.get $dp16))))
            (local.set $W3 (v128.load64_splat (i32.add (local.get $wp) (local.get $dp24))))
            (local.set $bp (local.get $rowp))
            (local.set $xb (local.get $xr))
            (local.set $xa (i32.add (local.get $xr) (local.get $bend)))
            (loop $pairs
              (local.set $acc (f64x2.mul (local.get $W0) (v128.load (local.get $xb))))
              (local.set $acc (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $W1) (v128.load (i32.add (local.get $xb) (local.get $dp8))))))
              (local.set $acc (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $W2) (v128.load (i32.add (local.get $xb) (local.get $dp16))))))
              (local.set $acc (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $W3) (v128.load (i32.add (local.get $xb) (local.get $dp24))))))
              (v128.store (local.get $bp) (f64x2.add (v128.load (local.get $bp)) (local.get $acc)))
              (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
              (local.set $xb (i32.add (local.get $xb) (i32.const 16)))
              (br_if $pairs (i32.lt_u (local.get $xb) (local.get $xa))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (local.set $rowp (i32.add (local.get $rowp) (local.get $dp8)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            ;; row a covers b = 0..a, i.e. ⌈(a + 1) / 2⌉ pairs
            (local.set $bend (i32.shl (i32.and (i32.add (local.get $a) (i32.const 2)) (i32.const -2)) (i32.const 3)))
            (br_if $second (i32.lt_u (local.get $a) (local.get $d))))
          (br $blocks)))
      ;; leftover rows, one at a time: wa = γ x_a; obs[a] += wa; obsObs[a][b] += wa x_b
      (block $tailDone
        (loop $tail
          (br_if $tailDone (i32.ge_s (local.get $t) (local.get $n)))
          (local.set $g0 (f64.load (i32.add (local.get $gamma)
            (i32.shl (i32.add (i32.mul (local.get $t) (local.get $k)) (local.get $s)) (i32.const 3)))))
          (local.set $xr (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $dp8))))
          (local.set $xa (local.get $xr))
          (local.set $bp (local.get $obp))
          (local.set $rowp (local.get $oop))
          (local.set $bend (i32.const 16))
          (local.set $a (i32.const 0))
          (loop $tailRows
            (local.set $wa (f64.mul (local.get $g0) (f64.load (local.get $xa))))
            (f64.store (local.get $bp) (f64.add (f64.load (local.get $bp)) (local.get $wa)))
            (local.set $W0 (f64x2.splat (local.get $wa)))
            (local.set $wp (local.get $rowp))
            (local.set $xb (local.get $xr))
            (local.set $gp (i32.add (local.get $xr) (local.get $bend)))
            (loop $tailPairs
              (v128.store (local.get $wp) (f64x2.add (v128.load (local.get $wp))
                (f64x2.mul (local.get $W0) (v128.load (local.get $xb)))))
              (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
              (local.set $xb (i32.add (local.get $xb) (i32.const 16)))
              (br_if $tailPairs (i32.lt_u (local.get $xb) (local.get $gp))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 8)))
            (local.set $rowp (i32.add (local.get $rowp) (local.get $dp8)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $bend (i32.shl (i32.and (i32.add (local.get $a) (i32.const 2)) (i32.const -2)) (i32.const 3)))
            (br_if $tailRows (i32.lt_u (local.get $a) (local.get $d))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tail)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br_if $states (i32.lt_u (local.get $s) (local.get $k)))))
;; e^x, a line-by-line port of V8's fdlibm-derived ieee754::exp (what Math.exp runs in Node and
  ;; Chromium), so the forward–backward below rescales exactly as the JS version does.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $xsb i32) (local $k i32)
    (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64) (local $twopk f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; non-finite, overflowing and underflowing arguments
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862e42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then
            (if (i32.or (i32.and (local.get $hx) (i32.const 0xfffff)) (i32.wrap_i64 (local.get $bits)))
              (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (local.get $x) (f64.const 0) (i32.eqz (local.get $xsb))))))
        (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp+9)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -0x1.74910d52d3051p+9)) (then (return (f64.const 0))))))
    ;; argument reduction: x = k ln2 + r, |r| ≤ ½ ln2, r = hi − lo
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3ff0a2b2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 0x1.5bf0a8b145769p+1))))
            (if (local.get $xsb)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 0x1.62e42fee00000p-1)))
                (local.set $lo (f64.const -0x1.a39ef35793c76p-33))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 0x1.62e42fee00000p-1)))
                (local.set $lo (f64.const 0x1.a39ef35793c76p-33))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add
              (f64.mul (f64.const 0x1.71547652b82fep+0) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 0x1.62e42fee00000p-1))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 0x1.a39ef35793c76p-33)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        ;; |x| < 2⁻²⁸: huge + x > 1 always holds, so fdlibm returns 1 + x
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $twopk (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u
      (i32.add (i32.const 0x3ff00000)
        (i32.shl (select (local.get $k) (i32.add (local.get $k) (i32.const 1000))
          (i32.ge_s (local.get $k) (i32.const -1021))) (i32.const 20)))) (i64.const 32))))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 0x1.555555555553ep-3) (f64.mul (local.get $t)
      (f64.add (f64.const -0x1.6c16c16bebd93p-9) (f64.mul (local.get $t)
      (f64.add (f64.const 0x1.1566aaf25de2cp-14) (f64.mul (local.get $t)
      (f64.add (f64.const -0x1.bbd41c5d26bf1p-20) (f64.mul (local.get $t) (f64.const 0x1.6376972bea4d0p-25))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
        (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p+1023)))))
        (return (f64.mul (local.get $y) (local.get $twopk)))))
    (f64.mul (f64.mul (local.get $y) (local.get $twopk)) (f64.const 0x1p-1000)))

  ;; γ_t(i) ∝ α_t(i) β_t(i): g[i] = a[i]·beta[i], then g[i] ·= 1/Σ g (as normalizeRowInto).
  (func $normalizeRow (param $a i32) (param $beta i32) (param $g i32) (param $k i32)
    (local $i i32) (local $s f64) (local $v f64) (local $inv f64)
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $v (f64.mul (f64.load (local.get $a)) (f64.load (local.get $beta))))
      (f64.store (local.get $g) (local.get $v))
      (local.set $s (f64.add (local.get $s) (local.get $v)))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $beta (i32.add (local.get $beta) (i32.const 8)))
      (local.set $g (i32.add (local.get $g) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $i) (local.get $k))))
    (local.set $inv (f64.div (f64.const 1) (local.get $s)))
    (loop $scale
      (local.set $g (i32.sub (local.get $g) (i32.const 8)))
      (f64.store (local.get $g) (f64.mul (f64.load (local.get $g)) (local.get $inv)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $scale (local.get $i))))

  ;; Scaled forward–backward of one sequence, as forwardBackward in forwardBackward.ts.
  ;; logB len×K (stride K); sp K; A and AT K×kp (A[i][j] and Aᵀ, columns kp > K zero); gamma len×K out;
  ;; xi K×K (stride K) incremented by Σ_t ξ_t unless xi = 0; b, alpha len×kp, scale len, beta and w kp,
  ;; xs K×kp: scratch. res[0] receives Σ_t max_i logB_t(i); the log-likelihood is
  ;; Σ_t log scale[t] + res[0], summed by the caller. Returns 1, having written nothing to gamma or
  ;; xi, where the JS version would fall back to log space (a row with no finite maximum, or a
  ;; forward normalizer that is not positive and finite).
  (func (export "forwardBackward")
    (param $logB i32) (param $len i32) (param $k i32) (param $kp i32)
    (param $sp i32) (param $A i32) (param $AT i32) (param $gamma i32) (param $xi i32)
    (param $b i32) (param $alpha i32) (param $scale i32) (param $beta i32) (param $w i32) (param $xs i32)
    (param $res i32) (result i32)
    (local $t i32) (local $i i32) (local $j i32) (local $k8 i32) (local $kp8 i32)
    (local $lrow i32) (local $brow i32) (local $prev i32) (local $cur i32) (local $ap i32) (local $mp i32)
    (local $end i32)
    (local $m f64) (local $v f64) (local $c f64) (local $shift f64) (local $inv f64)
    (local $sv v128) (local $iv v128)
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (local.set $kp8 (i32.shl (local.get $kp) (i32.const 3)))
    ;; b_t(i) = exp(logB_t(i) − max_j logB_t(j)); pad columns 0
    (local.set $lrow (local.get $logB))
    (local.set $brow (local.get $b))
    (local.set $t (i32.const 0))
    (loop $rows
      (local.set $m (f64.const -inf))
      (local.set $i (i32.const 0))
      (loop $max
        (local.set $v (f64.load (i32.add (local.get $lrow) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.gt (local.get $v) (local.get $m)) (then (local.set $m (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $max (i32.lt_u (local.get $i) (local.get $k))))
      (if (i32.eqz (f64.lt (f64.abs (local.get $m)) (f64.const inf))) (then (return (i32.const 1))))
      (local.set $shift (f64.add (local.get $shift) (local.get $m)))
      (local.set $i (i32.const 0))
      (loop $e
        (f64.store (i32.add (local.get $brow) (i32.shl (local.get $i) (i32.const 3)))
          (call $exp (f64.sub (f64.load (i32.add (local.get $lrow) (i32.shl (local.get $i) (i32.const 3)))) (local.get $m))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $e (i32.lt_u (local.get $i) (local.get $k))))
      (if (i32.ne (local.get $k) (local.get $kp))
        (then (f64.store (i32.add (local.get $brow) (local.get $k8)) (f64.const 0))))
      (local.set $lrow (i32.add (local.get $lrow) (local.get $k8)))
      (local.set $brow (i32.add (local.get $brow) (local.get $kp8)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $t) (local.get $len))))
    ;; forward, t = 0: α = π ∘ b, normalized by division
    (local.set $c (f64.const 0))
    (local.set $i (i32.const 0))
    (loop $init
      (local.set $j (i32.shl (local.get $i) (i32.const 3)))
      (local.set $v (f64.mul (f64.load (i32.add (local.get $sp) (local.get $j))) (f64.load (i32.add (local.get $b) (local.get $j)))))
      (f64.store (i32.add (local.get $alpha) (local.get $j)) (local.get $v))
      (local.set $c (f64.add (local.get $c) (local.get $v)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $init (i32.lt_u (local.get $i) (local.get $k))))
    (if (i32.eqz (i32.and (f64.gt (local.get $c) (f64.const 0)) (f64.lt (local.get $c) (f64.const inf))))
      (then (return (i32.const 1))))
    (f64.store (local.get $scale) (local.get $c))
    (if (i32.ne (local.get $k) (local.get $kp))
      (then (f64.store (i32.add (local.get $alpha) (local.get $k8)) (f64.const 0))))
    (local.set $i (i32.const 0))
    (loop $div
      (local.set $j (i32.add (local.get $alpha) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store (local.get $j) (f64.div (f64.load (local.get $j)) (local.get $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $div (i32.lt_u (local.get $i) (local.get $k))))
    ;; forward, t ≥ 1: α_t(j) = (Σ_i α_{t−1}(i) A_ij) b_t(j), two j at a time, then scaled by 1/c_t
    (local.set $prev (local.get $alpha))
    (local.set $brow (local.get $b))
    (local.set $t (i32.const 1))
    (block $fwdDone
      (loop $fwd
        (br_if $fwdDone (i32.ge_u (local.get $t) (local.get $len)))
        (local.set $cur (i32.add (local.get $prev) (local.get $kp8)))
        (local.set $brow (i32.add (local.get $brow) (local.get $kp8)))
        (local.set $j (i32.const 0))
        (loop $cols
          (local.set $sv (v128.const f64x2 0 0))
          (local.set $ap (local.get $prev))
          (local.set $mp (i32.add (local.get $A) (local.get $j)))
          (local.set $end (i32.add (local.get $prev) (local.get $k8)))
          (loop $dot
            (local.set $sv (f64x2.add (local.get $sv) (f64x2.mul (v128.load64_splat (local.get $ap)) (v128.load (local.get $mp)))))
            (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
            (local.set $mp (i32.add (local.get $mp) (local.get $kp8)))
            (br_if $dot (i32.lt_u (local.get $ap) (local.get $end))))
          (v128.store (i32.add (local.get $cur) (local.get $j))
            (f64x2.mul (local.get $sv) (v128.load (i32.add (local.get $brow) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $kp8))))
        (local.set $c (f64.const 0))
        (local.set $ap (local.get $cur))
        (local.set $end (i32.add (local.get $cur) (local.get $k8)))
        (loop $csum
          (local.set $c (f64.add (local.get $c) (f64.load (local.get $ap))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
          (br_if $csum (i32.lt_u (local.get $ap) (local.get $end))))
        (if (i32.eqz (i32.and (f64.gt (local.get $c) (f64.const 0)) (f64.lt (local.get $c) (f64.const inf))))
          (then (return (i32.const 1))))
        (f64.store (i32.add (local.get $scale) (i32.shl (local.get $t) (i32.const 3))) (local.get $c))
        (local.set $iv (f64x2.splat (f64.div (f64.const 1) (local.get $c))))
        (local.set $j (i32.const 0))
        (loop $mul
          (local.set $ap (i32.add (local.get $cur) (local.get $j)))
          (v128.store (local.get $ap) (f64x2.mul (v128.load (local.get $ap)) (local.get $iv)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $mul (i32.lt_u (local.get $j) (local.get $kp8))))
        (local.set $prev (local.get $cur))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $fwd)))
    ;; backward
    (if (local.get $xi)
      (then (memory.fill (local.get $xs) (i32.const 0) (i32.mul (local.get $k) (local.get $kp8)))))
    (local.set $j (i32.const 0))
    (loop $ones
      (v128.store (i32.add (local.get $beta) (local.get $j)) (v128.const f64x2 1 1))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $ones (i32.lt_u (local.get $j) (local.get $kp8))))
    (local.set $t (i32.sub (local.get $len) (i32.const 1)))
    (local.set $cur (i32.add (local.get $alpha) (i32.mul (local.get $t) (local.get $kp8))))
    (call $normalizeRow (local.get $cur) (local.get $beta)
      (i32.add (local.get $gamma) (i32.mul (local.get $t) (local.get $k8))) (local.get $k))
    (block $bwdDone
      (loop $bwd
        (br_if $bwdDone (i32.eqz (local.get $t)))
        ;; w(j) = b_{t+1}(j) β_{t+1}(j) / c_{t+1}, with t+1 the row just finished
        (local.set $brow (i32.add (local.get $b) (i32.mul (local.get $t) (local.get $kp8))))
        (local.set $iv (f64x2.splat (f64.div (f64.const 1)
          (f64.load (i32.add (local.get $scale) (i32.shl (local.get $t) (i32.const 3)))))))
        (local.set $j (i32.const 0))
        (loop $wts
          (v128.store (i32.add (local.get $w) (local.get $j))
            (f64x2.mul (f64x2.mul (v128.load (i32.add (local.get $brow) (local.get $j)))
              (v128.load (i32.add (local.get $beta) (local.get $j)))) (local.get $iv)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $wts (i32.lt_u (local.get $j) (local.get $kp8))))
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (local.set $cur (i32.sub (local.get $cur) (local.get $kp8)))
        ;; xs(i, j) += α_t(i) w(j) for α_t(i) ≠ 0
        (if (local.get $xi)
          (then
            (local.set $i (i32.const 0))
            (local.set $mp (local.get $xs))
            (loop $xrows
              (local.set $v (f64.load (i32.add (local.get $cur) (i32.shl (local.get $i) (i32.const 3)))))
              (if (f64.ne (local.get $v) (f64.const 0))
                (then
                  (local.set $sv (f64x2.splat (local.get $v)))
                  (local.set $j (i32.const 0))
                  (loop $xcols
                    (local.set $ap (i32.add (local.get $mp) (local.get $j)))
                    (v128.store (local.get $ap) (f64x2.add (v128.load (local.get $ap))
                      (f64x2.mul (local.get $sv) (v128.load (i32.add (local.get $w) (local.get $j))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 16)))
                    (br_if $xcols (i32.lt_u (local.get $j) (local.get $kp8))))))
              (local.set $mp (i32.add (local.get $mp) (local.get $kp8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $xrows (i32.lt_u (local.get $i) (local.get $k))))))
        ;; β_t(i) = Σ_j A_ij w(j), two i at a time from Aᵀ
        (local.set $i (i32.const 0))
        (loop $brows
          (local.set $sv (v128.const f64x2 0 0))
          (local.set $mp (i32.add (local.get $AT) (local.get $i)))
          (local.set $ap (local.get $w))
          (local.set $end (i32.add (local.get $w) (local.get $k8)))
          (loop $bdot
            (local.set $sv (f64x2.add (local.get $sv) (f64x2.mul (v128.load (local.get $mp)) (v128.load64_splat (local.get $ap)))))
            (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
            (local.set $mp (i32.add (local.get $mp) (local.get $kp8)))
            (br_if $bdot (i32.lt_u (local.get $ap) (local.get $end))))
          (v128.store (i32.add (local.get $beta) (local.get $i)) (local.get $sv))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $brows (i32.lt_u (local.get $i) (local.get $kp8))))
        (call $normalizeRow (local.get $cur) (local.get $beta)
          (i32.add (local.get $gamma) (i32.mul (local.get $t) (local.get $k8))) (local.get $k))
        (br $bwd)))
    ;; xi(i, j) += xs(i, j) A_ij
    (if (local.get $xi)
      (then
        (local.set $i (i32.const 0))
        (loop $xi_i
          (local.set $j (i32.const 0))
          (loop $xi_j
            (local.set $ap (i32.add (local.get $xi) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $j)) (i32.const 3))))
            (local.set $mp (i32.shl (i32.add (i32.mul (local.get $i) (local.get $kp)) (local.get $j)) (i32.const 3)))
            (f64.store (local.get $ap) (f64.add (f64.load (local.get $ap))
              (f64.mul (f64.load (i32.add (local.get $xs) (local.get $mp))) (f64.load (i32.add (local.get $A) (local.get $mp))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $xi_j (i32.lt_u (local.get $j) (local.get $k))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $xi_i (i32.lt_u (local.get $i) (local.get $k))))))
    (f64.store (local.get $res) (local.get $shift))
    (i32.const 0))
)
