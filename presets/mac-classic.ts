import { definePreset } from '../src/config/types.js';

/**
 * Compact Macintosh screen (128K to Classic): 512×342, 1 bit, 72 dpi. The
 * video buffer is 342 rows of 64 bytes, leftmost pixel in bit 7, bit 1 =
 * black (Inside Macintosh vol. III, "The Video Interface": "512 by 342",
 * and vol. I, QuickDraw bit images): `--format bin` writes that buffer.
 * Atkinson's dither is the one Bill Atkinson wrote for this screen.
 */
export default definePreset({
  description: 'Compact Mac screen 512×342, Atkinson (bin = the video buffer)',
  target: 'Classic Macintosh 512×342 screens (emulators, screenshots). Crops to fill.',
  steps: [
    { use: 'resize', width: 512, height: 342, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
  ],
  output: { format: 'png', layout: 'horizontal-msb' },
});
