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
  // Same pixels and bytes as the SSD1306: only the driver's column offset differs.
  extends: 'ssd1306-128x64',
});
