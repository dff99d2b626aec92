/**
 * The metric kernels (kernels/) and the trainer's path to them (src/train/gpuMetrics.ts) on real WebGPU:
 * tfjs's webgpu backend on Dawn, SwiftShader here. One file, so SwiftShader compiles the pipelines once.
 * Against the float64 CPU path: the numpy fixtures, fresh random matrices of every shape class at every
 * run, and the special cases whose NaN/∞ semantics the CPU path defines; then the trainer on tfjs's own
 * buffers, and the fallback without WebGPU. Sizes are the real ones but seeds are few: SwiftShader is a CPU.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRICS_PER_SEED, WeightMetricsKernels } from '../../kernels/metricsKernels.ts';
import { planMetrics, type KernelParam } from '../../kernels/plan.ts';
import { createRng } from '../../src/numeric/rng.ts';
import { readFixtureFolder } from '../helpers/fixtures.ts';
import {
  carrySingularValues,
  METRIC_NAMES,
  SINGULAR_VALUE_METRICS,
  type WeightMetrics,
} from '../../src/metrics/index.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { METRICS_PATH_COLUMN, metricsKernelsFor, SeedMetrics } from '../../src/train/gpuMetrics.ts';
import { prepareNodeWebGpu } from '../../src/train/nodeWebgpu.ts';
import type { ParamSpec } from '../../src/train/task.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';
import { fourierRow } from '../../tasks/modular-addition/fourier.ts';
import { columnsOf, trainCheckpoints, tinyModAdd, tinyParity } from '../train/tiny.ts';
import {
  expectMetric,
  expectMetrics,
  expectSingularValues,
  referenceMetrics,
  seedInputs,
  sizeOf,
  uploadBuffer,
} from './helpers.ts';
import { decode, KernelsLeavingOut, KINDS, LARGE_SHAPES, SMALL_SHAPES, type MetricsFixture } from './inputs.ts';

let device: GPUDevice;
let kernels: WeightMetricsKernels;
const buffers: GPUBuffer[] = [];

beforeAll(async () => {
  const choice = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
  expect(choice.name).toBe('webgpu');
  device = (tf.backend() as unknown as { device: GPUDevice }).device;
  kernels = metricsKernelsFor(device);
});
afterAll(() => {
  for (const b of buffers) b.destroy();
});

function upload(values: readonly Float32Array[]): GPUBuffer[] {
  const out = values.map((v) => uploadBuffer(device, v));
  buffers.push(...out);
  return out;
}

/** Global offsets of each seed's matrices' singular values in the read-back array. */
function svOffsets(params: readonly KernelParam[], seeds: number, s: number): number[] {
  const plan = planMetrics(params, seeds);
  return plan.matrices.map((m) => s * plan.svPerSeed + m.svOffset);
}

describe('metric kernels reproduce the numpy fixtures', () => {
  const fixtures = readFixtureFolder<MetricsFixture>('metrics');
  it('finds the fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name, data } of fixtures) {
    it(`${name}: 14 metrics within 1e-4, singular values within 1e-4 of the largest`, async () => {
      const params: KernelParam[] = [
        ...data.matrices.map((m, i) => ({ name: `m${i}`, role: 'matrix' as const, shape: m.shape })),
        ...data.biases.map((b, i) => ({ name: `b${i}`, role: 'bias' as const, shape: b.shape })),
      ];
      const values = [...data.matrices, ...data.biases].map(decode);
      const r = await kernels.run(params, 1, upload(values), { singularValues: true });
      expectMetrics(r.metrics, 0, data.expected, name);
      expectSingularValues(r.singularValues!, seedInputs(params, values, 0).matrices, svOffsets(params, 1, 0), name);
    });
  }
});

