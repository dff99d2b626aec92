import type { ObservationSet } from './types.ts';

/** Packs runs × checkpoints × features into one flat array; throws a clear Error on ragged or non-finite input. */
export function packSequences(sequences: readonly (readonly (readonly number[])[])[]): ObservationSet {
  if (sequences.length === 0) throw new Error('no sequences to fit');
  const d = sequences[0][0]?.length ?? 0;
  if (d < 1) throw new Error('sequence 0 is empty or has no features');
  let n = 0;
  sequences.forEach((s, i) => {
    if (s.length === 0) throw new Error(`sequence ${i} is empty`);
    n += s.length;
  });
  const data = new Float64Array(n * d);
  const lengths = new Int32Array(sequences.length);
  const offsets = new Int32Array(sequences.length);
  let row = 0;
  sequences.forEach((s, i) => {
    offsets[i] = row;
    lengths[i] = s.length;
    s.forEach((x, t) => {
      if (x.length !== d) throw new Error(`sequence ${i}, step ${t}: ${x.length} features, expected ${d}`);
      for (let j = 0; j < d; j++) {
        const v = x[j];
        if (!Number.isFinite(v)) throw new Error(`sequence ${i}, step ${t}, feature ${j}: ${v} is not a finite number`);
        data[row * d + j] = v;
      }
      row++;
    });
  });
  return { data, lengths, offsets, nFeatures: d, nObservations: n };
}

/** The sequences with the given indices, packed anew. */
export function subsetObservations(obs: ObservationSet, indices: readonly number[]): ObservationSet {
  const d = obs.nFeatures;
  const n = indices.reduce((a, i) => a + obs.lengths[i], 0);
  const data = new Float64Array(n * d);
  const lengths = new Int32Array(indices.length);
  const offsets = new Int32Array(indices.length);
  let row = 0;
  indices.forEach((i, j) => {
    offsets[j] = row;
    lengths[j] = obs.lengths[i];
    data.set(obs.data.subarray(obs.offsets[i] * d, (obs.offsets[i] + obs.lengths[i]) * d), row * d);
    row += obs.lengths[i];
  });
  return { data, lengths, offsets, nFeatures: d, nObservations: n };
}
