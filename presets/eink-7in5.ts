import { definePreset } from '../src/config/types.js';

/**
 * Waveshare 7.5" e-paper (V2, UC8179), 800×480. Frame buffer: 480 rows of
 * 100 bytes, leftmost pixel in bit 7, bit 1 = WHITE in the library's image
 * buffer (EPD_7in5_V2.c inverts while sending; GUI_Paint.c: WHITE = 0xFF).
 * Light areas become set bits (`invert`), painted paper-white in the PNG.
 */
export default definePreset({
  description: 'e-paper 7.5" 800×480: C header, rows MSB-first, bit 1 = white',
  target: 'Waveshare-style 7.5" black/white e-paper (800×480). Crops to fill.',
  steps: [
    { use: 'resize', width: 800, height: 480, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'floyd-steinberg' },
    { use: 'palette', invert: true, ink: '#e9e8e1', paper: '#262626' },
  ],
  output: { format: 'c', layout: 'horizontal-msb' },
});
