;; WebAssembly SIMD (f32x4) kernels for training on tfjs-backend-wasm, run on tfjs's own heap.
;;
;; Source of trainKernelsWasm.ts: regenerate with `npx tsx scripts/build-simd.ts` (wabt's wat2wasm). The
;; module imports tfjs-wasm's memory, so a kernel reads its inputs and writes its outputs where tfjs keeps
;; tensors, with no copy; the build makes two binaries from this text, one importing an ordinary memory and
;; one a shared memory (tfjs's threaded build), by rewriting the import line.
;;
;; Pointers are byte offsets into that memory; f32 and i32 arrays are 4-byte aligned (tfjs allocates them
;; so), v128 loads and stores say align=4. Every kernel computes each seed's values from that seed's data
;; alone, in an order that does not depend on how many seeds there are (batched equals alone), and uses
;; only correctly rounded f32 operations, so each element of a result is exactly what tfjs's elementwise
;; kernels give for the same formula.
(module
  (import "env" "memory" (memory 1))
  (import "env" "log" (func $log (param f64) (result f64)))

  ;; out[i] = table[idx[i]] for i < n, rows of `len` f32 (a gather along the first axis).
  ;; Returns -1, or the first i whose index is outside [0, rows) (then nothing after it is written).
  (func (export "gather_rows")
    (param $table i32) (param $rows i32) (param $len i32) (param $idx i32) (param $n i32) (param $out i32)
    (result i32)
    (local $i i32) (local $r i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $len) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $r (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.ge_u (local.get $r) (local.get $rows)) (then (return (local.get $i))))
        (memory.copy
          (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $bytes)))
          (i32.add (local.get $table) (i32.mul (local.get $r) (local.get $bytes)))
          (local.get $bytes))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const -1))

  ;; out[s] = Σ src[i] over i with idx[i] = s, for s < segments, rows of `len` f32; rows i are added in
  ;; increasing order. Indices outside [0, segments) are skipped (as tf.unsortedSegmentSum does).
  (func (export "segment_sum_rows")
    (param $src i32) (param $len i32) (param $idx i32) (param $n i32) (param $out i32) (param $segments i32)
    (local $i i32) (local $seg i32) (local $j i32) (local $len4 i32) (local $bytes i32) (local $o i32) (local $x i32)
    (local.set $bytes (i32.shl (local.get $len) (i32.const 2)))
    (local.set $len4 (i32.and (local.get $len) (i32.const -4)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $segments) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $seg (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.lt_u (local.get $seg) (local.get $segments))
          (then
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $seg) (local.get $bytes))))
            (local.set $x (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $bytes))))
            (local.set $j (i32.const 0))
            (block $vdone
              (loop $v
                (br_if $vdone (i32.ge_s (local.get $j) (local.get $len4)))
                (v128.store align=4 (local.get $o)
                  (f32x4.add (v128.load align=4 (local.get $o)) (v128.load align=4 (local.get $x))))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (local.set $x (i32.add (local.get $x) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $v)))
            (block $sdone
              (loop $s
                (br_if $sdone (i32.ge_s (local.get $j) (local.get $len)))
                (f32.store (local.get $o) (f32.add (f32.load (local.get $o)) (f32.load (local.get $x))))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))
                (local.set $x (i32.add (local.get $x) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $s)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; One AdamW step (src/train/optimizers.ts, PyTorch's semantics) over n values, each f32 operation of the
  ;; tfjs chain in its order:
  ;;   m' = m·β1 + g·(1−β1);  v' = v·β2 + (g·g)·(1−β2);
  ;;   p' = p·decay − (m' / (√v' / c2 + ε)) · step
  ;; with decay = 1 − lr·wd, c2 = √(1 − β2^t), step = lr / (1 − β1^t), all rounded to f32 by the caller.
  (func (export "adamw")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $outP i32) (param $outM i32) (param $outV i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2m f32)
    (param $decay f32) (param $c2 f32) (param $eps f32) (param $step f32)
    (local $i i32) (local $n4 i32) (local $o i32)
    (local $vb1 v128) (local $vc1 v128) (local $vb2 v128) (local $vc2m v128)
    (local $vdecay v128) (local $vc2 v128) (local $veps v128) (local $vstep v128)
    (local $vg v128) (local $vm1 v128) (local $vv1 v128)
    (local $sg f32) (local $sm1 f32) (local $sv1 f32)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vc2m (f32x4.splat (local.get $c2m)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vstep (f32x4.splat (local.get $step)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vdone
      (loop $vec
        (br_if $vdone (i32.ge_s (local.get $i) (local.get $n4)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $vg (v128.load align=4 (i32.add (local.get $g) (local.get $o))))
        (local.set $vm1
          (f32x4.add
            (f32x4.mul (v128.load align=4 (i32.add (local.get $m) (local.get $o))) (local.get $vb1))
            (f32x4.mul (local.get $vg) (local.get $vc1))))
        (local.set $vv1
          (f32x4.add
            (f32x4.mul (v128.load align=4 (i32.add (local.get $v) (local.get $o))) (local.get $vb2))
            (f32x4.mul (f32x4.mul (local.get $vg) (local.get $vg)) (local.get $vc2m))))
        (v128.store align=4 (i32.add (local.get $outP) (local.get $o))
          (f32x4.sub
            (f32x4.mul (v128.load align=4 (i32.add (local.get $p) (local.get $o))) (local.get $vdecay))
            (f32x4.mul
              (f32x4.div (local.get $vm1)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv1)) (local.get $vc2)) (local.get $veps)))
              (local.get $vstep))))
        (v128.store align=4 (i32.add (local.get $outM) (local.get $o)) (local.get $vm1))
        (v128.store align=4 (i32.add (local.get $outV) (local.get $o)) (local.get $vv1))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $sdone
      (loop $scalar
        (br_if $sdone (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $sg (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $sm1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
            (f32.mul (local.get $sg) (local.get $c1))))
        (local.set $sv1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
            (f32.mul (f32.mul (local.get $sg) (local.get $sg)) (local.get $c2m))))
        (f32.store (i32.add (local.get $outP) (local.get $o))
          (f32.sub
            (f32.mul (f32.load (i32.add (local.get $p) (local.get $o))) (local.get $decay))
            (f32.mul
              (f32.div (local.get $sm1)
                (f32.add (f32.div (f32.sqrt (local.get $sv1)) (local.get $c2)) (local.get $eps)))
              (local.get $step))))
        (f32.store (i32.add (local.get $outM) (local.get $o)) (local.get $sm1))
        (f32.store (i32.add (local.get $outV) (local.get $o)) (local.get $sv1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalar))))
;; e^x for each lane, x ≤ 88 (larger lanes are clamped there; lanes below −87.33 give 2^−126·e^(x+87.33…) ≈ 0):
  ;; Cephes' expf, range-reduced by n = round(x·log2 e) with ln 2 split in two, a degree-6 polynomial and 2^n
  ;; built in the exponent bits. Relative error ≈ 2 ulp; NaN stays NaN.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.33654))) (f32x4.splat (f32.const 88.0))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504)))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
        (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p
      (f32x4.add
        (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
        (f32x4.splat (f32.const 1))))
    (f32x4.mul
      (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; Σ of a v128's four lanes, as (l0 + l1) + (l2 + l3).
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; a·b over `dh` f32 (dh a multiple of 4): four-lane partial sums over the vectors in order, then $hsum.
  (func $dot (param $a i32) (param $b i32) (param $dh i32) (result f32)
    (local $acc v128) (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $dh) (i32.const 2))))
    (loop $v
      (local.set $acc
        (f32x4.add (local.get $acc) (f32x4.mul (v128.load align=4 (local.get $a)) (v128.load align=4 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $v (i32.lt_u (local.get $a) (local.get $end))))
    (call $hsum (local.get $acc)))

  ;; out[0..dh) (+)= c·x[0..dh); `add` 0 overwrites, 1 accumulates.
  (func $axpy (param $c f32) (param $x i32) (param $out i32) (param $dh i32) (param $add i32)
    (local $vc v128) (local $end i32) (local $o v128)
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $dh) (i32.const 2))))
    (loop $v
      (local.set $o (f32x4.mul (local.get $vc) (v128.load align=4 (local.get $x))))
      (if (local.get $add) (then (local.set $o (f32x4.add (v128.load align=4 (local.get $out)) (local.get $o)))))
      (v128.store align=4 (local.get $out) (local.get $o))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br_if $v (i32.lt_u (local.get $x) (local.get $end)))))

  ;; The last position's attention over the three positions, for `groups` (seed, example) pairs and `heads` heads
  ;; of `dh` (a multiple of 4): q [G, H, dh], keys and values [G, 3, H, dh];
  ;;   s_j = (q·k_j) / root, p = softmax(s), z = Σ_j p_j v_j → z [G, H, dh], probs p [G, H, 3].
  (func (export "attention3")
    (param $q i32) (param $keys i32) (param $values i32) (param $z i32) (param $probs i32)
    (param $groups i32) (param $heads i32) (param $dh i32) (param $root f32)
    (local $g i32) (local $h i32) (local $vec i32) (local $hv i32) (local $qp i32) (local $kp i32) (local $vp i32)
    (local $s v128) (local $e v128) (local $mx f32) (local $sum f32) (local $pp i32)
    (local.set $vec (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $hv (i32.mul (local.get $heads) (local.get $vec)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $g) (local.get $groups)))
        (local.set $h (i32.const 0))
        (loop $head
          (local.set $qp (i32.add (local.get $q) (i32.mul (i32.add (i32.mul (local.get $g) (local.get $heads)) (local.get $h)) (local.get $vec))))
          (local.set $kp (i32.add (local.get $keys) (i32.add (i32.mul (i32.mul (local.get $g) (i32.const 3)) (local.get $hv)) (i32.mul (local.get $h) (local.get $vec)))))
          (local.set $vp (i32.add (local.get $values) (i32.sub (local.get $kp) (local.get $keys))))
          (local.set $s (f32x4.splat (f32.const 0)))
          (local.set $s (f32x4.replace_lane 0 (local.get $s) (f32.div (call $dot (local.get $qp) (local.get $kp) (local.get $dh)) (local.get $root))))
          (local.set $s (f32x4.replace_lane 1 (local.get $s) (f32.div (call $dot (local.get $qp) (i32.add (local.get $kp) (local.get $hv)) (local.get $dh)) (local.get $root))))
          (local.set $s (f32x4.replace_lane 2 (local.get $s)
            (f32.div (call $dot (local.get $qp) (i32.add (local.get $kp) (i32.shl (local.get $hv) (i32.const 1))) (local.get $dh)) (local.get $root))))
          (local.set $mx (f32.max (f32.max (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s))) (f32x4.extract_lane 2 (local.get $s))))
          (local.set $e (call $exp4 (f32x4.sub (local.get $s) (f32x4.splat (local.get $mx)))))
          (local.set $sum (f32.add (f32.add (f32x4.extract_lane 0 (local.get $e)) (f32x4.extract_lane 1 (local.get $e))) (f32x4.extract_lane 2 (local.get $e))))
          (local.set $e (f32x4.div (local.get $e) (f32x4.splat (local.get $sum))))
          (local.set $pp (i32.add (local.get $probs) (i32.mul (i32.add (i32.mul (local.get $g) (local.get $heads)) (local.get $h)) (i32.const 12))))
          (f32.store offset=0 (local.get $pp) (f32x4.extract_lane 0 (local.get $e)))
          (f32.store offset=4 (local.get $pp) (f32x4.extract_lane 1 (local.get $e)))
          (f32.store offset=8 (local.get $pp) (f32x4.extract_lane 2 (local.get $e)))
          (local.set $qp (i32.add (local.get $z) (i32.sub (local.get $qp) (local.get $q))))
          (call $axpy (f32x4.extract_lane 0 (local.get $e)) (local.get $vp) (local.get $qp) (local.get $dh) (i32.const 0))
          (call $axpy (f32x4.extract_lane 1 (local.get $e)) (i32.add (local.get $vp) (local.get $hv)) (local.get $qp) (local.get $dh) (i32.const 1))
          (call $axpy (f32x4.extract_lane 2 (local.get $e)) (i32.add (local.get $vp) (i32.shl (local.get $hv) (i32.const 1))) (local.get $qp) (local.get $dh) (i32.const 1))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $head (i32.lt_s (local.get $h) (local.get $heads))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group))))

  ;; The gradient of attention3 from dz [G, H, dh] and the saved probs: with dp_j = dz·v_j and
  ;; ds_j = p_j (dp_j − Σ_i p_i dp_i) / root: dq = Σ_j ds_j k_j, dk_j = ds_j q, dv_j = p_j dz.
  (func (export "attention3_grad")
    (param $dz i32) (param $q i32) (param $keys i32) (param $values i32) (param $probs i32)
    (param $dq i32) (param $dkeys i32) (param $dvalues i32)
    (param $groups i32) (param $heads i32) (param $dh i32) (param $root f32)
    (local $g i32) (local $h i32) (local $j i32) (local $vec i32) (local $hv i32) (local $row i32) (local $kv i32)
    (local $pp i32) (local $p0 f32) (local $p1 f32) (local $p2 f32) (local $d0 f32) (local $d1 f32) (local $d2 f32)
    (local $avg f32) (local $s0 f32) (local $s1 f32) (local $s2 f32)
    (local.set $vec (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $hv (i32.mul (local.get $heads) (local.get $vec)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $g) (local.get $groups)))
        (local.set $h (i32.const 0))
        (loop $head
          ;; row: byte offset of (g, h) in [G, H, dh]; kv: of (g, 0, h) in [G, 3, H, dh]
          (local.set $row (i32.mul (i32.add (i32.mul (local.get $g) (local.get $heads)) (local.get $h)) (local.get $vec)))
          (local.set $kv (i32.add (i32.mul (i32.mul (local.get $g) (i32.const 3)) (local.get $hv)) (i32.mul (local.get $h) (local.get $vec))))
          (local.set $pp (i32.add (local.get $probs) (i32.mul (i32.add (i32.mul (local.get $g) (local.get $heads)) (local.get $h)) (i32.const 12))))
          (local.set $p0 (f32.load offset=0 (local.get $pp)))
          (local.set $p1 (f32.load offset=4 (local.get $pp)))
          (local.set $p2 (f32.load offset=8 (local.get $pp)))
          (local.set $d0 (call $dot (i32.add (local.get $dz) (local.get $row)) (i32.add (local.get $values) (local.get $kv)) (local.get $dh)))
          (local.set $d1 (call $dot (i32.add (local.get $dz) (local.get $row)) (i32.add (i32.add (local.get $values) (local.get $kv)) (local.get $hv)) (local.get $dh)))
          (local.set $d2 (call $dot (i32.add (local.get $dz) (local.get $row))
            (i32.add (i32.add (local.get $values) (local.get $kv)) (i32.shl (local.get $hv) (i32.const 1))) (local.get $dh)))
          (local.set $avg (f32.add (f32.add (f32.mul (local.get $p0) (local.get $d0)) (f32.mul (local.get $p1) (local.get $d1))) (f32.mul (local.get $p2) (local.get $d2))))
          (local.set $s0 (f32.div (f32.mul (local.get $p0) (f32.sub (local.get $d0) (local.get $avg))) (local.get $root)))
          (local.set $s1 (f32.div (f32.mul (local.get $p1) (f32.sub (local.get $d1) (local.get $avg))) (local.get $root)))
          (local.set $s2 (f32.div (f32.mul (local.get $p2) (f32.sub (local.get $d2) (local.get $avg))) (local.get $root)))
          (call $axpy (local.get $s0) (i32.add (local.get $keys) (local.get $kv)) (i32.add (local.get $dq) (local.get $row)) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $s1) (i32.add (i32.add (local.get $keys) (local.get $kv)) (local.get $hv)) (i32.add (local.get $dq) (local.get $row)) (local.get $dh) (i32.const 1))
          (call $axpy (local.get $s2) (i32.add (i32.add (local.get $keys) (local.get $kv)) (i32.shl (local.get $hv) (i32.const 1)))
            (i32.add (local.get $dq) (local.get $row)) (local.get $dh) (i32.const 1))
          (call $axpy (local.get $s0) (i32.add (local.get $q) (local.get $row)) (i32.add (local.get $dkeys) (local.get $kv)) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $s1) (i32.add (local.get $q) (local.get $row)) (i32.add (i32.add (local.get $dkeys) (local.get $kv)) (local.get $hv)) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $s2) (i32.add (local.get $q) (local.get $row))
            (i32.add (i32.add (local.get $dkeys) (local.get $kv)) (i32.shl (local.get $hv) (i32.const 1))) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $p0) (i32.add (local.get $dz) (local.get $row)) (i32.add (local.get $dvalues) (local.get $kv)) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $p1) (i32.add (local.get $dz) (local.get $row)) (i32.add (i32.add (local.get $dvalues) (local.get $kv)) (local.get $hv)) (local.get $dh) (i32.const 0))
          (call $axpy (local.get $p2) (i32.add (local.get $dz) (local.get $row))
            (i32.add (i32.add (local.get $dvalues) (local.get $kv)) (i32.shl (local.get $hv) (i32.const 1))) (local.get $dh) (i32.const 0))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $head (i32.lt_s (local.get $h) (local.get $heads))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group))))

  ;; Softmax cross-entropy of `rows` rows of `classes` logits with integer labels: probs [rows, classes] (the
  ;; softmax, kept for the gradient) and loss[r] = max + log Σ e^(l − max) − l[label]. A label outside
  ;; [0, classes) gives NaN. log comes from the host (one call a row).
  (func (export "softmax_xent")
    (param $logits i32) (param $labels i32) (param $rows i32) (param $classes i32) (param $probs i32) (param $loss i32)
    (local $r i32) (local $c i32) (local $c4 i32) (local $l i32) (local $o i32) (local $mx f32) (local $sum f32)
    (local $vmx v128) (local $e v128) (local $vs v128) (local $y i32) (local $t f32)
    (local.set $c4 (i32.and (local.get $classes) (i32.const -4)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $l (i32.add (local.get $logits) (i32.shl (i32.mul (local.get $r) (local.get $classes)) (i32.const 2))))
        (local.set $o (i32.add (local.get $probs) (i32.sub (local.get $l) (local.get $logits))))
        (local.set $mx (f32.load (local.get $l)))
        (local.set $c (i32.const 1))
        (block $mdone
          (loop $m
            (br_if $mdone (i32.ge_s (local.get $c) (local.get $classes)))
            (local.set $mx (f32.max (local.get $mx) (f32.load (i32.add (local.get $l) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $m)))
        (local.set $vmx (f32x4.splat (local.get $mx)))
        (local.set $vs (f32x4.splat (f32.const 0)))
        (local.set $c (i32.const 0))
        (block $edone
          (loop $ev
            (br_if $edone (i32.ge_s (local.get $c) (local.get $c4)))
            (local.set $e (call $exp4 (f32x4.sub (v128.load align=4 (i32.add (local.get $l) (i32.shl (local.get $c) (i32.const 2)))) (local.get $vmx))))
            (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))) (local.get $e))
            (local.set $vs (f32x4.add (local.get $vs) (local.get $e)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $ev)))
        (local.set $sum (call $hsum (local.get $vs)))
        (block $sdone
          (loop $es
            (br_if $sdone (i32.ge_s (local.get $c) (local.get $classes)))
            (local.set $t (f32x4.extract_lane 0
              (call $exp4 (f32x4.splat (f32.sub (f32.load (i32.add (local.get $l) (i32.shl (local.get $c) (i32.const 2)))) (local.get $mx))))))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))) (local.get $t))
            (local.set $sum (f32.add (local.get $sum) (local.get $t)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $es)))
        (local.set $vs (f32x4.splat (local.get $sum)))
        (local.set $c (i32.const 0))
        (block $ndone
          (loop $nv
            (br_if $ndone (i32.ge_s (local.get $c) (local.get $c4)))
            (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))
              (f32x4.div (v128.load align=4 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))) (local.get $vs)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $nv)))
        (block $nsdone
          (loop $ns
            (br_if $nsdone (i32.ge_s (local.get $c) (local.get $classes)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))
              (f32.div (f32.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))) (local.get $sum)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $ns)))
        (local.set $y (i32.load (i32.add (local.get $labels) (i32.shl (local.get $r) (i32.const 2)))))
        (f32.store (i32.add (local.get $loss) (i32.shl (local.get $r) (i32.const 2)))
          (if (result f32) (i32.lt_u (local.get $y) (local.get $classes))
            (then
              (f32.sub
                (f32.add (local.get $mx) (f32.demote_f64 (call $log (f64.promote_f32 (local.get $sum)))))
                (f32.load (i32.add (local.get $l) (i32.shl (local.get $y) (i32.const 2))))))
            (else (f32.const nan))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The gradient of softmax_xent: dlogits[r, c] = (probs[r, c] − [c = label_r]) · dloss[r].
  (func (export "softmax_xent_grad")
    (param $probs i32) (param $labels i32) (param $dloss i32) (param $rows i32) (param $classes i32) (param $out i32)
    (local $r i32) (local $c i32) (local $c4 i32) (local $p i32) (local $o i32) (local $d v128) (local $y i32) (local $at i32)
    (local.set $c4 (i32.and (local.get $classes) (i32.const -4)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $p (i32.add (local.get $probs) (i32.shl (i32.mul (local.get $r) (local.get $classes)) (i32.const 2))))
        (local.set $o (i32.add (local.get $out) (i32.sub (local.get $p) (local.get $probs))))
        (local.set $d (v128.load32_splat (i32.add (local.get $dloss) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $c (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_s (local.get $c) (local.get $c4)))
            (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))
              (f32x4.mul (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))) (local.get $d)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $v)))
        (block $sdone
          (loop $s
            (br_if $sdone (i32.ge_s (local.get $c) (local.get $classes)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))
              (f32.mul (f32.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))) (f32x4.extract_lane 0 (local.get $d))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $s)))
        (local.set $y (i32.load (i32.add (local.get $labels) (i32.shl (local.get $r) (i32.const 2)))))
        (if (i32.lt_u (local.get $y) (local.get $classes))
          (then
            (local.set $at (i32.add (local.get $o) (i32.shl (local.get $y) (i32.const 2))))
            (f32.store (local.get $at)
              (f32.mul
                (f32.sub (f32.load (i32.add (local.get $p) (i32.shl (local.get $y) (i32.const 2)))) (f32.const 1))
                (f32x4.extract_lane 0 (local.get $d))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
