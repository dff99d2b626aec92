import { tf } from '../../src/train/backend.ts';
import type { BatchedTrainer } from '../../src/train/batchedTrainer.ts';

/** Sets one seed's values of a parameter to NaN, as a divergence would (divergence tests use it). */
export async function poisonSeed(
  trainer: BatchedTrainer,
  i: number,
  name = trainer.task.params[0].name,
): Promise<void> {
  const v = trainer.params[name];
  const values = ((await v.data()) as Float32Array).slice();
  const size = values.length / trainer.seeds.length;
  values.fill(NaN, i * size, (i + 1) * size);
  tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
}
