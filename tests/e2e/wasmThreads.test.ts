/**
 * Cross-origin isolation and tfjs-wasm's threads, end to end: the same built lab served with COOP/COEP (as
 * `npm start` and the Vite servers serve it) and without them (as a plain static host would). Isolated, the train
 * worker starts the threaded build (its pthread workers load from the bundle: src/train/wasmBrowser.ts) and the
 * page names the thread count; not isolated, it trains on one thread. Both train modular-addition/quick to the
 * same numbers, bit for bit: XNNPACK splits a product's output tiles over the threads, never one dot product.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointRow } from '../../src/train/batchedTrainer.ts';
import { buildLab, launchLab, type LabBrowser } from './browser.ts';
import { storedGroups, storedRows, waitForStatus } from './labPage.ts';

const RUN = '?task=modular-addition&preset=quick&seeds=2&epochs=4&checkpoint-every=2&backend=wasm&v=1';

let isolated: LabBrowser | undefined;
let plain: LabBrowser | undefined;

beforeAll(async () => {
  const dir = await buildLab();
  isolated = await launchLab(dir);
  plain = await launchLab(dir, { crossOriginIsolation: false });
}, 300_000);

afterAll(async () => {
  await isolated?.close();
  await plain?.close();
});

/** Trains RUN in a fresh page of `lab`; returns whether the page was isolated, the backend line and every row. */
async function train(lab: LabBrowser): Promise<{ isolated: boolean; backend: string; rows: CheckpointRow[][] }> {
  const page = await lab.open(RUN, { fresh: true });
  const crossOriginIsolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
  // The page is ready once it shows the sample map; then Start trains the link's run.
  await page
    .getByRole('region', { name: 'Training map' })
    .getByTestId('map-summary')
    .filter({ hasText: 'over 40 runs' })
    .waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForStatus(page, (s) => /^2 checkpoints stored · done/.test(s), 600_000);
  const backend = ((await page.getByTestId('backend').textContent()) ?? '').trim();
  const [group] = await storedGroups(page);
  const rows = (await storedRows(page, group.id)).map((r) => r.rows.map((x) => x.row as CheckpointRow));
  await page.close();
  return { isolated: crossOriginIsolated, backend, rows };
}

describe('tfjs-wasm threads in a cross-origin isolated page', () => {
  it('trains with COOP/COEP on threads and without them on one, to the same numbers', async () => {
    const threaded = await train(isolated!);
    const single = await train(plain!);
    expect(threaded.isolated).toBe(true);
    expect(single.isolated).toBe(false);
    // The isolated page names its threads (the cores Chromium reports, at least 2 here); the plain page one.
    expect(threaded.backend).toMatch(/^wasm · \d+ threads$/);
    expect(Number(/(\d+) threads/.exec(threaded.backend)![1])).toBeGreaterThanOrEqual(2);
    expect(single.backend).toBe('wasm · 1 thread');
    expect(threaded.rows).toHaveLength(2);
    expect(threaded.rows.flat().every((r) => Number.isFinite(r.train_loss) && r.train_loss > 0)).toBe(true);
    // Bit for bit: every column of every checkpoint of both seeds.
    expect(threaded.rows).toEqual(single.rows);
    expect(isolated!.errors).toEqual([]);
    expect(plain!.errors).toEqual([]);
  }, 1_200_000);
});
