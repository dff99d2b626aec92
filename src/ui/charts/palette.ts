/** Colours the page shares with the SVG figure: one per state (by its identity), and the few marks on top of them. */
export {
  colorOfState,
  DETOUR_COLOR,
  INK,
  MUTED,
  stateColor,
  stateIdentity,
  STATE_COLORS,
} from '../../render/stateColor.ts';
