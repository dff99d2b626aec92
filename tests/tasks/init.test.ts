import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { glorotUniform, normal, ones, zeros } from '../../tasks/init.ts';

describe('weight initializers', () => {
  it('zeros and ones fill the buffer and draw nothing from the stream', () => {
    const rng = createRng(1);
    const a = new Float32Array(5).fill(3);
    zeros(rng, a);
    expect(Array.from(a)).toEqual([0, 0, 0, 0, 0]);
    ones(rng, a);
    expect(Array.from(a)).toEqual([1, 1, 1, 1, 1]);
    expect(rng.nextUint32()).toBe(createRng(1).nextUint32());
  });

  it('normal(std) has mean 0 and standard deviation std', () => {
    const out = new Float32Array(50000);
    normal(0.02)(createRng(2), out);
    const mean = out.reduce((s, x) => s + x, 0) / out.length;
    const sd = Math.sqrt(out.reduce((s, x) => s + (x - mean) ** 2, 0) / (out.length - 1));
    expect(Math.abs(mean)).toBeLessThan((5 * 0.02) / Math.sqrt(out.length));
    expect(Math.abs(sd / 0.02 - 1)).toBeLessThan(0.02);
  });

  it('glorotUniform(fanIn, fanOut) is U(−a, a) with a = √(6 / (fanIn + fanOut)), as torch’s xavier_uniform_', () => {
    const a = Math.sqrt(6 / (40 + 1000));
    const out = new Float32Array(40000);
    glorotUniform(40, 1000)(createRng(3), out);
    expect(out.every((x) => Math.abs(x) <= a)).toBe(true);
    expect(Math.max(...out)).toBeGreaterThan(0.99 * a);
    expect(Math.min(...out)).toBeLessThan(-0.99 * a);
    const variance = out.reduce((s, x) => s + x * x, 0) / out.length;
    // Var U(−a, a) = a²/3 = 2 / (fanIn + fanOut)
    expect(Math.abs(variance / (2 / 1040) - 1)).toBeLessThan(0.03);
  });

  it('the same stream gives the same weights', () => {
    const a = new Float32Array(10);
    const b = new Float32Array(10);
    glorotUniform(3, 4)(createRng(9, 'w'), a);
    glorotUniform(3, 4)(createRng(9, 'w'), b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
