import { definePreset } from '../src/config/types.js';

/**
 * SSD1306 OLED, 128×32 (0.91" module): the same controller with 4 pages.
 * Byte layout: 4 pages × 128 bytes, vertical bytes, top pixel in bit 0,
 * bit 1 = lit (SSD1306 datasheet rev 1.1, §8.7, fig. 8-13).
 * Light areas are lit (set bits), as in ssd1306-128x64.
 */
export default definePreset({
  description: 'SSD1306 OLED 128×32: C header, vertical 8-px pages, bit 1 = lit',
  target: 'SSD1306 128×32 OLED. Crops to fill the screen; light pixels are lit (set bits).',
  steps: [
    { use: 'resize', width: 128, height: 32, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', invert: true, ink: '#ffffff', paper: '#000000' },
  ],
  output: { format: 'c', layout: 'vertical' },
});
