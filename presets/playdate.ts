import { definePreset } from '../src/config/types.js';

/**
 * Panic Playdate: 400×240 1-bit reflective Sharp Memory LCD
 * (https://help.play.date/developer/ , "Display": 400 × 240, 1-bit).
 * The output is exactly 400×240 (cover: fills the screen, crops the rest).
 * PNG colours approximate the unlit/lit panel; PBM output stays black/white.
 */
export default definePreset({
  description: 'Playdate screen: exactly 400×240, Atkinson, panel colours',
  target: 'Panic Playdate (400×240, 1-bit memory LCD). Crops to fill the screen.',
  steps: [
    { use: 'resize', width: 400, height: 240, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', ink: '#312f28', paper: '#b1afa8' },
  ],
});
