/**
 * Short tick labels ("−62k", "3.5k", "0.12"), so axis labels keep a known width and axis names can sit beside them
 * without touching.
 */
export function compactNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  const cut = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e9) return `${sign}${cut(a / 1e9)}G`;
  if (a >= 1e6) return `${sign}${cut(a / 1e6)}M`;
  if (a >= 1e4) return `${sign}${cut(a / 1e3)}k`;
  if (a === 0 || a >= 1e-3) return `${sign}${cut(a)}`;
  return `${sign}${a.toExponential(0)}`;
}
