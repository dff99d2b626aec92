/**
 * A task's own checkpoint columns (TaskModel.checkpointColumns) reach every row the trainer writes: modular
 * addition's Fourier measures are those of each seed's embedding as read back, after the 14 metrics; a task
 * without columns (sparse parity) writes exactly the standard ones. Resuming stays exact with them: see
 * session.test.ts, whose modular-addition bundles hold these columns. WebGPU: tests/kernels/metricsKernels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import { selectBackend } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { taskCheckpointColumns } from '../../src/train/taskColumns.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { fourierColumnNames, fourierRow } from '../../tasks/modular-addition/fourier.ts';
import { tinyModAdd, tinyParity } from './tiny.ts';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`task checkpoint columns (${backend})`, () => {
    it('modular addition: every row holds the Fourier measures of that seed’s W_E, after the standard columns', async () => {
      await selectBackend({ requested: backend });
      const cfg = tinyModAdd({}, { epochs: 2 });
      const trainer = new BatchedTrainer(await createTaskModel(cfg), [1, 4, 9]);
      trainer.step();
      trainer.step();
      const rows = await trainer.checkpoint();
      const all = (await trainer.params.W_E.data()) as Float32Array;
      const size = all.length / 3;
      const p = Number(cfg.model.modulus);
      rows.forEach(({ row }, i) => {
        expect(Object.keys(row)).toEqual([...CHECKPOINT_COLUMNS, ...fourierColumnNames(p)]);
        const expected = fourierRow(all.subarray(i * size, (i + 1) * size), p, Number(cfg.model.dModel));
        for (const [c, v] of Object.entries(expected)) expect(row[c], `seed ${rows[i].seed} ${c}`).toBe(v);
      });
      // Not vacuous: the seeds' spectra differ.
      expect(rows[0].row.fourier_gini).not.toBe(rows[1].row.fourier_gini);
      trainer.dispose();
    });

    it('sparse parity has no columns of its own', async () => {
      await selectBackend({ requested: backend });
      const trainer = new BatchedTrainer(await createTaskModel(tinyParity()), [0]);
      expect(await taskCheckpointColumns(trainer.task, trainer.params, 1)).toBeNull();
      trainer.step();
      const [{ row }] = await trainer.checkpoint();
      expect(Object.keys(row)).toEqual([...CHECKPOINT_COLUMNS]);
      trainer.dispose();
    });
  });
}

describe('task checkpoint columns: a hook naming a parameter the model lacks', () => {
  it('is refused with the parameter’s name', async () => {
    await selectBackend({ requested: 'cpu' });
    const model = await createTaskModel(tinyParity());
    const trainer = new BatchedTrainer({ ...model, checkpointColumns: { params: ['W_E'], compute: () => ({}) } }, [0]);
    await expect(trainer.checkpoint()).rejects.toThrow(
      "task column hook reads parameter 'W_E', which the model does not have",
    );
    trainer.dispose();
  });
});
