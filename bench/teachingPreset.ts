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
import { branchingOf } from '../src/replay/sameMap.ts';
import { storedOf } from '../tests/e2e/labPage.ts';
import { machine, type BenchResult } from './harness.ts';

/** States with edges to two or more other states, read off the map summary's "Edges: 0→1 (40 runs), 1→2 …". */
function branchingStates(summary: string): number[] {
  return branchingOf([...summary.matchAll(/(\d+)→(\d+) \(/g)].map(([, from, to]) => ({ from: +from, to: +to })));
}

/** Steps per second between the first and the last sample, times the 40 seeds. */
function seedStepsPerSecond(steps: { t: number; step: number }[]): number | null {
  if (steps.length < 2) return null;
  const [a, b] = [steps[0], steps[steps.length - 1]];
  return b.t > a.t ? ((b.step - a.step) * 40) / (b.t - a.t) : null;
}

export async function teachingPresetBench(): Promise<BenchResult> {
  const preset = process.env.BENCH_TEACHING_PRESET ?? teachingPreset('modular-addition', { name: 'wasm' });
  const seconds = Number(process.env.BENCH_TEACHING_SECONDS ?? 300);
  const loadBefore = loadavg().map((v) => +v.toFixed(1));
  const lab = await launchLab(await buildLab());
  const timeline: { t: number; summary: string; progress: string }[] = [];
  let firstMap: number | null = null;
  let twoStates: number | null = null;
  let firstFork: number | null = null;
  let notLinear: number | null = null;
  let doneAt: number | null = null;
  const steps: { t: number; step: number }[] = [];
  let backend = '?';
  try {
    const page = await lab.open(`?task=modular-addition&preset=${preset}&seeds=40&backend=wasm`, { fresh: true });
    // The page is ready once it has drawn the sample it opens on.
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    // Until the session's own first map arrives, the page still shows the sample's (also 40 runs): not counted.
    const sampleSummary = await page.getByTestId('map-summary').textContent();
    let own = false;
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(1000);
      const t = (Date.now() - t0) / 1000;
      const summary = (await page.getByTestId('map-summary').textContent()) ?? '';
      const progress = (await page.getByTestId('progress').textContent()) ?? '';
      const status = (await page.getByRole('status').textContent()) ?? '';
      const step = /step (\d+) \/ (\d+)/.exec(progress);
      if (step) steps.push({ t, step: Number(step[1]) });
      own ||= storedOf(status) > 0 && summary !== sampleSummary;
      const states = own ? /(\d+) states? over 40 runs/.exec(summary) : null;
      if (states) {
        firstMap ??= t;
        if (Number(states[1]) >= 2) twoStates ??= t;
        if (/The map is forking/.test(summary)) notLinear ??= t;
        if (branchingStates(summary).length) firstFork ??= t;
      }
      if (timeline.length === 0 || timeline[timeline.length - 1].summary !== summary)
        timeline.push({ t: Math.round(t), summary, progress });
      // After the last step the page still runs its final full selection: watch a minute more for it.
      if (/ · done/.test(status)) doneAt ??= t;
      if ((doneAt !== null && t > doneAt + 60) || (firstFork !== null && t > firstFork + 10)) break;
    }
    backend = (await page.getByTestId('backend').textContent()) ?? '?';
    const stop = page.getByRole('button', { name: 'Stop all' });
    if (await stop.isEnabled()) await stop.click();
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
      row('Start → first map the page calls forking (not a line; a back-and-forth counts)', notLinear, 's'),
      row('Start → first fork: a state with two successors (K by model selection)', firstFork, 's'),
      row('Start → the last step trained', doneAt, 's'),
      row(
        'seed-steps/s in the page (steps × 40 seeds over the time watched)',
        seedStepsPerSecond(steps),
        'seed-steps/s',
      ),
    ],
    notes: [
      `load average (1, 5, 15 min) at the start ${loadBefore.join(', ')}, at the end ${loadavg()
        .map((v) => v.toFixed(1))
        .join(', ')} on ${machine().cores} cores: other work on the machine lengthens every time above`,
      `watched up to ${seconds} s or the end of training; ${firstFork === null ? 'no fork (a state with two successors) in that time' : 'stopped 10 s after the first fork'}`,
      ...timeline.map((e) => `${e.t} s: ${e.summary} | ${e.progress}`),
    ],
  };
}