describe('fresh random matrices of every shape class', () => {
  const seed = Date.now() % 1_000_000;
  const cases: [KernelParam[], string[]][] = [
    [SMALL_SHAPES, Object.keys(KINDS)],
    [LARGE_SHAPES, ['rank-deficient', 'sparse (3% nonzero)', 'huge (sd 1e4)']],
  ];
  for (const [params, kinds] of cases) {
    it(`${params.map((p) => p.shape.join('×')).join(', ')}: ${kinds.join(', ')}, one kind per seed (random seed ${seed})`, async () => {
      const S = kinds.length;
      const rng = createRng(seed, 'kernel-test');
      const values = params.map((p) => {
        const v = new Float32Array(S * sizeOf(p));
        const [rows, cols] = p.role === 'bias' ? [1, p.shape[0]] : p.shape.slice(-2);
        const count = p.role === 'matrix' && p.shape.length === 3 ? p.shape[0] : 1;
        kinds.forEach((k, s) => {
          for (let h = 0; h < count; h++)
            KINDS[k](
              rng,
              rows,
              cols,
              v.subarray(s * sizeOf(p) + h * rows * cols, s * sizeOf(p) + (h + 1) * rows * cols),
            );
        });
        return v;
      });
      const r = await kernels.run(params, S, upload(values), { singularValues: true });
      kinds.forEach((k, s) => {
        const what = `${k} (seed ${seed})`;
        const ref = referenceMetrics(params, values, s);
        expectMetrics(r.metrics, s, ref, what);
        expectSingularValues(r.singularValues!, seedInputs(params, values, s).matrices, svOffsets(params, S, s), what);
        // The below-floor kind really reaches the infinite ratio.
        if (k.startsWith('below'))
          expect(Number.isFinite(ref.trace_over_spectral), 'below-floor reference').toBe(false);
      });
    });
  }
});

describe('special values follow the CPU path exactly', () => {
  const small: KernelParam[] = [
    { name: 'a', role: 'matrix', shape: [3, 4] },
    { name: 'b', role: 'matrix', shape: [5, 2] },
    { name: 'v', role: 'matrix', shape: [1, 3] },
    { name: 'bias', role: 'bias', shape: [3] },
  ];
  const cases: [string, (v: Float32Array[]) => void][] = [
    ['a zero matrix (0/0 ratios)', (v) => v[0].fill(0)],
    ['a NaN weight', (v) => (v[1][3] = NaN)],
    ['an infinite weight in the 1×n matrix', (v) => (v[2][1] = -Infinity)],
    ['an infinite bias', (v) => (v[3][2] = Infinity)],
    ['a NaN everywhere', (v) => v.forEach((x) => x.fill(NaN))],
    ['a tiny matrix (spectral 0, trace/spectral = +∞)', (v) => v[0].set([1e-7, 0, 0, 0, 0, 1e-7, 0, 0, 0, 0, 1e-7, 0])],
  ];
  it(`${cases.map((c) => c[0]).join('; ')}`, async () => {
    const S = cases.length + 1;
    const rng = createRng(7, 'special');
    const values = small.map((p) => Float32Array.from({ length: S * sizeOf(p) }, () => rng.normal()));
    // Seed i + 1 gets case i; seed 0 stays ordinary.
    cases.forEach(([, apply], i) => {
      const mine = small.map((p, j) => values[j].subarray((i + 1) * sizeOf(p), (i + 2) * sizeOf(p)));
      apply(mine);
    });
    const r = await kernels.run(small, S, upload(values), { singularValues: true });
    for (let s = 0; s < S; s++)
      expectMetrics(r.metrics, s, referenceMetrics(small, values, s), s === 0 ? 'ordinary seed' : cases[s - 1][0]);
  });

  it('one bias entry: bias_var is NaN, as numpy with ddof=1', async () => {
    const params: KernelParam[] = [
      { name: 'w', role: 'matrix', shape: [2, 2] },
      { name: 'b', role: 'bias', shape: [1] },
    ];
    const values = [new Float32Array([1, 2, 3, 4]), new Float32Array([0.5])];
    const r = await kernels.run(params, 1, upload(values));
    expectMetrics(r.metrics, 0, referenceMetrics(params, values, 0), 'one bias');
    expect(r.metrics[METRIC_NAMES.indexOf('bias_var')]).toBeNaN();
    expect(r.metrics[METRIC_NAMES.indexOf('bias_median')]).toBe(0.5);
  });
});

