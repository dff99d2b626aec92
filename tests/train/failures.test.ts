import { describe, expect, it } from 'vitest';
import { classifyFailure, errorText } from '../../src/train/failures.ts';

describe('classifyFailure: what stopped training, so the lab can say what to do', () => {
  it("IndexedDB's QuotaExceededError, also wrapped as a store failure's cause, is a full storage", () => {
    const quota = new DOMException(
      'The transaction was aborted, so the request cannot be fulfilled.',
      'QuotaExceededError',
    );
    for (const e of [
      quota,
      new Error('could not save', { cause: quota }),
      Object.assign(new Error('Quota exceeded.'), { name: 'QuotaExceededError' }),
    ]) {
      const f = classifyFailure(e);
      expect(f.kind).toBe('storage-full');
      expect(f.message).toMatch(
        /storage for the lab is full .*delete old sessions, then resume — nothing saved so far is lost/,
      );
    }
  });

  it("Chromium's QuotaExceededError with an empty message is still a full storage, never an empty reason", () => {
    const quota = new DOMException('', 'QuotaExceededError');
    expect(errorText(quota)).toBe('QuotaExceededError');
    // As the session passes it on: the text of its store failure, then the page's reason.
    const f = classifyFailure(new Error(errorText(quota)));
    expect(f.kind).toBe('storage-full');
    expect(f.message).toMatch(
      /^this browser's storage for the lab is full \(QuotaExceededError\); delete old sessions/,
    );
    expect(errorText(new Error(''))).toBe('Error');
    // Any other error without a message is named too, never an empty reason.
    expect(classifyFailure(new DOMException('', 'AbortError'))).toEqual({ kind: 'error', message: 'AbortError' });
    expect(errorText('plain')).toBe('plain');
  });

  it('a lost GPU device', () => {
    expect(classifyFailure(new Error('GPUDevice was lost: the device was destroyed')).kind).toBe('device-lost');
    expect(classifyFailure(new Error('Device lost (reason: unknown)')).kind).toBe('device-lost');
  });

  it('a GPU read-back that fails (tfjs #8571)', () => {
    const f = classifyFailure(
      new DOMException(
        "Failed to execute 'mapAsync' on 'GPUBuffer': Instance reference no longer exists.",
        'OperationError',
      ),
    );
    expect(f.kind).toBe('gpu-read');
    expect(f.message).toMatch(/^reading results back from the GPU failed \(.*mapAsync.*\); training stopped — resume/);
  });

  it('anything else keeps its own message', () => {
    expect(classifyFailure(new Error('batch size 65 is larger than the 64 training examples'))).toEqual({
      kind: 'error',
      message: 'batch size 65 is larger than the 64 training examples',
    });
    expect(classifyFailure('a string').message).toBe('a string');
  });
});
