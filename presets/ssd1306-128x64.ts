import { definePreset } from '../src/config/types.js';

/**
 * SSD1306 OLED, 128×64 (the common 0.96" I²C/SPI module).
 * Byte layout: GDDRAM is 8 pages of 128 bytes; each byte is a vertical run of
 * 8 pixels, top pixel in bit 0, bit 1 = lit (Solomon Systech SSD1306
 * datasheet rev 1.1, §8.7 "Graphic Display Data RAM", fig. 8-13; §10.1.3
 * page addressing). The header's array can be sent as the framebuffer as is
 * (Adafruit_SSD1306 `buffer`, u8g2 tile buffer).
 * Lit pixels are the light ones: `invert` makes light areas ink (a set bit)
 * and the palette paints them white on black, so the PNG shows the screen.
 */
export default definePreset({
  description: 'SSD1306 OLED 128×64: C header, vertical 8-px pages, bit 1 = lit',
  target: 'SSD1306 128×64 OLED. Crops to fill the screen; light pixels are lit (set bits).',
  steps: [
    { use: 'resize', width: 128, height: 64, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', invert: true, ink: '#ffffff', paper: '#000000' },
  ],
  output: { format: 'c', layout: 'vertical' },
});
