import fc from 'fast-check';

/**
 * Any UTF-16 text, lone surrogates included, weighted towards what breaks things: C0 and C1 controls, ESC
 * sequences, quotes and separators. (fast-check's own 'binary' strings are far slower to draw.)
 */
export function anyText(maxLength = 60): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x1f }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x7f, max: 0x9f }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        0x1b,
        0x22,
        0x27,
        0x2c,
        0x3c,
        0x26,
        0x5c,
        0x2028,
        0x202e,
        0xfeff,
        0xfffe,
        0xd800,
        0xdc00,
      ),
    },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
  );
  return fc.array(unit, { maxLength }).map((codes) => String.fromCharCode(...codes));
}
