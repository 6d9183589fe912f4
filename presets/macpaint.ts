import { definePreset } from '../src/config/types.js';

/**
 * MacPaint document: 576×720 (8×10 inches at 72 dpi), 1 bit, rows of 72
 * bytes MSB-first, bit 1 = black (Apple Technical Note "MacPaint Document
 * Format", PNTG, Apple DTS 1986). The whole picture fits (contain) on white
 * paper, so nothing is cropped from a landscape photo.
 */
export default definePreset({
  description: 'MacPaint page 576×720, fitted on white, Atkinson',
  target: 'A MacPaint-sized page (576×720): the whole image, letterboxed on white.',
  steps: [
    { use: 'resize', width: 576, height: 720, fit: 'contain', background: '#ffffff', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
  ],
  output: { format: 'png', layout: 'horizontal-msb' },
});
