/**
 * The CPU teaching preset in the lab, as a class would use it (issue #16 §3): headless Chromium opens
 * `?task=modular-addition&preset=<preset>&seeds=40&backend=wasm`, presses Start and watches the map summary with K
 * chosen by model selection. It reports the time from Start to the first live map, to the first map with two or
 * more states and to the first forking map, the page's seed-steps/s, and the load average of the machine at the
 * start and the end (other work on the machine slows all of these). BENCH_TEACHING_PRESET (default the CPU teaching
 * preset) and BENCH_TEACHING_SECONDS (default 300) set what and how long it watches.
 */
import { loadavg } from 'node:os';
import { buildLab, launchLab } from '../tests/e2e/browser.ts';
import { teachingPreset } from '../tasks/teachingPreset.ts';
import { machine, median, type BenchResult } from './harness.ts';

export async function teachingPresetBench(): Promise<BenchResult> {
  const preset = process.env.BENCH_TEACHING_PRESET ?? teachingPreset('modular-addition', { name: 'wasm' });
  const seconds = Number(process.env.BENCH_TEACHING_SECONDS ?? 300);
  const loadBefore = loadavg().map((v) => +v.toFixed(1));
  const lab = await launchLab(await buildLab());
  const timeline: { t: number; summary: string; progress: string }[] = [];
  let firstMap: number | null = null;
  let twoStates: number | null = null;
  let firstFork: number | null = null;
  const speeds: number[] = [];
  let backend = '?';
  try {
    const page = await lab.open(`?task=modular-addition&preset=${preset}&seeds=40&backend=wasm`, { fresh: true });
    // The page is ready once it has drawn the sample it opens on.
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(1000);
      const t = (Date.now() - t0) / 1000;
      const summary = (await page.getByTestId('map-summary').textContent()) ?? '';
      const progress = (await page.getByTestId('progress').textContent()) ?? '';
      const speed = /(\d+) seed-steps\/s/.exec(progress);
      if (speed) speeds.push(Number(speed[1]));
      const states = /(\d+) states? over 40 runs/.exec(summary);
      if (states) {
        firstMap ??= t;
        if (Number(states[1]) >= 2) twoStates ??= t;
        if (/The map is forking/.test(summary)) firstFork ??= t;
      }
      if (timeline.length === 0 || timeline[timeline.length - 1].summary !== summary)
        timeline.push({ t: Math.round(t), summary, progress });
      if (firstFork !== null && t > firstFork + 10) break;
    }
    backend = (await page.getByTestId('backend').textContent()) ?? '?';
    await page.getByRole('button', { name: 'Stop' }).click();
  } finally {
    await lab.close();
  }
  const row = (what: string, value: number | null, unit: string) => ({
    what,
    value: value === null ? null : Number(value.toFixed(1)),
    unit,
    backend,
  });
  return {
    benchmark: 'teaching-preset',
    date: new Date().toISOString(),
    machine: machine(),
    rows: [
      row(`Start → first live map (modular-addition/${preset}, 40 seeds, wasm)`, firstMap, 's'),
      row('Start → first map with ≥ 2 states', twoStates, 's'),
      row('Start → first forking map (K by model selection)', firstFork, 's'),
      row('seed-steps/s in the page (median of 1 s samples)', speeds.length ? median(speeds) : null, 'seed-steps/s'),
    ],
    notes: [
      `load average (1, 5, 15 min) at the start ${loadBefore.join(', ')}, at the end ${loadavg()
        .map((v) => v.toFixed(1))
        .join(', ')} on ${machine().cores} cores: other work on the machine lengthens every time above`,
      `watched up to ${seconds} s; ${firstFork === null ? 'no forking map in that time' : 'stopped 10 s after the first fork'}`,
      ...timeline.map((e) => `${e.t} s: ${e.summary} | ${e.progress}`),
    ],
  };
}
