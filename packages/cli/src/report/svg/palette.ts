/**
 * Okabe–Ito colorblind-safe palette, ordered so the first colors contrast most on white
 * (yellow last but one). Heads beyond eight reuse colors in order.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export function headColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e3e3e3';
export const AXIS = '#888888';
export const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";
