import { definePreset } from '../src/config/types.js';

/** A coarse clustered-dot screen, like a newspaper halftone. */
export default definePreset({
  description: '8×8 clustered-dot halftone screen at 45°, in sRGB-coded tone',
  target: 'The printed-newspaper look: round dots that grow with darkness, visible at a glance.',
  steps: [{ use: 'adjust', contrast: 0.1 }, { use: 'dither', method: 'clustered-dot', space: 'srgb' }],
});
