/**
 * Greedy label placement: each label tries its candidate spots in order of preference and takes the one that
 * overlaps least: hard obstacles (node circles, labels already placed, the edges of the drawing) first, then soft
 * ones (lines it would sit on). Labels placed earlier win; the caller orders them by importance.
 */

export interface Point {
  x: number;
  y: number;
}

/** Top-left corner, width and height. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Circle {
  cx: number;
  cy: number;
  r: number;
}

export function rectsOverlap(a: Rect, b: Rect, gap = 0): boolean {
  return (
    a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap
  );
}

/** How far a rectangle reaches into a circle (0 when it keeps `gap` clear of it). */
export function rectCircleDepth(rect: Rect, c: Circle, gap = 0): number {
  const nx = Math.max(rect.x, Math.min(c.cx, rect.x + rect.width));
  const ny = Math.max(rect.y, Math.min(c.cy, rect.y + rect.height));
  return Math.max(0, c.r + gap - Math.hypot(c.cx - nx, c.cy - ny));
}

function overlapArea(a: Rect, b: Rect, gap: number): number {
  const w = Math.min(a.x + a.width, b.x + b.width) + gap - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) + gap - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function outside(rect: Rect, bounds: Rect): number {
  const over = (lo: number, hi: number, blo: number, bhi: number) => Math.max(0, blo - lo) + Math.max(0, hi - bhi);
  return (
    over(rect.x, rect.x + rect.width, bounds.x, bounds.x + bounds.width) +
    over(rect.y, rect.y + rect.height, bounds.y, bounds.y + bounds.height)
  );
}

export const rectAround = (centre: Point, width: number, height: number): Rect => ({
  x: centre.x - width / 2,
  y: centre.y - height / 2,
  width,
  height,
});

/** What labels must not cover, and what they should rather not. */
export class LabelField {
  readonly placed: Rect[] = [];
  /** Sampled points of drawn lines, each tagged with the line it belongs to. */
  private readonly linePoints: { p: Point; owner: string }[] = [];

  constructor(
    readonly bounds: Rect,
    readonly circles: readonly Circle[],
    readonly gap = 2,
  ) {}

  addLine(points: readonly Point[], owner: string): void {
    for (const p of points) this.linePoints.push({ p, owner });
  }

  /** Hard overlap: area over placed labels, depth into circles, distance outside the bounds. */
  hardCost(rect: Rect): number {
    let cost = 0;
    for (const r of this.placed) cost += overlapArea(rect, r, this.gap);
    for (const c of this.circles) cost += 40 * rectCircleDepth(rect, c, this.gap + 1);
    cost += 400 * outside(rect, this.bounds);
    return cost;
  }

  /** Soft overlap: points of other lines under the label. */
  softCost(rect: Rect, owner?: string): number {
    let n = 0;
    for (const { p, owner: o } of this.linePoints)
      if (o !== owner && p.x > rect.x && p.x < rect.x + rect.width && p.y > rect.y && p.y < rect.y + rect.height) n++;
    return n;
  }

  /** The best of the candidate rectangles (earlier ones preferred at equal cost); `clean`: no hard overlap. */
  choose(candidates: readonly Rect[], owner?: string): { rect: Rect; index: number; clean: boolean } {
    let best = { rect: candidates[0], index: 0, score: Infinity, hard: Infinity };
    candidates.forEach((rect, index) => {
      const hard = this.hardCost(rect);
      const score = 1000 * hard + 4 * this.softCost(rect, owner) + index * 0.5;
      if (score < best.score) best = { rect, index, score, hard };
    });
    return { rect: best.rect, index: best.index, clean: best.hard === 0 };
  }

  /** Keeps a chosen rectangle as an obstacle for the labels after it. */
  keep(rect: Rect): void {
    this.placed.push(rect);
  }
}
