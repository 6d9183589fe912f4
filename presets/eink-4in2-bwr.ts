import { definePreset } from '../src/config/types.js';

/**
 * Three-colour e-paper 4.2" 400×300, black / white / red (SSD1683, e.g. Waveshare 4.2" (B) V2).
 * Two buffers, rows MSB-first: the black plane with bit 1 = white, and the
 * red plane <name>_color with bit 0 = red (accentBit 0), the convention of
 * Waveshare's e-Paper library (GUI_Paint.c: WHITE = 0xFF in both images,
 * EPD_*b_Display(blackimage, ryimage)). Controllers' own red RAM has 1 = red:
 * set output.accentBit to 1 when writing RAM directly. Yellow panels: override
 * { accent: { color: '#ffd400' } }.
 */
export default definePreset({
  description: 'e-paper 4.2" 400×300 black/white/red: C header with two planes (black 1 = white, red 0 = red)',
  target: 'Three-colour (B/W/R or B/W/Y) 4.2" e-paper (400×300). Crops to fill.',
  steps: [
    { use: 'resize', width: 400, height: 300, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5, grayscale: false },
    { use: 'accent', color: '#ff0000', method: 'floyd-steinberg' },
    { use: 'palette', invert: true, ink: '#e9e8e1', paper: '#262626' },
  ],
  output: { format: 'c', layout: 'horizontal-msb', accentBit: 0 },
});
