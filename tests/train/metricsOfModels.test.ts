import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';
import { expectClose, readFixtureFolder } from '../helpers/fixtures.ts';

interface Blob {
  shape: number[];
  base64: string;
}
interface MetricsFixture {
  matrices: Blob[];
  biases: Blob[];
  expected: Record<string, number>;
}

const decode = (b: Blob) => {
  const bytes = Buffer.from(b.base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

/**
 * The trainer's own path from parameters to metrics (which parameters count, attention heads split into
 * their own matrices) reproduces the fixtures when the fixture's weights are loaded into the model.
 */
describe("the models' included parameters give the fixture metrics", () => {
  const fixtures = readFixtureFolder<MetricsFixture>('metrics');
  const cases = [
    {
      file: 'modadd.json',
      config: trainingConfig('modular-addition', 'paper'),
      matrices: ['W_Q', 'W_K', 'W_V', 'W_O', 'W_in', 'W_out'],
      biases: ['b_in', 'b_out'],
    },
    {
      file: 'parity.json',
      config: trainingConfig('sparse-parity', 'paper'),
      matrices: ['W1', 'W2'],
      biases: ['b1', 'b2'],
    },
  ];
  for (const c of cases) {
    it(c.file, async () => {
      const f = fixtures.find((x) => x.name === c.file)?.data;
      expect(f, `fixture ${c.file}`).toBeDefined();
      const trainer = new BatchedTrainer(await createTaskModel(c.config), [0, 1]);
      // Matrices in fixture order fill the matrix parameters in order (heads first), biases likewise.
      const queue = [...f!.matrices];
      for (const name of c.matrices) {
        const v = trainer.params[name];
        const perSeed = v.size / 2;
        const one = new Float32Array(perSeed);
        let filled = 0;
        while (filled < perSeed) {
          const m = decode(queue.shift()!);
          one.set(m, filled);
          filled += m.length;
        }
        expect(filled).toBe(perSeed);
        const both = new Float32Array(v.size);
        both.set(one, 0);
        both.set(one, perSeed);
        v.assign(tf.tensor(both, v.shape));
      }
      expect(queue).toHaveLength(0);
      c.biases.forEach((name, i) => {
        const one = decode(f!.biases[i]);
        const v = trainer.params[name];
        v.assign(tf.tensor(new Float32Array([...one, ...one]), v.shape));
      });
      const metrics = await trainer.metrics();
      for (const seed of [0, 1])
        for (const [k, expected] of Object.entries(f!.expected))
          expectClose(metrics[seed][k as never], expected, 1e-6, 0, `${c.file} seed ${seed} ${k}`);
      trainer.dispose();
    });
  }
});
