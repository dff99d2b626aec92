/**
 * The lab's store in headless Chromium, on the browser's own IndexedDB and Web Locks: a version-1 database is
 * upgraded in place; a flush writes rows, drops the rows a resume recomputes, and keeps the state and counts in
 * one transaction (a flush for a deleted group writes nothing); a group no worker stands behind is settled under
 * its lock (interrupted, kept, or gone when it never checkpointed), and left alone while a lock holder has it.
 */
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import type { GroupRecord } from '../../src/store/labDb.ts';
import type { SeedCheckpoint } from '../../src/train/batchedTrainer.ts';
import { CHROMIUM_ARGS } from '../e2e/browser.ts';
import { serveBundledPage, type ServedPage } from '../helpers/bundledPage.ts';
import type { StoreApi } from './browser/page.ts';

let served: ServedPage;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  served = await serveBundledPage(resolve(import.meta.dirname, 'browser/page.ts'), 'store');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--headless=new'],
  });
  page = await (await browser.newContext()).newPage();
  await page.goto(served.url);
  await page.waitForFunction(() => 'store' in window);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** Runs `work` in the page with the store's functions, on a database of its own. */
function inPage<T, A>(work: (store: StoreApi, db: string, arg: A) => Promise<T>, arg: A): Promise<T> {
  const name = `test-${Math.random().toString(36).slice(2)}`;
  return page.evaluate(
    async ([source, db, a]) => {
      const store = (window as unknown as { store: StoreApi }).store;
      const fn = new Function(`return (${source})`)() as (s: StoreApi, db: string, arg: unknown) => Promise<unknown>;
      return fn(store, db, a);
    },
    [work.toString(), name, arg] as const,
  ) as Promise<T>;
}

function record(id: string, over: Partial<GroupRecord> = {}): GroupRecord {
  return {
    id,
    sessionId: 'session-a',
    createdAt: 1,
    updatedAt: 1,
    status: 'running',
    settings: { task: 'sparse-parity', preset: 'quick', seeds: 2 },
    config: {
      task: 'sparse-parity',
      preset: 'quick',
      epochs: 3,
      checkpointEvery: 1,
      batchSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
      convergenceThreshold: 0.9,
      model: {},
    } as unknown as GroupRecord['config'],
    seeds: [0, 1],
    backendRequested: 'wasm',
    trainingId: 't1',
    head: { name: 'sparse-parity/quick', config: { trainingId: 't1' } },
    checkpoints: 0,
    stepsDone: 0,
    stateBytes: 0,
    ...over,
  };
}

/** One checkpoint of both seeds at `step`, every other column `value`. */
function batch(step: number, value: number): { step: number; epoch: number; rows: SeedCheckpoint[] } {
  const row = Object.fromEntries(CHECKPOINT_COLUMNS.map((c) => [c, c === 'step' ? step : value]));
  return { step, epoch: step / 4, rows: [0, 1].map((seed) => ({ seed, row: { ...row } as SeedCheckpoint['row'] })) };
}

