import { definePreset } from '../src/config/types.js';

/**
 * 80 mm thermal receipt printers: 576 dots across (72 mm printable at
 * 8 dots/mm, 203 dpi); the height follows the image. Rows MSB-first,
 * bit 1 = printed, as ESC/POS `GS v 0` (Epson ESC/POS Command Reference).
 */
export default definePreset({
  description: '80 mm thermal printer: 576 px wide, Atkinson (bin = ESC/POS GS v 0 rows)',
  target: '80 mm ESC/POS receipt printers (576 dots wide at 203 dpi). Height follows the image.',
  steps: [
    { use: 'resize', width: 576, kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
  ],
  output: { format: 'png', layout: 'horizontal-msb' },
});
