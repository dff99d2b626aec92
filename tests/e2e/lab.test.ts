/**
 * The lab end to end, as a new user meets it: headless Chromium (Debian's, WebGPU on), the built app served from
 * 127.0.0.1. It opens on the recorded grokking map; a tiny run trains, pauses, survives a reload, resumes and finishes with
 * exactly the numbers the CLI gives; the same run on the browser's WebGPU stays within 1e-3 of wasm; a crashed
 * train worker loses nothing.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunBundle } from '../../src/io/index.ts';
import { labPerFile, shots } from './labPerFile.ts';
import {
  cliRun,
  expectStoredRowsEqual,
  storedGroups,
  storedOf,
  storedRows,
  tinyRun,
  waitForStatus,
} from './labPage.ts';

const lab = labPerFile();
const SEEDS = 3;
const EPOCHS = 12;
const NAME = `sparse-parity/quick, ${SEEDS} seeds`;
/** The CLI's run of the configuration the page trains. */
let reference: RunBundle;
beforeAll(() => {
  reference = cliRun(SEEDS, EPOCHS);
}, 300_000);

describe('the lab in a browser', () => {
  it('opens on the recorded grokking map; a run trains, pauses, survives a reload, resumes and equals the CLI run', async () => {
    const page = await lab().open();
    const map = page.getByRole('region', { name: 'Training map' });
    await expect
      .poll(() => map.getByTestId('map-summary').textContent(), { timeout: 60_000 })
      .toMatch(/^3 states over 40 runs\..*The map is forking/);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/200 checkpoints × 40 recorded runs/);
    await page.screenshot({ path: join(shots, '1-sample-map.png'), fullPage: true });

    await tinyRun(page, 'wasm', EPOCHS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => storedOf(s) >= 3, 120_000);
    await page.getByRole('button', { name: `Pause ${NAME}` }).click();
    const paused = await waitForStatus(page, (s) => /^\d+ checkpoints stored · paused/.test(s), 60_000);
    const before = storedOf(paused);
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(EPOCHS);
    await page.screenshot({ path: join(shots, '2-paused.png'), fullPage: true });

    await page.reload();
    // The session reopens with every checkpoint it had, paused.
    const reopened = await waitForStatus(page, (s) => / · paused/.test(s), 60_000);
    expect(reopened).toMatch(new RegExp(`^${before} checkpoints stored`));
    await expect.poll(() => page.getByText(`Your runs: ${NAME}`).count()).toBe(1);
    await page.getByRole('button', { name: `Resume ${NAME}` }).click();
    await expect
      .poll(() => page.getByTestId('phase').textContent(), { timeout: 60_000 })
      .toMatch(/continued from step \d+/);
    // It continues from the exact step where it paused (a pause lands after the step in progress).
    expect(
      Number(/continued from step (\d+)/.exec((await page.getByTestId('phase').textContent())!)![1]),
    ).toBeGreaterThanOrEqual(before * 32);
    await waitForStatus(page, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 240_000);
    await expect.poll(() => map.getByTestId('map-summary').textContent(), { timeout: 60_000 }).toMatch(/over 3 runs/);
    await page.screenshot({ path: join(shots, '3-finished.png'), fullPage: true });

    // What the browser stored equals the CLI's run of the same configuration, bit for bit.
    const [group] = await storedGroups(page);
    expect(group.status).toBe('done');
    await expectStoredRowsEqual(page, group.id, reference);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 600_000);

  it("the browser's WebGPU backend trains the same tiny run within 1e-3 of wasm", async () => {
    const page = await lab().open('', { fresh: true });
    for (const backend of ['wasm', 'webgpu']) {
      await tinyRun(page, backend, 2, 2);
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      // The new group is on show once its backend is (the status line of the group before says done too).
      await expect
        .poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 })
        .toMatch(backend === 'webgpu' ? /^webgpu/ : /^wasm · \d+ threads?$/);
      // SwiftShader runs WebGPU on the CPU: two checkpoints of the metric kernels take minutes on a loaded machine.
      await waitForStatus(page, (s) => /^2 checkpoints stored · done/.test(s), 480_000);
    }
    const groups = await storedGroups(page);
    const [gpu, cpu] = groups.filter((g) => g.config.epochs === 2 && g.seeds.length === 2);
    expect(gpu.backend?.name).toBe('webgpu');
    expect(cpu.backend?.name).toBe('wasm');
    // The second group is named by what differs from the first.
    expect(await page.getByRole('button', { name: 'backend webgpu', exact: true }).count()).toBeGreaterThan(0);
    const [a, b] = [await storedRows(page, gpu.id), await storedRows(page, cpu.id)];
    expect(a).toHaveLength(2);
    a.forEach((batch, i) =>
      batch.rows.forEach((r, s) => {
        // The metrics came from our WGSL kernels on WebGPU and from the CPU reference on wasm.
        expect([r.row.metrics_gpu, b[i].rows[s].row.metrics_gpu]).toEqual([1, 0]);
        for (const [column, v] of Object.entries(r.row)) {
          if (column === 'metrics_gpu') continue;
          const w = b[i].rows[s].row[column as keyof typeof r.row];
          expect(Math.abs(v - w), `${column} seed ${r.seed}`).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(w)));
        }
      }),
    );
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('a crashed train worker leaves the group interrupted with a clear message, and the resumed run loses nothing', async () => {
    const page = await lab().open('', { fresh: true });
    await tinyRun(page, 'wasm', EPOCHS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => storedOf(s) >= 3, 120_000);

    // The worker dies of an uncaught error.
    const worker = page.workers().find((w) => w.url().includes('train.worker'))!;
    await worker.evaluate(() =>
      setTimeout(() => {
        throw new Error('simulated crash');
      }),
    );
    await waitForStatus(page, (s) => / · interrupted/.test(s), 60_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(
        expect.stringMatching(
          /^Training of sparse-parity\/quick, 3 seeds stopped: the train worker \(backend wasm\) stopped \(.*simulated crash.*\); everything up to the last saved checkpoint is kept/,
        ),
      );
    await page.screenshot({ path: join(shots, '4-worker-crashed.png'), fullPage: true });
    await page.getByRole('button', { name: `Resume ${NAME}` }).click();
    await expect
      .poll(() => page.getByTestId('phase').textContent(), { timeout: 60_000 })
      .toMatch(/continued from step [1-9]\d*/);
    await waitForStatus(page, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 240_000);

    const [group] = await storedGroups(page);
    await expectStoredRowsEqual(page, group.id, reference);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 600_000);
});
