import { definePreset } from '../src/config/types.js';

/** The pixel-art job: a 128-px grid, dithered, shown 4× with crisp pixels. */
export default definePreset({
  description: '128-px grid, Floyd–Steinberg in linear light, ×4 nearest',
  target: 'Photos turned into readable pixel art: small logical grid, error diffusion, big crisp pixels.',
  steps: [
    { use: 'resize', longSide: 128, kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'floyd-steinberg' },
    { use: 'upscale', scale: 4 },
  ],
});
