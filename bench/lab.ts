/**
 * The lab in headless Chromium, as issue targets ask: time from Start to the first live map on
 * sparse-parity/quick (40 seeds, backend auto), seed-steps/s in the page against the CLI for the same preset
 * and backend, main-thread long tasks (> 50 ms, PerformanceObserver) per minute of 40-seed training, and the
 * IndexedDB cost of each flush. BENCH_LAB_SECONDS (default 90) sets how long it trains.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainmap } from '../tests/helpers/cli.ts';
import { buildLab, launchLab } from '../tests/e2e/browser.ts';
import { setControl } from '../tests/e2e/labPage.ts';
import { machine, median, type BenchResult } from './harness.ts';

export async function labBench(): Promise<BenchResult> {
  const seconds = Number(process.env.BENCH_LAB_SECONDS ?? 90);
  const lab = await launchLab(await buildLab());
  const rows: BenchResult['rows'] = [];
  let attribution: string[] | undefined;
  let longFrames: number | undefined;
  let observerCheck: string | undefined;
  try {
    // BENCH_LAB_HIDE (e.g. curves,ribbons) hides panels through the lab's own teacher mode, to find what costs main-thread time.
    const page = await lab.open(
      process.env.BENCH_LAB_HIDE ? `?task=sparse-parity&preset=quick&hide=${process.env.BENCH_LAB_HIDE}` : '',
    );
    await page.evaluate(() => {
      const w = window as unknown as {
        longTasks: number[];
        frames: { duration: number; scripts: { what: string; ms: number }[] }[];
      };
      w.longTasks = [];
      w.frames = [];
      // Held on window: an observer nothing references can be garbage-collected, and then it reports nothing.
      const keep = window as unknown as { observers: PerformanceObserver[] };
      keep.observers = [
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))),
      ];
      keep.observers[0].observe({ type: 'longtask', buffered: false });
      // Long animation frames name the scripts that ran in them (Chromium ≥ 123): what the long tasks were.
      type Script = { invoker: string; sourceFunctionName: string; sourceURL: string; duration: number };
      const frames = new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          const scripts = ((e as unknown as { scripts?: Script[] }).scripts ?? []).map((x) => ({
            what: `${x.invoker} ${x.sourceFunctionName || '(anonymous)'} @ ${x.sourceURL.split('/').pop()}`,
            ms: x.duration,
          }));
          if (e.duration > 50) w.frames.push({ duration: e.duration, scripts });
        }),
      );
      keep.observers.push(frames);
      frames.observe({ type: 'long-animation-frame', buffered: false });
    });
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    await setControl(page, 'task', 'sparse-parity');
    await setControl(page, 'preset', 'quick');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('map-summary').filter({ hasText: 'over 40 runs' }).waitFor({ timeout: 300_000 });
    const firstMap = (Date.now() - t0) / 1000;
    const since = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.length);
    const framesSince = await page.evaluate(() => (window as unknown as { frames: unknown[] }).frames.length);
    const started = Date.now();
    const speeds: number[] = [];
    const flushes: number[] = [];
    while (Date.now() - started < seconds * 1000) {
      await page.waitForTimeout(2000);
      const text = (await page.getByTestId('progress').textContent()) ?? '';
      const speed = /(\d+) seed-steps\/s/.exec((await page.getByTestId('strip-group').first().textContent()) ?? '');
      if (speed) speeds.push(Number(speed[1]));
      const flush = /state [\d.]+ MiB · (\d+) ms/.exec(text);
      if (flush) flushes.push(Number(flush[1]));
    }
    const minutes = (Date.now() - started) / 60_000;
    const longTasks = await page.evaluate(
      (from) => (window as unknown as { longTasks: number[] }).longTasks.slice(from),
      since,
    );
    const frames = await page.evaluate(
      (from) =>
        (window as unknown as { frames: { duration: number; scripts: { what: string; ms: number }[] }[] }).frames.slice(
          from,
        ),
      framesSince,
    );
    const byScript = new Map<string, number>();
    for (const f of frames) for (const x of f.scripts) byScript.set(x.what, (byScript.get(x.what) ?? 0) + x.ms);
    attribution = [...byScript.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([what, ms]) => `${what}: ${Math.round(ms)} ms`);
    longFrames = frames.length;
    // The observers work: a deliberate 120 ms task on the main thread must show up in both. (It runs from a
    // timer: work done inside a DevTools evaluate is not reported as a long task.)
    const before = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; frames: unknown[] };
      setTimeout(() => {
        const end = performance.now() + 120;
        while (performance.now() < end);
      }, 0);
      return [w.longTasks.length, w.frames.length];
    });
    await page.waitForTimeout(1000);
    const after = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; frames: unknown[] };
      return [w.longTasks.length, w.frames.length];
    });
    observerCheck = `a deliberate 120 ms main-thread task was seen by the long-task observer: ${after[0] > before[0] ? 'yes' : 'NO'}, by the long-animation-frame observer: ${after[1] > before[1] ? 'yes' : 'NO'}`;
    const backend = (await page.getByTestId('backend').textContent()) ?? '?';
    await page.getByRole('button', { name: 'Stop all' }).click();
    rows.push({
      what: 'Start → first live map (sparse-parity/quick, 40 seeds)',
      value: Number(firstMap.toFixed(1)),
      unit: 's',
      backend,
    });
    rows.push({
      what: 'seed-steps/s in the page (median of 2 s samples)',
      value: median(speeds),
      unit: 'seed-steps/s',
      backend,
    });
    rows.push({
      what: 'main-thread long tasks > 50 ms per minute of training',
      value: Number((longTasks.length / minutes).toFixed(2)),
      unit: 'per minute',
      backend,
    });
    rows.push({
      what: 'longest main-thread task while training',
      value: longTasks.length ? Math.round(Math.max(...longTasks)) : 0,
      unit: 'ms',
      backend,
    });
    rows.push({
      what: 'IndexedDB flush (rows + state, one transaction), median',
      value: flushes.length ? median(flushes) : null,
      unit: 'ms',
      backend,
    });
    // The CLI on the same preset and backend, for the same number of seeds.
    const out = join(mkdtempSync(join(tmpdir(), 'trainmap-bench-')), 'cli.json');
    const cli = trainmap(
      [
        'run',
        '--task',
        'sparse-parity',
        '--preset',
        'quick',
        '--seeds',
        '40',
        '--epochs',
        '4',
        '--backend',
        backend.split(' ')[0],
        '--out',
        out,
      ],
      {
        timeoutMs: 600_000,
      },
    );
    const cliSpeed = /\(([\d.]+) seed-steps\/s\)/.exec(cli.stdout);
    rows.push({
      what: 'seed-steps/s in the CLI (4 epochs, checkpoints included)',
      value: cliSpeed ? Number(cliSpeed[1]) : null,
      unit: 'seed-steps/s',
      backend,
    });
  } finally {
    await lab.close();
  }
  return {
    benchmark: 'lab',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `trained ${seconds} s in the page after the first map; Chromium ${'headless'}, software WebGPU passed over by auto`,
      observerCheck ?? 'observer check not run',
      `${longFrames ?? 0} animation frames over 50 ms while training; the scripts that ran in them, by total time: ${attribution?.join('; ') || 'none named'}`,
    ],
  };
}
