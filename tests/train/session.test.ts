import { describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { truncateAfter } from '../../src/train/bundleBuilder.ts';
import type { SessionEvent } from '../../src/train/sessionTypes.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { poisonSeed } from './poison.ts';
import { MemoryStore, nextEvent, openSession, replayFlushes } from './sessionHarness.ts';
import { tinyModAdd, tinyParity } from './tiny.ts';

/** An uninterrupted run: its bundle and the checkpoint batches its store received. */
async function uninterrupted(cfg: TrainingConfig, seeds: number[]) {
  const h = await openSession(cfg, seeds);
  const done = await h.session.start();
  h.session.dispose();
  return { bundle: h.session.bundle, batches: replayFlushes(h.store.flushes), done, events: h.events };
}

/** Runs until `stopAt` steps are done, stops there (saving after every step on the way), resumes and finishes. */
async function interruptedAt(cfg: TrainingConfig, seeds: number[], stopAt: number) {
  const first = await openSession(cfg, seeds, { saveEveryMs: 0 });
  first.on((e, s) => e.type === 'progress' && e.stepsDone === stopAt && void s.stop());
  const stopped = await first.session.start();
  first.session.dispose();
  const second = await openSession(cfg, seeds, { resume: first.store.resumePoint() });
  const done = await second.session.start();
  second.session.dispose();
  return {
    stopped,
    done,
    bundle: second.session.bundle,
    batches: replayFlushes(second.store.flushes, replayFlushes(first.store.flushes)),
  };
}

const parity = tinyParity({ epochs: 3 }); // 4 steps per epoch, checkpoints at steps 4, 8, 12
const modAdd = tinyModAdd({}, { epochs: 3 }); // AdamW (optimizer slots in the state), 3 steps per epoch

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`resuming a stopped session equals an uninterrupted run, bit for bit (${backend})`, () => {
    const cases: [string, TrainingConfig, number[]][] = [
      // first step, mid-epoch, right at a checkpoint, just after one, the step before the end
      ['sparse parity', parity, [1, 2, 4, 5, 8, 11]],
      ...(backend === 'wasm'
        ? ([['modular addition (AdamW)', modAdd, [2, 3, 7]]] as [string, TrainingConfig, number[]][])
        : []),
    ];
    for (const [name, cfg, stops] of cases) {
      it(`${name}, stopped after steps ${stops.join(', ')}`, async () => {
        await selectBackend({ requested: backend });
        const seeds = [3, 4];
        const whole = await uninterrupted(cfg, seeds);
        expect(whole.done).toMatchObject({
          reason: 'complete',
          stepsDone: whole.done.totalSteps,
          checkpoints: cfg.epochs,
        });
        for (const stopAt of stops) {
          const r = await interruptedAt(cfg, seeds, stopAt);
          expect(r.stopped, `stopped after step ${stopAt}`).toMatchObject({
            reason: 'stopped',
            stepsDone: stopAt,
            stepsRun: stopAt,
          });
          expect(r.done).toMatchObject({
            reason: 'complete',
            stepsRun: whole.done.stepsDone - stopAt,
            checkpoints: cfg.epochs,
          });
          expect(r.bundle, `stopped after step ${stopAt}`).toStrictEqual(whole.bundle);
          // A transactional store that applied every flush holds exactly the uninterrupted rows.
          expect(r.batches, `stopped after step ${stopAt}`).toStrictEqual(whole.batches);
        }
      });
    }

    it('a state saved at a checkpoint whose row never reached the bundle: the row is recomputed', async () => {
      await selectBackend({ requested: backend });
      const whole = await uninterrupted(parity, [0, 1]);
      const first = await openSession(parity, [0, 1]);
      first.on((e, s) => e.type === 'progress' && e.stepsDone === 8 && void s.stop());
      await first.session.start();
      first.session.dispose();
      const point = first.store.resumePoint();
      expect(truncateAfter(point.bundle, 7), 'one row per seed').toBe(2);
      const second = await openSession(parity, [0, 1], { resume: point });
      // The row at step 8 is recomputed, so a copy of the rows keeps those through step 7.
      expect(second.session.info.resumed).toMatchObject({
        epoch: 2,
        batch: 0,
        stepsDone: 8,
        droppedRows: 0,
        keptThrough: 7,
      });
      await second.session.start();
      second.session.dispose();
      expect(second.session.bundle).toStrictEqual(whole.bundle);
      expect(second.store.flushes[0].truncatedAfter).toBe(7);
      expect(second.store.flushes[0].newCheckpoints.map((b) => b.step)).toEqual([8, 12]);
      expect(replayFlushes(second.store.flushes, replayFlushes(first.store.flushes))).toStrictEqual(whole.batches);
    });
  });
}

