/** What kind of failure stopped training, so the lab can say what to do: free storage, get the GPU back, or report a bug. */
export type FailureKind = 'storage-full' | 'device-lost' | 'gpu-read' | 'error';

/**
 * What an error says, never nothing: IndexedDB's QuotaExceededError comes with an empty message in Chromium, and
 * an empty reason is a silent failure (its name is what says the store is full).
 */
export function errorText(e: unknown): string {
  if (e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException))
    return e.message || e.name || 'an error without a message';
  return String(e);
}

export function classifyFailure(e: unknown): { kind: FailureKind; message: string } {
  const err = e instanceof Error ? e : new Error(errorText(e));
  const chain: Error[] = [];
  for (let x: unknown = err; x instanceof Error && chain.length < 5; x = (x as Error & { cause?: unknown }).cause)
    chain.push(x);
  const text = chain.map((x) => `${x.name} ${x.message}`).join(' ');
  // Every message below says what the error said, never an empty pair of brackets.
  const said = errorText(err);
  if (chain.some((x) => x.name === 'QuotaExceededError') || /quota/i.test(text)) {
    return {
      kind: 'storage-full',
      message: `this browser's storage for the lab is full (${said}); delete old sessions, then resume — nothing saved so far is lost`,
    };
  }
  if (/device (was )?lost|GPUDevice|lost the device|DEVICE_LOST|destroyed device/i.test(text)) {
    return {
      kind: 'device-lost',
      message: `the GPU device was lost (${said}); training paused — resume to continue from the last saved checkpoint`,
    };
  }
  // tfjs #8571: on long WebGPU runs a buffer's mapAsync rejects ("Instance reference no longer exists").
  if (/mapAsync|Instance reference no longer exists/i.test(text)) {
    return {
      kind: 'gpu-read',
      message: `reading results back from the GPU failed (${said}); training stopped — resume to continue from the last saved checkpoint`,
    };
  }
  return { kind: 'error', message: said };
}
