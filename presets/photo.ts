import { definePreset } from '../src/config/types.js';

/** Photos at full resolution: tone kept right by diffusing error in linear light. */
export default definePreset({
  description: 'Floyd–Steinberg in linear light at full resolution',
  target: 'Photos and artwork you want as a faithful 1-bit halftone (prints, e-paper, dithered web images).',
  steps: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg', space: 'linear' }],
});
