import { describe, expect, it } from 'vitest';
import { RefitScheduler } from '../../src/ui/refitScheduler.ts';

describe('RefitScheduler: when the live lab refits', () => {
  const policy = { warmEvery: 3, fullGrowth: 0.3, minimum: 6 };

  it('waits for the minimum, then runs one full selection; warm refits follow every few checkpoints, one at a time', () => {
    const s = new RefitScheduler(policy);
    expect(s.next(5)).toBeNull();
    expect(s.next(60)).toBe('full');
    s.started('full', 60);
    expect(s.next(70)).toBeNull(); // nothing to warm-start from yet, and a full is in flight
    expect(s.finished('full', 60, true)).toBe(true);
    expect(s.next(62)).toBeNull();
    expect(s.next(63)).toBe('warm');
    s.started('warm', 63);
    expect(s.next(70)).toBeNull(); // one warm refit at a time
    expect(s.finished('warm', 63, true)).toBe(true);
    expect(s.next(70)).toBe('warm');
    expect(s.next(78)).toBe('full'); // 30% more than the last full selection's 60
  });

  it('a full selection reruns only when the data grew by the policy’s share since the last one', () => {
    const s = new RefitScheduler(policy);
    s.started('full', 100);
    s.finished('full', 100, true);
    s.started('warm', 110);
    s.finished('warm', 110, true);
    expect(s.next(129)).toBe('warm');
    s.started('warm', 129);
    s.finished('warm', 129, true);
    expect(s.next(130)).toBe('full');
  });

  it('a result never replaces a newer one, except a full selection at most one warm step behind', () => {
    const s = new RefitScheduler(policy);
    s.started('full', 10);
    expect(s.finished('full', 10, true)).toBe(true);
    s.started('warm', 20);
    s.started('full', 18);
    expect(s.finished('warm', 20, true)).toBe(true);
    expect(s.finished('full', 18, true)).toBe(true); // 18 ≥ 20 − 3: the better model wins
    s.started('warm', 17);
    expect(s.finished('warm', 17, true)).toBe(false); // older than what is shown
    s.started('full', 12);
    expect(s.finished('full', 12, true)).toBe(false); // too far behind
  });

  it('checkpoints faster than selections: a full selection newer than the last one taken wins, and older warm refits give way', () => {
    const s = new RefitScheduler(policy);
    s.started('full', 10);
    expect(s.finished('full', 10, true)).toBe(true);
    s.started('full', 18);
    for (const n of [20, 30, 40]) {
      s.started('warm', n);
      expect(s.finished('warm', n, true)).toBe(true);
    }
    s.started('warm', 45);
    expect(s.finished('full', 18, true)).toBe(true); // far behind the warm refits, but a newer selection than 10
    expect(s.finished('warm', 45, true)).toBe(false); // started from the old model
    expect(s.next(45)).toBe('full'); // the data grew past the policy's share since 18
    s.started('full', 45);
    expect(s.next(45)).toBe('warm'); // meanwhile the new model, refitted on the latest data
    s.started('warm', 45);
    expect(s.finished('warm', 45, true)).toBe(true);
    s.started('full', 15);
    expect(s.finished('full', 15, true)).toBe(false); // older than the selection taken
  });

  it('a failed full selection is retried only when more data arrived', () => {
    const s = new RefitScheduler(policy);
    s.started('full', 8);
    expect(s.finished('full', 8, false)).toBe(false);
    expect(s.next(8)).toBeNull();
    expect(s.next(9)).toBe('full');
  });

  it('adopting a stored report counts as a report on show: a full selection then runs in the background', () => {
    const s = new RefitScheduler(policy);
    s.adopt(12000);
    expect(s.next(12000)).toBe('full');
  });

  it('data that will not grow are analyzed below the minimum when asked, once: the analysis then says why', () => {
    const s = new RefitScheduler(policy);
    expect(s.next(2)).toBeNull();
    s.wantFull();
    expect(s.next(2)).toBe('full');
    s.started('full', 2);
    expect(s.next(2)).toBeNull(); // in flight
    expect(s.finished('full', 2, false)).toBe(false);
    expect(s.next(2)).toBeNull(); // failed on these data: not asked again until asked (new options) or more come
    expect(s.next(3)).toBeNull(); // growth below the minimum is still nothing to do
    s.reset();
    s.wantFull();
    expect(s.next(2)).toBe('full');
  });
});
