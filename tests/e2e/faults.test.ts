/**
 * Faults end to end (issue #19), each on a tiny sparse-parity run in headless Chromium, with nothing in the app made
 * for the test: a backend that cannot start (its real wasm binary answered with bytes that do not compile), a train
 * worker whose script does not load, and on the browser's software WebGPU a GPU read-back whose mapAsync rejects
 * and a GPU device destroyed mid-run (both done from the test inside the train worker, through the browser's own
 * objects). Each says why on the page, loses nothing, and what resumes ends with the rows of an uninterrupted run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { storedGroups, storedOf, storedRows, tinyRun, waitForStatus, breakWasm } from './labPage.ts';

const lab = labPerFile();
const SEEDS = 2;
const EPOCHS = 6;
const NAME = `sparse-parity/quick, ${SEEDS} seeds`;
/** SwiftShader runs WebGPU on the CPU: a checkpoint of the metric kernels takes a minute or more under load. */
const GPU_EPOCHS = 3;

describe('faults in the page', () => {
  it('a backend that cannot start fails the group with the backend and the reason, and offers one that starts', async () => {
    const page = await lab().open('', { fresh: true });
    // The wasm binaries arrive, but not as WebAssembly (breakWasm): tfjs-wasm's compile fails inside the train worker.
    await breakWasm(page);
    await tinyRun(page, 'wasm', EPOCHS, SEEDS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => /^0 checkpoints stored · failed/.test(s), 120_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringMatching(/^failed: backend 'wasm' is not available here \(wasm: .*CompileError/));
    const [failed] = await storedGroups(page);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/backend 'wasm' .*CompileError/);
    await page.screenshot({ path: join(shots, 'faults-1-backend-failed.png'), fullPage: true, timeout: 120_000 });

    // The worker tried the others: the software WebGPU and WebGL lose to wasm, so the one that starts is cpu.
    await page.getByRole('button', { name: `Start ${NAME} on cpu` }).click();
    await waitForStatus(page, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 240_000);
    const [group] = await storedGroups(page);
    expect([group.id, group.backend?.name, group.backendRequested, group.reason]).toEqual([
      failed.id,
      'cpu',
      'cpu',
      undefined,
    ]);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 400_000);

  it('a train worker whose script does not load is said, naming the backend', async () => {
    const page = await lab().open('', { fresh: true });
    await page.context().route(/train\.worker[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
    await tinyRun(page, 'wasm', EPOCHS, SEEDS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 60_000 })
      .toContainEqual(
        expect.stringMatching(
          new RegExp(`^Training of ${NAME} stopped: the train worker \\(backend wasm\\) stopped \\(.+\\)`),
        ),
      );
    lab().errors.length = 0; // the 404 of the worker script is logged as a console error, as it should be
    await page.close();
  }, 120_000);

  it("on the browser's WebGPU, a failed mapAsync and then a lost device each stop training with why; resumed, the rows equal an uninterrupted run", async () => {
    const page = await lab().open('', { fresh: true });
    // The uninterrupted run on the same software WebGPU (SwiftShader): the reference the resumed one must equal.
    await tinyRun(page, 'webgpu', GPU_EPOCHS, SEEDS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => new RegExp(`^${GPU_EPOCHS} checkpoints stored · done`).test(s), 900_000);
    const [whole] = await storedGroups(page);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(async () => (await storedGroups(page)).length, { timeout: 60_000 }).toBe(2);
    const [faulted] = await storedGroups(page);
    // Named by what differs from the first group: nothing.
    const resume = page.getByRole('button', { name: 'Resume same settings', exact: true });
    const trainWorker = () =>
      page
        .workers()
        .filter((w) => w.url().includes('train.worker'))
        .at(-1)!;

    // 1. From the first checkpoint on, every mapAsync of the train worker rejects as in tfjs #8571.
    await waitForStatus(page, (s) => storedOf(s) >= 1 && / · running/.test(s), 900_000);
    await trainWorker().evaluate(() => {
      GPUBuffer.prototype.mapAsync = () =>
        Promise.reject(
          new DOMException(
            "Failed to execute 'mapAsync' on 'GPUBuffer': Instance reference no longer exists.",
            'OperationError',
          ),
        );
    });
    await waitForStatus(page, (s) => / · failed/.test(s), 600_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(
        expect.stringMatching(/^failed: reading results back from the GPU failed \(.*mapAsync.*\); .*resume/),
      );
    await page.screenshot({ path: join(shots, 'faults-2-map-async.png'), fullPage: true, timeout: 120_000 });
    expect((await storedGroups(page))[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/mapAsync/),
    });

    // 2. Resumed in a new worker, its GPU device is destroyed after the next checkpoint.
    const kept = (await storedGroups(page))[0].checkpoints;
    await resume.click();
    await waitForStatus(page, (s) => storedOf(s) > kept && / · running/.test(s), 900_000);
    await trainWorker().evaluate(() => {
      const engine = (globalThis as unknown as { _tfengine: { backendInstance: { device: GPUDevice } } })._tfengine;
      engine.backendInstance.device.destroy();
    });
    await waitForStatus(page, (s) => / · (failed|stopped)/.test(s), 600_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringMatching(/the GPU device was lost \(.+\); training stopped — resume/));
    await page.screenshot({ path: join(shots, 'faults-3-device-lost.png'), fullPage: true, timeout: 120_000 });

    await resume.click();
    await waitForStatus(page, (s) => new RegExp(`^${GPU_EPOCHS} checkpoints stored · done`).test(s), 900_000);
    const [a, b] = [await storedRows(page, whole.id), await storedRows(page, faulted.id)];
    expect(b.map((r) => r.step)).toEqual(a.map((r) => r.step));
    expect(b.map((r) => r.rows)).toEqual(a.map((r) => r.rows));
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 2_400_000);
});
