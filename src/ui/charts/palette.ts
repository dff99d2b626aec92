/** Colours the page shares with the SVG figure: one per state, and the few marks on top of them. */
export { stateColor, STATE_COLORS } from '../../render/svg.ts';

export const DETOUR_COLOR = '#c0392b';
export const MUTED = '#9aa0a6';
export const INK = '#1f2933';
