import { describe, expect, it } from 'vitest';
import { LabelField, rectAround, rectCircleDepth, rectsOverlap } from '../../src/render/labelPlacement.ts';

describe('label placement', () => {
  it('boxes overlap when they share area; a box reaches into a circle by the depth of its nearest point', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(rectsOverlap(a, { x: 9, y: 9, width: 5, height: 5 })).toBe(true);
    expect(rectsOverlap(a, { x: 10, y: 0, width: 5, height: 5 })).toBe(false);
    expect(rectsOverlap(a, { x: 11, y: 0, width: 5, height: 5 }, 2)).toBe(true);
    expect(rectCircleDepth(a, { cx: 15, cy: 5, r: 4 })).toBe(0);
    expect(rectCircleDepth(a, { cx: 15, cy: 5, r: 7 })).toBeCloseTo(2);
    expect(rectCircleDepth(a, { cx: 5, cy: 5, r: 1 })).toBe(1); // inside: the whole radius
    expect(rectAround({ x: 5, y: 5 }, 4, 2)).toEqual({ x: 3, y: 4, width: 4, height: 2 });
  });

  it('takes the first spot that covers nothing, keeps it, and the next label goes elsewhere', () => {
    const field = new LabelField({ x: 0, y: 0, width: 100, height: 100 }, [{ cx: 50, cy: 50, r: 10 }]);
    const onCircle = rectAround({ x: 50, y: 50 }, 20, 10);
    const below = rectAround({ x: 50, y: 70 }, 20, 10);
    const above = rectAround({ x: 50, y: 30 }, 20, 10);
    const first = field.choose([onCircle, below, above]);
    expect(first).toEqual({ rect: below, index: 1, clean: true });
    field.keep(first.rect);
    expect(field.choose([below, above]).rect).toBe(above);
    // Out of bounds is never clean; with nothing clean the least bad spot is offered, marked so.
    expect(field.choose([rectAround({ x: 99, y: 50 }, 20, 10)]).clean).toBe(false);
  });

  it('prefers a spot off other lines, but not off its own', () => {
    const field = new LabelField({ x: 0, y: 0, width: 100, height: 100 }, []);
    field.addLine([{ x: 20, y: 20 }], 'a');
    const onA = rectAround({ x: 20, y: 20 }, 10, 10);
    const free = rectAround({ x: 60, y: 60 }, 10, 10);
    expect(field.choose([onA, free], 'b').rect).toBe(free);
    expect(field.choose([onA, free], 'a').rect).toBe(onA);
  });
});
