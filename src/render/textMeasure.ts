/**
 * Text widths without a canvas, for laying labels out in Node (the CLI figure, server-rendered charts) and the page
 * alike. Each printable ASCII character's advance is the larger of Liberation Sans (Arial's metrics, what Chromium
 * gives `sans-serif` here) and DejaVu Sans (what `system-ui` gives), measured in Chromium at 100 px; anything else
 * counts as a wide glyph. A label laid out with these widths fits in either font.
 */

// Advances of U+0020 … U+007E in hundredths of the font size.
const ASCII = [
  32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84,
  84, 84, 56, 102, 68, 69, 72, 77, 67, 61, 78, 75, 29, 50, 67, 56, 86, 75, 79, 67, 79, 72, 67, 61, 73, 68, 99, 69, 67,
  69, 39, 34, 39, 84, 56, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59,
  82, 59, 59, 52, 64, 34, 64, 84,
];

// The few other characters the lab writes in labels, at their wider font's advance.
const OTHER: Record<string, number> = {
  '·': 32,
  '–': 56,
  '—': 100,
  '−': 84,
  '↑': 84,
  '↓': 84,
  '→': 84,
  '×': 84,
  '≥': 84,
  '≤': 84,
  '²': 40,
  '…': 100,
  '’': 32,
  '“': 56,
  '”': 56,
};

/** Bold text runs about this much wider. */
const BOLD = 1.2;

/** Width in pixels of one line of text at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    // Half a unit per character makes up for the table's rounding to whole hundredths.
    units += (code >= 32 && code <= 126 ? ASCII[code - 32] : (OTHER[ch] ?? 100)) + 0.5;
  }
  return (units / 100) * fontSize * (bold ? BOLD : 1);
}

export interface TextBox {
  width: number;
  height: number;
}

/** The box of a block of lines. */
export function textBox(lines: readonly string[], fontSize: number, lineHeight: number, bold = false): TextBox {
  return {
    width: Math.max(0, ...lines.map((l) => textWidth(l, fontSize, bold))),
    height: lines.length * lineHeight,
  };
}
