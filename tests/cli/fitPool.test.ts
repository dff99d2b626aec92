import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  packSequences,
  planSelection,
  sampleGaussianHMM,
  selectModel,
  selectModelWith,
} from '../../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../../src/cli/fitPool.ts';
import { createRng } from '../../src/numeric/rng.ts';
import { knownHmm } from '../helpers/knownHmm.ts';

const obs = packSequences(sampleGaussianHMM(knownHmm(2, 3, 4), new Array(10).fill(30), createRng(4, 'pool')).sequences);
const options = { kMin: 1, kMax: 3, restarts: 2, maxIterations: 8, seed: 1 };

describe('workerFitRunner', () => {
  it('worker threads give exactly the selection computed in this thread, and report every fit', async () => {
    const seen: number[] = [];
    const parallel = await selectModelWith(workerFitRunner(2), obs, options, (p) => seen.push(p.done));
    expect(parallel).toEqual(selectModel(obs, options));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('an empty plan resolves at once without starting workers', async () => {
    const plan = { ...planSelection(obs, options), jobs: [] };
    expect(await workerFitRunner(2).run(plan, () => {})).toEqual([]);
  });

  it('a worker that throws or exits early rejects the run with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainmap-pool-'));
    const throwing = join(dir, 'throwing.mjs');
    writeFileSync(
      throwing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (m.type === 'job') throw new Error('boom in fit'); });\n",
    );
    const exiting = join(dir, 'exiting.mjs');
    writeFileSync(
      exiting,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (m.type === 'job') process.exit(3); });\n",
    );
    const plan = planSelection(obs, options);
    await expect(workerFitRunner(1, pathToFileURL(throwing)).run(plan, () => {})).rejects.toThrow('boom in fit');
    await expect(workerFitRunner(1, pathToFileURL(exiting)).run(plan, () => {})).rejects.toThrow(
      'a fit worker exited with code 3',
    );
  });

  it('defaults to one worker per core, at least one', () => {
    expect(defaultWorkerCount()).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(defaultWorkerCount())).toBe(true);
  });
});