describe('the lab store in a browser', () => {
  it('upgrades a version-1 database in place: sessions, status words, the retired fields gone', async () => {
    const after = await inPage(async (store, db) => {
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(db, 1);
        open.onupgradeneeded = () => {
          const d = open.result;
          d.createObjectStore('groups', { keyPath: 'id' }).createIndex('byLab', 'labId');
          d.createObjectStore('rows', { keyPath: ['groupId', 'step'] });
          d.createObjectStore('states', { keyPath: 'groupId' });
          d.createObjectStore('analyses', { keyPath: 'groupId' });
          const groups = open.transaction!.objectStore('groups');
          const base = { title: 'old title', totalSteps: 99, checkpoints: 2, createdAt: 1, updatedAt: 1 };
          groups.put({ ...base, id: 'a', labId: 'lab-1', status: 'training' });
          groups.put({
            ...base,
            id: 'b',
            labId: 'lab-1',
            status: 'paused',
            message: 'Training paused: the worker crashed',
          });
          groups.put({ ...base, id: 'c', labId: 'lab-2', status: 'done' });
        };
        open.onsuccess = () => (open.result.close(), resolve());
        open.onerror = () => reject(open.error);
      });
      const d = await store.openLabDb(db);
      const out = {
        groups: await store.listGroups(d),
        lab1: (await store.sessionGroups(d, 'lab-1')).map((g) => g.id),
        views: [...d.objectStoreNames].includes('views'),
        version: d.version,
      };
      d.close();
      return out;
    }, null);
    expect(after.version).toBe(2);
    expect(after.views).toBe(true);
    expect(after.lab1.sort()).toEqual(['a', 'b']);
    const byId = Object.fromEntries(after.groups.map((g) => [g.id, g]));
    expect(byId.a).toMatchObject({ sessionId: 'lab-1', status: 'running' });
    expect(byId.b).toMatchObject({
      sessionId: 'lab-1',
      status: 'interrupted',
      reason: 'Training paused: the worker crashed',
    });
    expect(byId.c).toMatchObject({ sessionId: 'lab-2', status: 'done' });
    for (const g of after.groups)
      for (const gone of ['title', 'totalSteps', 'labId', 'message']) expect(g).not.toHaveProperty(gone);
  });

  it('a flush writes rows, drops those a resume recomputes, keeps state and counts together; a gone group gets nothing', async () => {
    const out = await inPage(
      async (store, db, { rec, b1, b2, b3, b2again }) => {
        const d = await store.openLabDb(db);
        await store.createGroup(d, rec);
        const state = (n: number) => ({ stepsDone: n, bytes: new Uint8Array(n) });
        await store.writeFlush(d, {
          groupId: rec.id,
          truncatedAfter: null,
          newCheckpoints: [b1, b2, b3],
          state: state(12),
          checkpoints: 3,
        });
        // A resume from step 4: rows above it are dropped and the one at 8 is written again.
        await store.writeFlush(d, {
          groupId: rec.id,
          truncatedAfter: 4,
          newCheckpoints: [b2again],
          state: state(8),
          checkpoints: 2,
        });
        const loaded = await store.loadGroup(d, rec.id);
        const after4 = await store.readRowsAfter(d, rec.id, 4);
        await store.deleteGroup(d, rec.id);
        let refused = '';
        try {
          await store.writeFlush(d, {
            groupId: rec.id,
            truncatedAfter: null,
            newCheckpoints: [b1],
            state: state(4),
            checkpoints: 1,
          });
        } catch (e) {
          refused = (e as Error).message;
        }
        const rowsLeft = await d.getAll('rows');
        const statesLeft = await d.getAll('states');
        d.close();
        return {
          steps: loaded.bundle.groups[0].runs.map((r) => r.checkpoints.step),
          l1: loaded.bundle.groups[0].runs[0].checkpoints.l1,
          record: loaded.record,
          state: loaded.state && { stepsDone: loaded.state.stepsDone, bytes: loaded.state.bytes.length },
          after4: after4.rows.map((r) => r.step),
          refused,
          rowsLeft: rowsLeft.length,
          statesLeft: statesLeft.length,
        };
      },
      { rec: record('g1'), b1: batch(4, 1), b2: batch(8, 2), b3: batch(12, 3), b2again: batch(8, 5) },
    );
    expect(out.steps).toEqual([
      [4, 8],
      [4, 8],
    ]);
    expect(out.l1).toEqual([1, 5]);
    expect(out.record).toMatchObject({ checkpoints: 2, stepsDone: 8, stateBytes: 8 });
    expect(out.state).toEqual({ stepsDone: 8, bytes: 8 });
    expect(out.after4).toEqual([8]);
    expect(out.refused).toBe('the stored group g1 is gone (deleted in another tab?)');
    expect([out.rowsLeft, out.statesLeft]).toEqual([0, 0]);
  });

  it('settles groups no worker stands behind, under their lock; a held group is left alone', async () => {
    const out = await inPage(
      async (store, db, recs) => {
        const d = await store.openLabDb(db);
        for (const r of recs) await store.createGroup(d, r);
        const settled: Record<string, string> = {};
        for (const r of recs.slice(0, 4)) settled[r.id] = await store.settleGroup(d, r.id, 'its tab closed');
        // A worker elsewhere holds the last one: it is not touched, and it shows among the held groups.
        let release = () => {};
        const holding = navigator.locks.request(store.groupLock('held'), () => new Promise<void>((r) => (release = r)));
        await new Promise((r) => setTimeout(r, 50));
        const held = [...(await store.heldGroups())];
        settled.held = await store.settleGroup(d, 'held', 'its tab closed');
        const waited = await store.settleGroup(d, 'held', 'its tab closed', 100);
        release();
        await holding;
        settled.gone = await store.settleGroup(d, 'nobody');
        const after = Object.fromEntries((await store.listGroups(d)).map((g) => [g.id, [g.status, g.reason ?? '']]));
        d.close();
        return { settled, held, waited, after };
      },
      [
        record('running', { checkpoints: 3 }),
        record('starting-empty', { status: 'starting' }),
        record('paused', { status: 'paused', checkpoints: 2 }),
        record('done', { status: 'done', checkpoints: 3 }),
        record('held', { checkpoints: 1 }),
      ],
    );
    expect(out.settled).toEqual({
      running: 'changed',
      'starting-empty': 'deleted',
      paused: 'kept',
      done: 'kept',
      held: 'held',
      gone: 'gone',
    });
    expect(out.waited).toBe('held');
    expect(out.held).toEqual(['held']);
    expect(out.after).toEqual({
      running: ['interrupted', 'its tab closed'],
      paused: ['paused', ''],
      done: ['done', ''],
      held: ['running', ''],
    });
  });

  it("the page's own facts: the open view, and an analysis only of a group that exists", async () => {
    const out = await inPage(async (store, db, rec) => {
      const d = await store.openLabDb(db);
      await store.createGroup(d, rec);
      const report = { note: 'a report' } as unknown as Parameters<StoreApi['saveAnalysis']>[2];
      await store.saveAnalysis(d, rec.id, report, 3);
      await store.saveAnalysis(d, 'deleted', report, 3);
      await store.putOpenView(d, { sessionId: rec.sessionId, groupId: rec.id });
      const view = await store.getOpenView(d);
      const analyses = (await d.getAll('analyses')).map((a) => [a.groupId, a.checkpoints]);
      d.close();
      return { view: view && { sessionId: view.sessionId, groupId: view.groupId }, analyses };
    }, record('g2'));
    expect(out.view).toEqual({ sessionId: 'session-a', groupId: 'g2' });
    expect(out.analyses).toEqual([['g2', 3]]);
  });
});
