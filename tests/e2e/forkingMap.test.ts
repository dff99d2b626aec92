/**
 * A map grown in the browser that forks: the teaching preset modular-addition/quick (grokking), 8 seeds for 400
 * epochs on wasm, trained in the page from a shared link, as a teacher would open it. The seeds memorize at
 * the same time and generalize at different ones (3 of 8 by epoch 400), so their paths part. With 8 runs
 * model selection holds out only 2 and picks few states (the page says it is unreliable), so the link fixes K=5.
 * Since the fused modular-addition step of the engine work the runs differ from before: at K=4
 * the best fit is degenerate (two states alternating every checkpoint, a 2-cycle and no branch); at K=5 all 20
 * restarts are forking, and the shown fit branches.
 * The screenshot is the README's picture of a forking map.
 *
 * The same configuration by the CLI (`trainmap run … --epochs 400`, then `analyze --states 5` on it) gives a
 * forking map too; the page's rows equal the CLI's bit for bit on wasm (lab.test.ts checks that on a shorter run).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { storedGroups, storedRows, waitForStatus } from './labPage.ts';

const lab = labPerFile();

describe('a map grown in the browser', () => {
  it('modular addition, 8 seeds: the map grows while they train and forks as they generalize at different times', async () => {
    const page = await lab().open('?task=modular-addition&preset=quick&seeds=8&epochs=400&backend=wasm&states=5&v=1', {
      fresh: true,
    });
    const map = page.getByRole('region', { name: 'Training map' });
    // The sample map first, then the user's own run.
    await map.getByTestId('map-summary').filter({ hasText: 'over 40 runs' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // A live map while it trains (the analysis of the runs so far, refitted as checkpoints arrive).
    await waitForStatus(page, (s) => Number(/^(\d+) checkpoints stored/.exec(s)?.[1] ?? 0) >= 20, 600_000);
    await expect
      .poll(() => map.getByTestId('map-summary').textContent(), { timeout: 120_000 })
      .toMatch(/^\d+ states? over 8 runs\./);
    await page.screenshot({ path: join(shots, '7-forking-growing.png'), fullPage: true });

    await waitForStatus(page, (s) => /^80 checkpoints stored · done/.test(s), 900_000);
    // The full analysis of the finished runs (K fixed at 5 by the link) swaps in once its stability restarts are
    // done (the status line then names no activity and no refit): five states, and a fork.
    await waitForStatus(page, (s) => s === '80 checkpoints stored · done', 300_000);
    await expect
      .poll(() => page.getByRole('region', { name: 'Model selection' }).textContent())
      .toMatch(/K = 5, fixed by the states setting/);
    expect(await page.getByText('the map is a refit').count()).toBe(0);
    await expect
      .poll(() => map.getByTestId('map-summary').textContent(), { timeout: 180_000 })
      .toMatch(/^5 states over 8 runs\. Edges: .*The map is forking/);
    const summary = (await map.getByTestId('map-summary').textContent())!;
    // A fork: some state has edges to two different states.
    const edges = [...summary.matchAll(/(\d+)→(\d+) \(/g)].map((m) => [m[1], m[2]] as const);
    const targets = new Map<string, Set<string>>();
    for (const [from, to] of edges) targets.set(from, (targets.get(from) ?? new Set()).add(to));
    expect(
      [...targets.values()].some((t) => t.size >= 2),
      summary,
    ).toBe(true);
    await page.screenshot({ path: join(shots, '8-forking-map.png'), fullPage: true });

    const [group] = await storedGroups(page);
    expect(group.status).toBe('done');
    const rows = await storedRows(page, group.id);
    expect(rows).toHaveLength(80);
    // Seeds generalized at different times: by the end some are above 0.9 eval accuracy and some are not.
    const last = rows.at(-1)!.rows.map((r) => r.row.eval_acc);
    expect(last.filter((a) => a > 0.9).length).toBeGreaterThan(0);
    expect(last.filter((a) => a <= 0.9).length).toBeGreaterThan(0);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 1_500_000);
});
