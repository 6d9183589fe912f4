import { definePreset } from '../src/config/types.js';

/**
 * 58 mm thermal receipt printers: 384 dots across (48 mm printable at
 * 8 dots/mm, 203 dpi); the height follows the image. ESC/POS raster
 * `GS v 0` takes rows of bytes, leftmost dot in bit 7, bit 1 = printed
 * (Epson ESC/POS Command Reference, "GS v 0"): the `horizontal-msb` layout,
 * so `--format bin` gives the command's data as is. Atkinson diffuses only
 * 3/4 of the error, which offsets the dot gain of thermal paper.
 */
export default definePreset({
  description: '58 mm thermal printer: 384 px wide, Atkinson (bin = ESC/POS GS v 0 rows)',
  target: '58 mm ESC/POS receipt printers (384 dots wide at 203 dpi). Height follows the image.',
  steps: [
    { use: 'resize', width: 384, kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
  ],
  output: { format: 'png', layout: 'horizontal-msb' },
});
