import { definePreset } from '../src/config/types.js';

/**
 * Waveshare 2.13" e-paper (V2-V4, SSD1680), 250×122 landscape. Frame buffer:
 * rows of bytes, leftmost pixel in bit 7, bit 1 = WHITE (Waveshare
 * e-Paper library, GUI_Paint.c: WHITE = 0xFF, Paint_SetPixel; SSD1680
 * datasheet §6.4 "RAM"). The panel's native orientation is 122×250
 * portrait: draw this 250×122 image with Paint_NewImage(..., ROTATE_90), or
 * rotate it first. `invert` makes light areas ink (set bits = white) and the
 * palette paints them paper-white, so the PNG still shows the panel.
 */
export default definePreset({
  description: 'e-paper 2.13" 250×122: C header, rows MSB-first, bit 1 = white',
  target: 'Waveshare-style 2.13" black/white e-paper (250×122). Crops to fill.',
  steps: [
    { use: 'resize', width: 250, height: 122, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'floyd-steinberg' },
    { use: 'palette', invert: true, ink: '#e9e8e1', paper: '#262626' },
  ],
  output: { format: 'c', layout: 'horizontal-msb' },
});