describe('outputs and skipped kernels', () => {
  const params: KernelParam[] = [
    { name: 'w', role: 'matrix', shape: [2, 6, 9] },
    { name: 'b', role: 'bias', shape: [4] },
  ];
  const S = 3;
  const make = (seed: number) => {
    const rng = createRng(seed, 'reuse');
    return params.map((p) => Float32Array.from({ length: S * sizeOf(p) }, () => rng.normal()));
  };

  it('poisons every output: with the kernels not dispatched, everything reads NaN', async () => {
    const silent = new KernelsLeavingOut(device, () => true);
    const r = await silent.run(params, S, upload(make(1)), { singularValues: true });
    expect([...new Set(silent.left)].sort()).toEqual([
      'finalize',
      'pack',
      'radix:choose',
      'radix:histogram',
      'stats',
      'svd',
    ]);
    expect(r.metrics.length).toBe(S * METRICS_PER_SEED);
    expect(r.metrics.every(Number.isNaN)).toBe(true);
    expect(r.singularValues!.every(Number.isNaN)).toBe(true);
    // Work is poisoned before packing: a pack kernel that missed elements would poison its seed, not pass for 0.
    const unpacked = new KernelsLeavingOut(device, (name) => name === 'pack');
    const u = await unpacked.run(params, S, upload(make(1)));
    expect([...u.metrics].filter((_, i) => i % METRICS_PER_SEED === 0).every(Number.isNaN), 'l1 of every seed').toBe(
      true,
    );
    // And a real run after it writes every element again.
    const again = await kernels.run(params, S, upload(make(1)), { singularValues: true });
    expect(again.metrics.some(Number.isNaN)).toBe(false);
    expect(again.singularValues!.some(Number.isNaN)).toBe(false);
  });

  it('skipSingularValues leaves out the SVD dispatch: the four singular-value metrics NaN, the other ten computed', async () => {
    const values = make(3);
    const watched = new KernelsLeavingOut(device, () => false);
    const b = await watched.run(params, S, upload(values), { skipSingularValues: true });
    expect(watched.dispatched).not.toContain('svd');
    expect(watched.dispatched).toContain('finalize');
    for (let s = 0; s < S; s++) {
      const ref = referenceMetrics(params, values, s);
      for (const m of METRIC_NAMES) {
        const got = b.metrics[s * METRICS_PER_SEED + METRIC_NAMES.indexOf(m)];
        if ((SINGULAR_VALUE_METRICS as readonly string[]).includes(m)) expect(got, `seed ${s} ${m}`).toBeNaN();
        else expectMetric(got, ref[m], `seed ${s} ${m}`);
      }
    }
    // The next full call computes them again, from these weights.
    const c = await kernels.run(params, S, upload(values));
    for (let s = 0; s < S; s++)
      expectMetrics(c.metrics, s, referenceMetrics(params, values, s), `seed ${s} after a skip`);
  });

  it('checks the buffers it is given', async () => {
    const plan = planMetrics(params, S);
    await kernels.prepare(plan);
    const short = upload([new Float32Array(4), new Float32Array(S * 4)]);
    expect(() => kernels.submit(plan, short)).toThrow('the buffer of w has 16 bytes, the plan needs 1296');
    expect(() => kernels.submit(plan, short.slice(0, 1))).toThrow('2 parameters in the plan, 1 buffers given');
    expect(() => kernels.submit(planMetrics(params, S + 1), short)).toThrow('call prepare(plan) first');
  });
});

