/**
 * One pass over raw JSON text before JSON.parse, without recursion or backtracking regular expressions (so
 * a 10 MB string or 200,000 nested brackets cost one linear scan, never a stack overflow):
 *
 * - nesting deeper than MAX_JSON_DEPTH is refused where it happens: a run bundle needs about 8 levels and
 *   an exported analysis about 12, while JSON.parse's reviver and JSON.stringify recurse once per level;
 * - Python's json writes bare NaN/Infinity. Outside strings they become marker strings that cannot occur in
 *   the data (a NUL-prefixed nonce absent from the text) and are read back as numbers; positions in the
 *   patched text are mapped back, so every reported line and column points into the original.
 */
export const MAX_JSON_DEPTH = 64;

export interface PatchedJson {
  text: string;
  /** The marker string (the parsed value) for each bare token. */
  markers: Map<string, number>;
  /** Original offset of a patched offset. */
  original(offset: number): number;
  /** Offset of the bracket that opens level MAX_JSON_DEPTH + 1, or -1. */
  tooDeepAt: number;
}

const TOKENS: [string, number][] = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
];

export function prescanJson(text: string, maxDepth = MAX_JSON_DEPTH): PatchedJson {
  const found: { at: number; token: string }[] = [];
  let depth = 0;
  let tooDeepAt = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) {
        tooDeepAt = i;
        break;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    } else if (c === 45 /* - */ || c === 73 /* I */ || c === 78 /* N */) {
      const hit = TOKENS.find(([t]) => text.startsWith(t, i));
      if (hit) {
        found.push({ at: i, token: hit[0] });
        i += hit[0].length - 1;
      }
    }
  }
  if (found.length === 0) return { text, markers: new Map(), original: (o) => o, tooDeepAt };
  let nonce = 'trainmap-nonfinite';
  for (let k = 0; text.includes(nonce); k++) nonce = `trainmap-nonfinite-${k}`;
  const markers = new Map<string, number>();
  const pieces: string[] = [];
  // [patched offset where a replacement ends, how much longer the text is from there on]
  const shifts: [number, number][] = [];
  let grown = 0;
  let from = 0;
  for (const { at, token } of found) {
    markers.set(`\u0000${nonce}:${token}`, TOKENS.find(([t]) => t === token)![1]);
    // In the JSON text the NUL is the six-character escape \u0000, so the marker is valid JSON.
    const quoted = `"\\u0000${nonce}:${token}"`;
    pieces.push(text.slice(from, at), quoted);
    from = at + token.length;
    grown += quoted.length - token.length;
    shifts.push([at + grown + token.length, grown]);
  }
  pieces.push(text.slice(from));
  const original = (offset: number): number => {
    let lo = 0;
    let hi = shifts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shifts[mid][0] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? offset : Math.max(0, offset - shifts[lo - 1][1]);
  };
  return { text: pieces.join(''), markers, original, tooDeepAt };
}
