import { definePreset } from '../src/config/types.js';

/**
 * Nokia 5110 / 3310 LCD, 84×48, PCD8544 controller. With horizontal
 * addressing (V = 0) the 504-byte RAM is 6 banks of 84 bytes; each byte is a
 * vertical run of 8 pixels, top pixel in bit 0, bit 1 = dark pixel in normal
 * mode (Philips PCD8544 datasheet, 1999, §7.7 "Addressing" and figs. 5-7).
 * That is the `vertical` layout. PNG colours imitate the backlit panel.
 */
export default definePreset({
  description: 'Nokia 5110 (PCD8544) 84×48: C header, vertical 8-px banks, bit 1 = dark',
  target: 'Nokia 5110/3310 84×48 LCD modules (PCD8544). Crops to fill the screen.',
  steps: [
    { use: 'resize', width: 84, height: 48, fit: 'cover', kernel: 'box' },
    { use: 'adjust', sharpen: 0.5 },
    { use: 'dither', method: 'atkinson' },
    { use: 'palette', ink: '#1e2a23', paper: '#9fc2a0' },
  ],
  output: { format: 'c', layout: 'vertical' },
});
