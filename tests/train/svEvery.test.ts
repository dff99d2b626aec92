/**
 * sv-every on the trainer (wasm and cpu backends, the CPU metrics path): a run with k > 1 has exactly the rows
 * of the same run with k = 1 with the four singular-value columns carried (carrySingularValues), so every
 * other metric and everything training measured is untouched; the SVDs of the checkpoints in between are
 * skipped; and a run stopped at any point and resumed gives the uninterrupted bundle, bit for bit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { carrySingularValues, CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import { selectBackend } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { truncateAfter } from '../../src/train/bundleBuilder.ts';
import { SeedMetrics } from '../../src/train/gpuMetrics.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { openSession, replayFlushes } from './sessionHarness.ts';
import { columnsOf, tinyModAdd, tinyParity, trainCheckpoints } from './tiny.ts';

afterEach(() => void vi.restoreAllMocks());

/** Each seed's rows as bundle columns, trained to the end. */
async function runColumns(cfg: TrainingConfig, seeds: number[]): Promise<Record<string, number[]>[]> {
  const checkpoints = await trainCheckpoints(cfg, seeds);
  return seeds.map((_, s) => columnsOf(checkpoints.map((c) => c[s].row)));
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`sv-every on the trainer (${backend})`, () => {
    const cases: [string, TrainingConfig, number][] = [
      ['sparse parity, checkpoint every epoch, k = 3', tinyParity({ epochs: 7 }), 3],
      // checkpoints at epochs 2, 4, 6 and the final 7: ordinals 0…3
      [
        'sparse parity, checkpoint every 2 epochs with an off-grid final epoch, k = 2',
        tinyParity({ epochs: 7, checkpointEvery: 2 }),
        2,
      ],
      ...(backend === 'wasm'
        ? ([['modular addition (15 matrices a seed), k = 2', tinyModAdd({}, { epochs: 5 }), 2]] as [
            string,
            TrainingConfig,
            number,
          ][])
        : []),
    ];
    for (const [name, cfg, k] of cases) {
      it(`${name}: the rows are the k = 1 rows with the singular-value columns carried, all 14 metrics exactly`, async () => {
        await selectBackend({ requested: backend });
        const seeds = [2, 5];
        const every1 = await runColumns(cfg, seeds);
        const compute = vi.spyOn(SeedMetrics.prototype, 'compute');
        const everyK = await runColumns({ ...cfg, singularValuesEvery: k }, seeds);
        const n = every1[0].step.length;
        expect(
          compute.mock.calls.map((c) => c[1]?.singularValues !== false),
          'SVDs only at the due checkpoints',
        ).toEqual(Array.from({ length: n }, (_, i) => i % k === 0));
        seeds.forEach((_, s) => {
          expect(Object.keys(everyK[s])).toEqual([...CHECKPOINT_COLUMNS]);
          expect(everyK[s], `seed ${s}`).toStrictEqual(carrySingularValues(every1[s], k));
          // Not vacuous: the k = 1 run's values change between the rows the carry fills.
          expect(every1[s].spectral[1]).not.toBe(every1[s].spectral[0]);
          expect(everyK[s].spectral[1]).toBe(everyK[s].spectral[0]);
        });
      });
    }

    it('checkpointOrdinal is ⌈epoch / checkpointEvery⌉ − 1, the final off-grid epoch included', async () => {
      await selectBackend({ requested: backend });
      const trainer = new BatchedTrainer(await createTaskModel(tinyParity({ epochs: 7, checkpointEvery: 2 })), [0]);
      const ordinals: number[] = [];
      while (!trainer.done) {
        trainer.step();
        if (trainer.atCheckpoint()) ordinals.push(trainer.checkpointOrdinal());
      }
      expect(ordinals).toEqual([0, 1, 2, 3]);
      trainer.dispose();
    });
  });
}

describe('resuming a run with sv-every 3 equals the uninterrupted run, bit for bit', () => {
  // 4 steps per epoch, a checkpoint every epoch: steps 4 (ordinal 0, due), 8 (1), 12 (2), 16 (3, due), 20, 24, 28 (6, due)
  const cfg = tinyParity({ epochs: 7, singularValuesEvery: 3 });
  const seeds = [3, 4];

  async function uninterrupted() {
    const h = await openSession(cfg, seeds);
    await h.session.start();
    h.session.dispose();
    return { bundle: h.session.bundle, batches: replayFlushes(h.store.flushes) };
  }

  it('stopped right at, just after and between checkpoints that do not compute them', async () => {
    await selectBackend({ requested: 'wasm' });
    const whole = await uninterrupted();
    const run = whole.bundle.groups[0].runs[0].checkpoints;
    expect(run.spectral.slice(0, 4)).toEqual([run.spectral[0], run.spectral[0], run.spectral[0], run.spectral[3]]);
    expect(run.spectral[3]).not.toBe(run.spectral[0]);
    for (const stopAt of [8, 9, 14, 21]) {
      const first = await openSession(cfg, seeds, { saveEveryMs: 0 });
      first.on((e, s) => e.type === 'progress' && e.stepsDone === stopAt && void s.stop());
      const stopped = await first.session.start();
      first.session.dispose();
      expect(stopped).toMatchObject({ reason: 'stopped', stepsDone: stopAt });
      const second = await openSession(cfg, seeds, { resume: first.store.resumePoint() });
      await second.session.start();
      second.session.dispose();
      expect(second.session.bundle, `stopped after step ${stopAt}`).toStrictEqual(whole.bundle);
      expect(
        replayFlushes(second.store.flushes, replayFlushes(first.store.flushes)),
        `stopped after step ${stopAt}`,
      ).toStrictEqual(whole.batches);
    }
  });

  it('a state saved at a checkpoint between due ones whose row never reached the bundle: the row is recomputed with the carried values', async () => {
    await selectBackend({ requested: 'wasm' });
    const whole = await uninterrupted();
    const first = await openSession(cfg, seeds);
    first.on((e, s) => e.type === 'progress' && e.stepsDone === 12 && void s.stop());
    await first.session.start();
    first.session.dispose();
    const point = first.store.resumePoint();
    expect(truncateAfter(point.bundle, 11), 'the row of step 12 (ordinal 2), one per seed').toBe(2);
    const second = await openSession(cfg, seeds, { resume: point });
    expect(second.session.info.resumed).toMatchObject({ epoch: 3, batch: 0, stepsDone: 12, droppedRows: 0 });
    await second.session.start();
    second.session.dispose();
    expect(second.session.bundle).toStrictEqual(whole.bundle);
  });

  it('a run with sv-every 3 does not resume as sv-every 1 (or the other way round)', async () => {
    await selectBackend({ requested: 'wasm' });
    const first = await openSession(cfg, seeds);
    first.on((e, s) => e.type === 'progress' && e.stepsDone === 5 && void s.stop());
    await first.session.start();
    first.session.dispose();
    const { singularValuesEvery: _k, ...every1 } = cfg;
    await expect(openSession(every1, seeds, { resume: first.store.resumePoint() })).rejects.toThrow(
      'cannot resume: the configuration differs from the saved one',
    );
  });
});
