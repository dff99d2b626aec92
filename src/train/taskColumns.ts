/** A task's extra checkpoint columns (TaskModel.checkpointColumns) for every seed, from the weights read back. */
import type * as tf from '@tensorflow/tfjs';
import type { TaskModel } from './task.ts';

/** One record per seed, in seed order; null when the task has no columns of its own. */
export async function taskCheckpointColumns(
  task: TaskModel,
  params: Record<string, tf.Variable>,
  seeds: number,
): Promise<Record<string, number>[] | null> {
  const spec = task.checkpointColumns;
  if (!spec) return null;
  const values = await Promise.all(
    spec.params.map(async (name) => {
      const v = params[name];
      if (!v) throw new Error(`task column hook reads parameter '${name}', which the model does not have`);
      return [name, (await v.data()) as Float32Array] as const;
    }),
  );
  return Array.from({ length: seeds }, (_, i) =>
    spec.compute(
      Object.fromEntries(
        values.map(([name, all]) => {
          const size = all.length / seeds;
          return [name, all.subarray(i * size, (i + 1) * size)];
        }),
      ),
    ),
  );
}
