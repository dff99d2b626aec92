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

export function chart(node: HTMLElement, input: ChartInput) {
  let current = input;
  let instance: ECharts | null = null;
  let pending = false;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const draw = () => {
    pending = false;
    last = performance.now();
    if (!current.option) {
      instance?.clear();
      return;
    }
    instance ??= echarts.init(node, undefined, { renderer: 'canvas' });
    instance.off('click');
    if (current.onClick) instance.on('click', (p) => current.onClick!(p as never));
    instance.setOption(current.option, { notMerge: true, lazyUpdate: true });
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, (current.throttleMs ?? 250) - (performance.now() - last));
    timer = setTimeout(() => requestAnimationFrame(draw), wait);
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
      resize.disconnect();
      instance?.dispose();
    },
  };
}

/** The chart in an element, if one was drawn there (for exports). */
export function chartOf(node: HTMLElement): ECharts | undefined {
  return echarts.getInstanceByDom(node) ?? undefined;
}
