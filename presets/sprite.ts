import { definePreset } from '../src/config/types.js';

/**
 * Sprites and icons: a tiny grid, the structure-first pixel-art binarizer
 * (lines found at 4× the grid, flat areas solid or patterned, outlined
 * silhouettes). On devbench at grid 32 it beat the former Otsu + sharpen on
 * every figure (README, "Pixel-art figures").
 */
export default definePreset({
  description: '32-px grid, pixel-art binarizer (1-px lines, patterns, outlined silhouettes), ×8 nearest',
  target: 'Logos, icons and sprites: clean outlines, flat fills, transparent sprites outlined.',
  steps: [
    { use: 'resize', longSide: 32, kernel: 'box' },
    { use: 'pixel-art' },
    { use: 'upscale', scale: 8 },
  ],
});
