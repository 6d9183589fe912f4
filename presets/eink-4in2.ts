import { definePreset } from '../src/config/types.js';

/**
 * Waveshare 4.2" e-paper, 400×300. Frame buffer: 300 rows of 50 bytes,
 * leftmost pixel in bit 7, bit 1 = WHITE (Waveshare e-Paper library
 * EPD_4in2.c / GUI_Paint.c: WHITE = 0xFF). Light areas become set bits
 * (`invert`), painted paper-white in the PNG.
 */
export default definePreset({
  description: 'e-paper 4.2" 400×300: C header, rows MSB-first, bit 1 = white',
  target: 'Waveshare-style 4.2" black/white e-paper (400×300). Crops to fill.',
  steps: [
    { use: 'resize', width: 400, height: 300, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'floyd-steinberg' },
    { use: 'palette', invert: true, ink: '#e9e8e1', paper: '#262626' },
  ],
  output: { format: 'c', layout: 'horizontal-msb' },
});
