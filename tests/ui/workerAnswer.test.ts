/**
 * workerAnswer's settling, on an object shaped as the page's Worker (Node has no Web Worker; the import and
 * speed-probe e2e tests run it on real ones).
 */
import { describe, expect, it } from 'vitest';
import { workerAnswer } from '../../src/ui/workerAnswer.ts';

type Reply = { type: 'progress'; n: number } | { type: 'done'; value: number } | { type: 'failed'; message: string };

function fakeWorker() {
  const w = {
    terminated: 0,
    onmessage: null as ((e: { data: Reply }) => void) | null,
    onerror: null as ((e: { message: string; preventDefault(): void }) => void) | null,
    terminate() {
      this.terminated++;
    },
  };
  return { w, worker: w as unknown as Worker };
}

describe('workerAnswer', () => {
  it('passes progress on, resolves with the answer and ends the worker', async () => {
    const { w, worker } = fakeWorker();
    const seen: number[] = [];
    const answer = workerAnswer<Reply, 'done'>(worker, 'done', (m) => seen.push(m.n), 'stopped');
    w.onmessage!({ data: { type: 'progress', n: 1 } });
    w.onmessage!({ data: { type: 'progress', n: 2 } });
    expect(w.terminated).toBe(0);
    w.onmessage!({ data: { type: 'done', value: 7 } });
    await expect(answer).resolves.toEqual({ type: 'done', value: 7 });
    expect(seen).toEqual([1, 2]);
    expect(w.terminated).toBe(1);
  });

  it('rejects with a failure reply’s message, or with `stopped` when the script fails, ending the worker', async () => {
    const a = fakeWorker();
    const failed = workerAnswer<Reply, 'done'>(a.worker, 'done', () => undefined, 'stopped');
    a.w.onmessage!({ data: { type: 'failed', message: 'the file is empty' } });
    await expect(failed).rejects.toThrow('the file is empty');
    expect(a.w.terminated).toBe(1);

    const b = fakeWorker();
    const broken = workerAnswer<Reply, 'done'>(b.worker, 'done', () => undefined, 'the worker stopped');
    let prevented = false;
    b.w.onerror!({ message: '', preventDefault: () => (prevented = true) });
    await expect(broken).rejects.toThrow('the worker stopped');
    expect([prevented, b.w.terminated]).toEqual([true, 1]);
  });
});
