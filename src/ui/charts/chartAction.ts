/**
 * A Svelte action that draws an ECharts option into its element. The page hands it snapshots; it applies at most
 * a few per second (the latest wins) in an animation frame, so a stream of checkpoints never floods the main thread.
 */
import type { ECharts } from 'echarts/core';
import { echarts } from './echarts.ts';

export interface ChartInput {
  option: Record<string, unknown> | null;
  /** Called with the clicked datum (a map node or a series name). */
  onClick?: (params: { dataType?: string; data?: unknown; seriesName?: string; name?: string }) => void;
  /** Minimum milliseconds between redraws. */
  throttleMs?: number;
}

/**
 * Charts waiting to draw, one drawn per animation frame: several panels updating together would otherwise render in
 * the same frame and hold the page's thread for longer than a frame.
 */
const queue: (() => void)[] = [];
let frame = 0;
function enqueue(draw: () => void): void {
  if (!queue.includes(draw)) queue.push(draw);
  if (!frame) frame = requestAnimationFrame(next);
}
function next(): void {
  frame = 0;
  queue.shift()?.();
  if (queue.length) frame = requestAnimationFrame(next);
}

export function chart(node: HTMLElement, input: ChartInput) {
  let current = input;
  let instance: ECharts | null = null;
  let pending = false;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // What was drawn last, as text (functions aside): a snapshot equal to it is not drawn again.
  let drawn = '';
  const draw = () => {
    pending = false;
    last = performance.now();
    if (!current.option) {
      instance?.clear();
      drawn = '';
      return;
    }
    const key = JSON.stringify(current.option);
    if (key === drawn && instance) return;
    drawn = key;
    instance ??= echarts.init(node, undefined, { renderer: 'canvas' });
    instance.off('click');
    if (current.onClick) instance.on('click', (p) => current.onClick!(p as never));
    instance.setOption(current.option, { notMerge: true, lazyUpdate: true });
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, (current.throttleMs ?? 250) - (performance.now() - last));
    timer = setTimeout(() => enqueue(draw), wait);
  };
  const resize = new ResizeObserver(() => instance?.resize());
  resize.observe(node);
  schedule();
  return {
    update(next: ChartInput) {
      current = next;
      schedule();
    },
    destroy() {
      if (timer) clearTimeout(timer);
      const queued = queue.indexOf(draw);
      if (queued >= 0) queue.splice(queued, 1);
      resize.disconnect();
      instance?.dispose();
    },
  };
}

/** The chart in an element, if one was drawn there (for exports). */
export function chartOf(node: HTMLElement): ECharts | undefined {
  return echarts.getInstanceByDom(node) ?? undefined;
}