function expectSame(a: WeightMetrics[], b: WeightMetrics[], what: string): void {
  expect(a.length).toBe(b.length);
  a.forEach((m, s) => METRIC_NAMES.forEach((k) => expectMetric(m[k], b[s][k], `${what} seed ${s} ${k}`)));
}

describe("the trainer's metrics on tfjs's webgpu backend", () => {
  it('the trainer computes the fixture metrics with the kernels and marks its rows', async () => {
    const fixtures = readFixtureFolder<MetricsFixture>('metrics');
    const f = fixtures.find((x) => x.name === 'modadd.json')?.data;
    expect(f, 'modadd.json fixture').toBeDefined();
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig('modular-addition', 'paper')), [0]);
    const queue = [...f!.matrices];
    for (const name of ['W_Q', 'W_K', 'W_V', 'W_O', 'W_in', 'W_out']) {
      const v = trainer.params[name];
      const values = new Float32Array(v.size);
      for (let filled = 0; filled < v.size;) {
        const m = decode(queue.shift()!);
        values.set(m, filled);
        filled += m.length;
      }
      v.assign(tf.tensor(values, v.shape));
    }
    ['b_in', 'b_out'].forEach((name, i) =>
      trainer.params[name].assign(tf.tensor(decode(f!.biases[i]), trainer.params[name].shape)),
    );
    const [row] = await trainer.metrics();
    expect(row[METRICS_PATH_COLUMN]).toBe(1);
    for (const k of METRIC_NAMES) expectMetric(row[k], f!.expected[k], `modadd.json ${k}`);
    trainer.dispose();
  });

  it('modular addition rows carry the Fourier measures of each seed’s embedding (the task’s own columns)', async () => {
    const cfg = tinyModAdd({}, { epochs: 1 });
    const trainer = new BatchedTrainer(await createTaskModel(cfg), [2, 7]);
    trainer.step();
    const rows = await trainer.checkpoint();
    const all = (await trainer.params.W_E.data()) as Float32Array;
    const size = all.length / 2;
    rows.forEach(({ row }, i) => {
      const expected = fourierRow(all.subarray(i * size, (i + 1) * size), 11, 16);
      expect(Object.keys(expected).every((c) => row[c] === expected[c])).toBe(true);
      expect(Number.isFinite(row.fourier_gini)).toBe(true);
    });
    trainer.dispose();
  });

  it('follows the weights to new buffers after optimizer steps, matches the CPU path, leaks nothing', async () => {
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig('sparse-parity', 'paper')), [3, 4]);
    const gpu = new SeedMetrics(trainer.task.params, 2);
    const cpu = new SeedMetrics(trainer.task.params, 2, { path: 'cpu' });
    const before = await gpu.compute(trainer.params);
    expect(before).toMatchObject({ path: 'gpu', reason: 'the tfjs backend is webgpu' });
    expectSame(before.metrics, (await cpu.compute(trainer.params)).metrics, 'at init');
    const bufferOf = (t: tf.Tensor) =>
      (tf.backend() as unknown as { tensorMap: { get(id: object): { resource: unknown } } }).tensorMap.get(
        t.dataId as object,
      ).resource;
    const oldBuffer = bufferOf(trainer.params.W1);
    trainer.step();
    expect(bufferOf(trainer.params.W1), 'the optimizer step moved W1').not.toBe(oldBuffer);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const after = await gpu.compute(trainer.params);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
    expect(after.path).toBe('gpu');
    expect(after.metrics[0].l1).not.toBe(before.metrics[0].l1);
    const reference = await cpu.compute(trainer.params);
    expect(reference).toMatchObject({ path: 'cpu', reason: 'the CPU path was requested' });
    expectSame(after.metrics, reference.metrics, 'after a step');
    trainer.dispose();
  });

  it('{ singularValues: false } leaves out the SVD dispatch: the four singular-value metrics NaN, the other ten as a full call', async () => {
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig('sparse-parity', 'paper')), [5, 6]);
    const m = new SeedMetrics(trainer.task.params, 2);
    const first = await m.compute(trainer.params);
    tf.tidy(() => trainer.params.W1.assign(tf.mul(trainer.params.W1, 1.5)));
    const submit = vi.spyOn(kernels, 'submit');
    let skipped, full;
    try {
      skipped = await m.compute(trainer.params, { singularValues: false });
      full = await m.compute(trainer.params);
      expect(submit.mock.calls.map((c) => c[2]?.skipSingularValues)).toEqual([true, false]);
    } finally {
      submit.mockRestore();
    }
    expect([first, skipped, full].map((r) => [r.path, r.singularValues])).toEqual([
      ['gpu', true],
      ['gpu', false],
      ['gpu', true],
    ]);
    for (let s = 0; s < 2; s++)
      for (const k of METRIC_NAMES) {
        if ((SINGULAR_VALUE_METRICS as readonly string[]).includes(k))
          expect(skipped.metrics[s][k], `seed ${s} ${k}`).toBeNaN();
        else expect(skipped.metrics[s][k], `seed ${s} ${k}`).toBe(full.metrics[s][k]);
      }
    expect(full.metrics[0].spectral, 'W1 scaled by 1.5').not.toBe(first.metrics[0].spectral);
    expect(full.metrics[0].l1).not.toBe(first.metrics[0].l1);
    trainer.dispose();
  });

  it('the trainer with sv-every 2 on the kernels: its rows are the sv-every 1 rows with the four columns carried', async () => {
    const rows = async (every: number) => {
      const checkpoints = await trainCheckpoints(tinyParity({ epochs: 3, singularValuesEvery: every }), [0, 1]);
      return [0, 1].map((s) => columnsOf(checkpoints.map((c) => c[s].row)));
    };
    const [one, two] = [await rows(1), await rows(2)];
    expect(one[0].metrics_gpu).toEqual([1, 1, 1]);
    expect(two[0].spectral[1], 'checkpoint 1 repeats checkpoint 0').toBe(two[0].spectral[0]);
    expect(one[0].spectral[1]).not.toBe(one[0].spectral[0]);
    for (let s = 0; s < 2; s++) expect(two[s], `seed ${s}`).toEqual(carrySingularValues(one[s], 2));
  });

  it('falls back to the CPU path, saying why, for a model the kernels cannot take', async () => {
    const params: ParamSpec[] = [
      { name: 'big', shape: [300, 300], init: () => {}, role: 'matrix' },
      { name: 'b', shape: [3], init: () => {}, role: 'bias' },
    ];
    const tensors = { big: tf.randomNormal([1, 300, 300]), b: tf.randomNormal([1, 3]) };
    const r = await new SeedMetrics(params, 1).compute(tensors);
    expect(r.path).toBe('cpu');
    expect(r.reason).toBe(
      'matrix big is 300×300; the GPU kernels take at most 1024 on the long side and 256 on the short side',
    );
    expect(Number.isFinite(r.metrics[0].spectral)).toBe(true);
    await expect(new SeedMetrics(params, 2).compute(tensors)).rejects.toThrow(
      'SeedMetrics: parameter big has shape [1, 300, 300], expected [2, 300, 300]',
    );
    tf.dispose(Object.values(tensors));
  });
});

describe('without WebGPU', () => {
  beforeAll(async () => {
    await selectBackend({ requested: 'cpu' });
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('the same API reads back and runs the CPU path, and says so', async () => {
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig('sparse-parity', 'paper')), [1, 2]);
    const r = await new SeedMetrics(trainer.task.params, 2).compute(trainer.params);
    expect(r).toMatchObject({ path: 'cpu', reason: 'the tfjs backend is cpu, not webgpu' });
    const rows = await trainer.metrics();
    expect(rows.map((x) => x[METRICS_PATH_COLUMN])).toEqual([0, 0]);
    expectSame(rows, r.metrics, 'trainer rows');
    trainer.dispose();
  });
});
