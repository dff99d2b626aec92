/** The page's side of the import worker: one worker per import, its progress relayed, its result or error returned. */
import type { ByteFile } from '../io/importBytes.ts';
import type { ImportReply } from '../workers/protocol.ts';

export function importInWorker(
  files: ByteFile[],
  onProgress: (message: string) => void,
): Promise<Extract<ImportReply, { type: 'imported' }>> {
  const worker = new Worker(new URL('../workers/import.worker.ts', import.meta.url), {
    type: 'module',
    name: 'import',
  });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<ImportReply>) => {
      const m = e.data;
      if (m.type === 'progress') return onProgress(m.message);
      worker.terminate();
      if (m.type === 'imported') resolve(m);
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(e.message || 'the import worker stopped'));
    };
    worker.postMessage(
      { type: 'import', id: 1, files },
      files.map((f) => f.bytes.buffer as ArrayBuffer),
    );
  });
}
