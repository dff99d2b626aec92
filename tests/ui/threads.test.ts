import { describe, expect, it } from 'vitest';
import { threadsNote } from '../../src/ui/threads.ts';

describe('the threads note', () => {
  it('says threads are on only when the page is cross-origin isolated, and why they are off otherwise', () => {
    expect(threadsNote({ crossOriginIsolated: true })).toBe('Threads: on (the page is cross-origin isolated).');
    expect(threadsNote({ crossOriginIsolated: false })).toMatch(
      /^Threads: off\. This host does not send the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers/,
    );
    expect(threadsNote({})).toMatch(/^Threads: off/);
  });
});
