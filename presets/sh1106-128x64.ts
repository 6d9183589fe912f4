import { definePreset } from '../src/config/types.js';

/**
 * SH1106 OLED, 128×64 (the 1.3" module). The controller's RAM is 132×64 in
 * 8 pages of vertical bytes, top pixel in bit 0, bit 1 = lit (Sino Wealth
 * SH1106 datasheet v2.3, "Display Data RAM (DDRAM)"); modules show columns
 * 2..129, so drivers add a column offset of 2 when writing each page.
 * The array is 8 pages × 128 bytes, page by page, as for the SSD1306.
 */
export default definePreset({
  description: 'SH1106 OLED 128×64: C header, vertical 8-px pages, bit 1 = lit',
  target: 'SH1106 1.3" 128×64 OLED (write each page at column 2). Light pixels are lit.',
  steps: [
    { use: 'resize', width: 128, height: 64, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', invert: true, ink: '#ffffff', paper: '#000000' },
  ],
  output: { format: 'c', layout: 'vertical' },
});
