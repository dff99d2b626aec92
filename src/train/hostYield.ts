/** Handing control back to the host between training steps, so its messages and signals get through. */

let channel: MessageChannel | null = null;

/** A macrotask turn: setImmediate where it exists (Node), else a MessageChannel round trip (no 4 ms clamp). */
export function defaultYield(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  channel ??= new MessageChannel();
  const port = channel;
  return new Promise((resolve) => {
    port.port1.onmessage = () => resolve();
    port.port2.postMessage(null);
  });
}
