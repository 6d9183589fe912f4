import { definePreset } from '../src/config/types.js';

/** Sprites and icons: a tiny grid and a clean threshold, no dither noise. */
export default definePreset({
  description: '32-px grid, Otsu threshold (no dither), ×8 nearest',
  target: 'Logos, icons and sprites with flat colours: clean edges, no noise.',
  steps: [
    { use: 'resize', longSide: 32, kernel: 'box' },
    { use: 'adjust', sharpen: 1 },
    { use: 'threshold', mode: 'otsu' },
    { use: 'upscale', scale: 8 },
  ],
});
