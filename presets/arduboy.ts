import { definePreset } from '../src/config/types.js';

/**
 * Arduboy: 128×64 SSD1306 OLED, so vertical 8-pixel bytes, top pixel in bit
 * 0, bit 1 = WHITE (lit), with a mask array for sprites (Arduboy2 library
 * docs, "Sprites" and Arduboy2Base::drawBitmap: "vertical 8 pixel" bitmap
 * format; https://mlxxxp.github.io/documents/Arduino/libraries/Arduboy2/Doxygen/html/).
 * `<name>` is in the Sprites format (Arduboy2 Sprites.h): width and height
 * bytes, then the frames (every frame of an animated input); `<name>_mask`
 * has 1 where the sprite is opaque and, as Sprites::drawExternalMask wants,
 * no size bytes. Arduboy2::drawBitmap takes the pixels without the prefix:
 * drawBitmap(x, y, name + 2, NAME_WIDTH, NAME_HEIGHT, WHITE).
 */
export default definePreset({
  description: 'Arduboy 128×64: Sprites-format C header (width, height, vertical 8-px pages, bit 1 = white) with <name>_mask',
  target: 'Arduboy (128×64 OLED) screens and sprites with transparency masks.',
  steps: [
    { use: 'resize', width: 128, height: 64, fit: 'contain', kernel: 'box', background: '#000000' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', invert: true, ink: '#ffffff', paper: '#000000' },
  ],
  output: { format: 'c', layout: 'vertical', mask: 'array', sizePrefix: true },
});