describe('driving a session', () => {
  it('pause waits after the current step and saves, single steps advance one at a time, resume finishes the same run', async () => {
    await selectBackend({ requested: 'wasm' });
    const whole = await uninterrupted(parity, [0, 1]);
    const h = await openSession(parity, [0, 1]);
    h.on((e, s) => e.type === 'progress' && e.stepsDone === 3 && s.pause());
    const paused = nextEvent(h, 'status');
    const finished = h.session.start();
    expect(await paused).toEqual({ type: 'status', status: 'running' });
    await new Promise<void>((resolve) => h.on((e) => e.type === 'status' && e.status === 'paused' && resolve()));
    expect(h.session.status).toBe('paused');
    expect(h.session.stepsDone).toBe(3);
    // The pause saved everything before it was announced (a user may close the tab once it says paused).
    expect(h.store.flushes.map((f) => [f.reason, f.stepsDone])).toEqual([['pause', 3]]);
    const savedAt = h.events.findIndex((e) => e.type === 'saved');
    expect(savedAt).toBeGreaterThan(-1);
    expect(savedAt).toBeLessThan(h.events.findIndex((e) => e.type === 'status' && e.status === 'paused'));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(h.session.stepsDone, 'no step while paused').toBe(3);
    const before = h.events.length;
    await h.session.step();
    expect(h.session.stepsDone).toBe(4);
    // Step 4 ends epoch 1: the single step computed its checkpoint.
    expect(h.events.slice(before).map((e) => e.type)).toEqual(['checkpoint', 'progress']);
    expect(h.events.at(-2)).toMatchObject({ type: 'checkpoint', step: 4, epoch: 1 });
    await h.session.step();
    expect(h.session.stepsDone).toBe(5);
    expect(h.session.status).toBe('paused');
    h.session.resume();
    const done = await finished;
    h.session.dispose();
    expect(done).toMatchObject({ reason: 'complete', stepsRun: 12, stepsDone: 12 });
    expect(h.session.bundle).toStrictEqual(whole.bundle);
    const statuses = h.events.filter((e) => e.type === 'status').map((e) => (e as { status: string }).status);
    expect(statuses).toEqual(['running', 'paused', 'running']);
    expect(h.events.at(-1)).toMatchObject({ type: 'done', reason: 'complete' });
  });

  it('a run driven by single steps alone ends with its done event, and nothing can be done after', async () => {
    await selectBackend({ requested: 'wasm' });
    const whole = await uninterrupted(parity, [0, 1]);
    const h = await openSession(parity, [0, 1]);
    for (let i = 0; i < 12; i++) await h.session.step();
    const done = await h.session.start();
    expect(done).toMatchObject({ reason: 'complete', stepsRun: 12 });
    expect(h.session.status).toBe('done');
    expect(h.session.bundle).toStrictEqual(whole.bundle);
    await expect(h.session.step()).rejects.toThrow('the session has ended (done); nothing to step');
    h.session.dispose();
  });

  it('stop ends after the current step and saves; a save while paused hands the store the rows since the last save', async () => {
    await selectBackend({ requested: 'wasm' });
    const h = await openSession(parity, [0, 1]);
    for (let i = 0; i < 5; i++) await h.session.step();
    await h.session.save();
    expect(h.store.last).toMatchObject({ reason: 'save', stepsDone: 5, truncatedAfter: null, trainingId: 'test-run' });
    expect(h.store.last.newCheckpoints.map((b) => b.step)).toEqual([4]);
    for (let i = 0; i < 4; i++) await h.session.step();
    const done = await h.session.stop();
    h.session.dispose();
    expect(done).toMatchObject({ reason: 'stopped', stepsDone: 9, stepsRun: 9, checkpoints: 2 });
    expect(h.store.flushes.map((f) => f.reason)).toEqual(['save', 'stop']);
    expect(h.store.last.newCheckpoints.map((b) => b.step)).toEqual([8]);
    expect(h.events.filter((e) => e.type === 'saved').map((e) => (e as { stepsDone: number }).stepsDone)).toEqual([
      5, 9,
    ]);
    expect(h.session.bundle.groups[0].config).toMatchObject({
      trainingId: 'test-run',
      seeds: 2,
      seedStart: 0,
      backend: 'wasm',
    });
  });

  it('the flush policy: a checkpoint saves once saveAtCheckpointMs has passed since the last save, and only then', async () => {
    await selectBackend({ requested: 'wasm' });
    const whole = await uninterrupted(parity, [0, 1]);
    const each = await openSession(parity, [0, 1], { saveAtCheckpointMs: 0 });
    await each.session.start();
    each.session.dispose();
    // Every checkpoint saved as it came (steps between them never do), then the end.
    expect(each.store.flushes.map((f) => [f.reason, f.stepsDone, f.newCheckpoints.map((b) => b.step)])).toEqual([
      ['interval', 4, [4]],
      ['interval', 8, [8]],
      ['interval', 12, [12]],
      ['done', 12, []],
    ]);
    expect(replayFlushes(each.store.flushes)).toStrictEqual(whole.batches);
    // With a clock that never reaches the interval, checkpoints wait for the end.
    const rare = await openSession(parity, [0, 1], { saveAtCheckpointMs: 60_000, now: () => 0 });
    await rare.session.start();
    rare.session.dispose();
    expect(rare.store.flushes.map((f) => [f.reason, f.newCheckpoints.length])).toEqual([['done', 3]]);
  });

  it('yields to its host between steps at most every yieldEveryMs', async () => {
    await selectBackend({ requested: 'wasm' });
    for (const [every, expected] of [
      [0, 12],
      [Infinity, 0],
    ] as const) {
      let yields = 0;
      const h = await openSession(parity, [0], { yieldEveryMs: every, yieldToHost: async () => void yields++ });
      await h.session.start();
      h.session.dispose();
      expect(yields, `yieldEveryMs ${every}`).toBe(expected);
    }
  });

  it('a diverging seed is reported and stops; the others train exactly as without it', async () => {
    await selectBackend({ requested: 'wasm' });
    const cfg = tinyModAdd({}, { epochs: 4 });
    const clean = await uninterrupted(cfg, [0, 1, 2]);
    const h = await openSession(cfg, [0, 1, 2]);
    for (let i = 0; i < 5; i++) await h.session.step();
    await poisonSeed(h.session.trainer, 1);
    const done = await h.session.start();
    h.session.dispose();
    const diverged = h.events.filter((e) => e.type === 'diverged');
    expect(diverged).toEqual([
      { type: 'diverged', seed: 1, step: 6, reason: expect.stringMatching(/not finite at step 6/) },
    ]);
    expect(done).toMatchObject({ reason: 'complete', diverged: [{ seed: 1, step: 6 }] });
    const runs = h.session.bundle.groups[0].runs;
    expect(runs[1].checkpoints.step).toEqual([3, 6]);
    for (const i of [0, 2]) expect(runs[i]).toStrictEqual(clean.bundle.groups[0].runs[i]);
    const progress = h.events.filter((e) => e.type === 'progress') as Extract<SessionEvent, { type: 'progress' }>[];
    expect(progress.at(-1)!.aliveSeeds).toBe(2);
  });

  it('when every seed has diverged the session ends early and says so', async () => {
    await selectBackend({ requested: 'wasm' });
    const h = await openSession(
      tinyParity({ epochs: 6, optimizer: { kind: 'sgd', learningRate: 1e6, weightDecay: 0.01 } }),
      [0, 1],
    );
    const done = await h.session.start();
    h.session.dispose();
    expect(done.reason).toBe('all-diverged');
    expect(done.diverged.map((d) => d.seed)).toEqual([0, 1]);
    expect(done.stepsDone).toBe(Math.max(...done.diverged.map((d) => d.step)));
    expect(done.stepsDone).toBeLessThan(done.totalSteps);
  });

  it('a store that fails ends the session with an error event and the store error', async () => {
    await selectBackend({ requested: 'wasm' });
    const store = new MemoryStore();
    store.failOn = 1;
    const h = await openSession(parity, [0], { store, saveEveryMs: 0 });
    await expect(h.session.start()).rejects.toThrow('disk full (test store)');
    h.session.dispose();
    expect(h.session.status).toBe('failed');
    expect(h.events.at(-1)).toEqual({ type: 'error', message: 'disk full (test store)' });
    expect(h.store.flushes).toHaveLength(1);
  });

  it('refuses to resume from another run, another configuration or other seeds, naming what differs', async () => {
    await selectBackend({ requested: 'wasm' });
    const first = await openSession(parity, [0, 1]);
    for (let i = 0; i < 2; i++) await first.session.step();
    await first.session.stop();
    first.session.dispose();
    const other = await openSession(parity, [0, 1], { trainingId: 'other-run' });
    await other.session.stop();
    other.session.dispose();
    const tensors = tf.memory().numTensors;
    const mixed = { ...first.store.resumePoint(), bundle: other.store.resumePoint().bundle };
    await expect(openSession(parity, [0, 1], { resume: mixed })).rejects.toThrow(
      'memory bundle: cannot resume: it belongs to another run (training id other-run) than memory state (training id test-run)',
    );
    const anonymous = first.store.resumePoint();
    delete anonymous.bundle.groups[0].config.trainingId;
    await expect(openSession(parity, [0, 1], { resume: anonymous })).rejects.toThrow(
      'memory bundle: cannot resume: it has no training id',
    );
    await expect(
      openSession(tinyParity({ epochs: 3, batchSize: 8 }), [0, 1], { resume: first.store.resumePoint() }),
    ).rejects.toThrow('memory bundle: cannot resume: the configuration differs from the saved one');
    await expect(openSession(parity, [0, 1, 2], { resume: first.store.resumePoint() })).rejects.toThrow(
      'memory bundle: cannot resume: it trains seeds 0…1 (2), not 0…2 (3)',
    );
    expect(tf.memory().numTensors, 'refused sessions leave no tensors').toBe(tensors);
    // More epochs is allowed: the run continues.
    const longer = await openSession(tinyParity({ epochs: 4 }), [0, 1], { resume: first.store.resumePoint() });
    expect(longer.session.info.resumed).toMatchObject({ stepsDone: 2 });
    longer.session.dispose();
  });
});
