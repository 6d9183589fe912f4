import { definePreset } from '../src/config/types.js';

/**
 * Small images for light web pages (in the spirit of solar-powered low-tech
 * sites): at most 800 px wide, ordered dithering, whose repeating pattern
 * deflates far better in a 1-bit PNG than error diffusion's noise.
 */
export default definePreset({
  description: 'At most 800 px wide, Bayer 8×8, tiny 1-bit PNGs',
  target: 'Web pages that want small, honest images: 1-bit PNGs of a few tens of kB.',
  steps: [
    { use: 'resize', width: 800, fit: 'inside', withoutEnlargement: true, kernel: 'box' },
    { use: 'adjust' },
    { use: 'dither', method: 'bayer-8' },
  ],
});
