import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText } from '../helpers/arbitraries.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';
import { hasUnsafeText, quoted, quotedList, safeMessage, safeText, visibleText } from '../../src/io/safeText.ts';

const utf8 = (s: string) => new TextEncoder().encode(s).length;

describe('safeText', () => {
  it('escapes terminal controls visibly: ANSI colours, OSC titles, BEL, NUL, C1, newlines, bidi overrides, lone surrogates', () => {
    expect(safeText('\u001b[31mred\u001b[0m')).toBe('\\x1B[31mred\\x1B[0m');
    expect(safeText('\u001b]0;owned\u0007')).toBe('\\x1B]0;owned\\x07');
    expect(safeText('a\u0000b\tc\nd\re\u009b')).toBe('a\\x00b\\tc\\nd\\re\\x9B');
    expect(safeText('abc\u202Efed')).toBe('abc\\u202Efed');
    expect(safeText('x\uD800y')).toBe('x\\uD800y');
    expect(safeText('\u{E0041}tag')).toBe('\\u{E0041}tag');
    // Printable text is left alone, emoji joiners included.
    expect(safeText('état 🧪 👩‍🔬 Ω')).toBe('état 🧪 👩‍🔬 Ω');
  });

  it('cuts long values, saying how long they were, and reads no more of them than it shows', () => {
    const huge = 'x'.repeat(10 * 2 ** 20);
    const t0 = performance.now();
    const shown = safeText(huge, 100);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(shown).toMatch(/^x+…\(10485760 characters\)$/);
    expect(utf8(shown)).toBeLessThanOrEqual(100);
    expect(safeText('short', 100)).toBe('short');
    // An escape is never split, nor a surrogate pair.
    expect(safeText('\u0007'.repeat(50), 40)).toMatch(/^(\\x07)+…\(50 characters\)$/);
    expect(safeText('🧪'.repeat(50), 40)).toMatch(/^(🧪)+…\(100 characters\)$/);
  });

  it('property: no raw control character survives, the result fits its budget, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(anyText(300), fc.integer({ min: 40, max: 400 }), (s, max) => {
        const out = safeText(s, max);
        expect(out).not.toMatch(RAW_CONTROL);
        expect(hasUnsafeText(out)).toBe(false);
        expect(utf8(out)).toBeLessThanOrEqual(max);
        if (utf8(out) <= max && !out.includes('…(')) expect(safeText(out, max)).toBe(out);
        expect(visibleText(s)).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 500 },
    );
  });

  it('quoted values, lists and whole messages', () => {
    expect(quoted('a\nb')).toBe("'a\\nb'");
    expect(quotedList(['a', 'b'])).toBe("'a', 'b'");
    expect(
      quotedList(
        Array.from({ length: 20 }, (_, i) => `c${i}`),
        3,
      ),
    ).toBe("'c0', 'c1', 'c2' and 17 more");
    expect(utf8(safeMessage('é'.repeat(5000)))).toBeLessThanOrEqual(1000);
  });
});
