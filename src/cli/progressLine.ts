/**
 * One status line on stderr: redrawn in place on a terminal, printed at most every few seconds
 * otherwise (CI logs, pipes), so long work always shows that it is moving. TRAINMAP_PROGRESS_MS sets the interval.
 */
export class ProgressLine {
  private last = 0;
  private shown = '';
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = Number(process.env.TRAINMAP_PROGRESS_MS ?? (stream.isTTY ? 100 : 5000)),
  ) {}

  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < this.everyMs) return;
    this.last = now;
    if (this.stream.isTTY) {
      const width = (this.stream.columns ?? 100) - 1;
      const line = text.length > width ? text.slice(0, width - 1) + '…' : text;
      this.stream.write(`\r${line.padEnd(this.shown.length)}`);
      this.shown = line;
    } else {
      this.stream.write(text + '\n');
    }
  }

  /** Leaves the line for good (terminal) or prints a final one. */
  done(text?: string): void {
    if (this.stream.isTTY && this.shown) this.stream.write(`\r${' '.repeat(this.shown.length)}\r`);
    this.shown = '';
    if (text) this.stream.write(text + '\n');
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  // Rounded once, before splitting, so that 119.6 s reads 2m00s rather than 1m60s.
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
