/** Weight initializers shared by the tasks; each fills one seed's values from that seed's stream. */
import type { Rng } from '../src/numeric/rng.ts';

export const zeros = (_rng: Rng, out: Float32Array): void => void out.fill(0);

/** N(0, std²). */
export const normal =
  (std: number) =>
  (rng: Rng, out: Float32Array): void => {
    for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  };

/** Glorot (Xavier) uniform, as torch.nn.init.xavier_uniform_: U(−a, a), a = √(6 / (fan_in + fan_out)). */
export const glorotUniform =
  (fanIn: number, fanOut: number) =>
  (rng: Rng, out: Float32Array): void => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * a;
  };

export const ones = (_rng: Rng, out: Float32Array): void => void out.fill(1);
