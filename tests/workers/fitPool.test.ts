/**
 * The fit pool's scheduling (src/workers/fitPool.ts), with endpoints that run the real worker handler in this
 * thread over a MessageChannel: largest K first, the data once per worker per batch, one batch at a time, and a
 * worker that fails fails its batch and leaves the pool. (tests/cli/fitPool.test.ts runs it on worker threads.)
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { planSelection, runFitJob, selectModel, selectModelWith, type FitJobResult } from '../../src/analysis/index.ts';
import { fitWorkerHandler, poolFitRunner, type FitEndpoint } from '../../src/workers/fitPool.ts';
import { assertNever, type FitWorkerRequest } from '../../src/workers/protocol.ts';
import { smallSelection } from '../helpers/knownHmm.ts';

const { obs, options } = smallSelection();

/** An endpoint whose far side is fitWorkerHandler with the real runFitJob; it records what it was sent. */
function endpoint(log: { sent: FitWorkerRequest[] }, failOnJob = false): FitEndpoint {
  const { port1, port2 } = new MessageChannel();
  let onError: (e: Error) => void = () => {};
  const handle = fitWorkerHandler((r) => port2.postMessage(r), runFitJob);
  port2.on('message', (m: FitWorkerRequest) => {
    if (failOnJob && m.type === 'job') return onError(new Error('the worker died'));
    handle(m);
  });
  return {
    post: (m) => {
      log.sent.push(m);
      port1.postMessage(m);
    },
    onMessage: (h) => void port1.on('message', h),
    onError: (h) => void (onError = h),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

describe('the fit pool', () => {
  it('runs every job on its workers, largest K first, the data once per worker, the same results as one thread', async () => {
    const logs: { sent: FitWorkerRequest[] }[] = [];
    const pool = poolFitRunner(2, () => {
      const log = { sent: [] as FitWorkerRequest[] };
      logs.push(log);
      return endpoint(log);
    });
    const plan = planSelection(obs, options);
    expect(await selectModelWith(pool, obs, options)).toEqual(selectModel(obs, options));
    expect(logs).toHaveLength(2);
    for (const log of logs) expect(log.sent.filter((m) => m.type === 'init')).toHaveLength(1);
    const jobs = logs.map((l) => l.sent.flatMap((m) => (m.type === 'job' ? [m.job.k] : [])));
    expect(jobs.map((ks) => ks[0])).toEqual([3, 3]);
    expect(jobs.flat().sort()).toEqual(plan.jobs.map((j) => j.k).sort());
    const seen: FitJobResult[] = [];
    expect(await pool.run(plan, (r) => seen.push(r))).toEqual(seen);
    // The second batch reused the workers and sent the data again.
    expect(logs).toHaveLength(2);
    for (const log of logs) expect(log.sent.filter((m) => m.type === 'init')).toHaveLength(2);
    pool.close();
  });

  it('one batch at a time; a worker that fails fails its batch, and the next batch starts fresh workers', async () => {
    let spawned = 0;
    const pool = poolFitRunner(1, () => endpoint({ sent: [] }, spawned++ === 0));
    const plan = planSelection(obs, options);
    const first = pool.run(plan, () => {});
    await expect(pool.run(plan, () => {})).rejects.toThrow('poolFitRunner: a batch is already running');
    await expect(first).rejects.toThrow('the worker died');
    expect(await pool.run(plan, () => {})).toHaveLength(plan.jobs.length);
    expect(spawned).toBe(2);
    pool.close();
  });

  it('assertNever names the message nobody handles', () => {
    expect(() => assertNever({ type: 'nobody' } as never)).toThrow('unhandled message {"type":"nobody"}');
  });
});
