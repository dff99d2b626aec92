import { describe, expect, it } from 'vitest';
import { ReplayClock } from '../../src/replay/replayClock.ts';

describe('ReplayClock', () => {
  it('plays at its speed in whole checkpoints and stops at the end', () => {
    const c = new ReplayClock(10, 4);
    expect(c.tick(0)).toBe(0);
    c.play(1000);
    expect(c.tick(1100)).toBe(0);
    expect(c.tick(1250)).toBe(1);
    expect(c.tick(2000)).toBe(4);
    expect(c.tick(9000)).toBe(10);
    expect(c.playing).toBe(false);
    expect(c.atEnd).toBe(true);
    // Play at the end starts over.
    c.play(9000);
    expect(c.position).toBe(0);
  });

  it('pause holds the position; step moves one and pauses; scrub jumps and playing goes on from there', () => {
    const c = new ReplayClock(10, 2);
    c.play(0);
    expect(c.tick(1000)).toBe(2);
    c.pause();
    expect(c.tick(5000)).toBe(2);
    expect(c.step()).toBe(3);
    c.play(5000);
    expect(c.scrub(8, 5500)).toBe(8);
    expect(c.tick(6000)).toBe(9);
    expect(c.scrub(-3, 6000)).toBe(0);
    expect(c.scrub(42, 6000)).toBe(10);
  });

  it('a new speed applies from the moment it is set', () => {
    const c = new ReplayClock(100, 1);
    c.play(0);
    c.setSpeed(10, 2000);
    expect(c.position).toBe(2);
    expect(c.tick(3000)).toBe(12);
  });

  it('refuses a speed that is not a positive number, and a bad length', () => {
    expect(() => new ReplayClock(5, 0)).toThrow(
      'replay speed must be a positive number of checkpoints per second, got 0',
    );
    expect(() => new ReplayClock(5).setSpeed(NaN, 0)).toThrow('got NaN');
    expect(() => new ReplayClock(-1)).toThrow('a replay needs a whole number of checkpoints, got -1');
  });
});
