/**
 * One request to a worker made for it alone (an import, a speed probe): its progress replies go to `onProgress`,
 * the first other reply settles the promise (the `answer` type resolves, any other rejects with its message), and
 * the worker ends either way. A worker whose script does not load or run rejects with `stopped`.
 */
export function workerAnswer<Reply extends { type: string }, Answer extends Reply['type']>(
  worker: Worker,
  answer: Answer,
  onProgress: (reply: Extract<Reply, { type: 'progress' }>) => void,
  stopped: string,
): Promise<Extract<Reply, { type: Answer }>> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Reply>) => {
      const m = e.data;
      if (m.type === 'progress') return onProgress(m as Extract<Reply, { type: 'progress' }>);
      worker.terminate();
      if (m.type === answer) resolve(m as Extract<Reply, { type: Answer }>);
      else reject(new Error((m as { message?: string }).message ?? `the worker answered '${m.type}'`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(e.message || stopped));
    };
  });
}
