/**
 * Byte layouts of 1-bit framebuffers and bitmaps, as display drivers want them.
 * In every layout a set bit (1) is ink; padding bits are 0.
 *
 * - horizontal-msb: rows of bytes, leftmost pixel in bit 7 (Adafruit GFX
 *   `drawBitmap`, Waveshare e-paper buffers, ESC/POS `GS v 0`, PBM).
 *   https://learn.adafruit.com/adafruit-gfx-graphics-library/graphics-primitives#bitmaps
 * - horizontal-lsb: rows of bytes, leftmost pixel in bit 0 (XBM, u8g2 `drawXBM`).
 *   https://github.com/olikraus/u8g2/wiki/u8g2reference#drawxbm
 * - vertical: 8-pixel-high pages, one byte per column, top pixel in bit 0;
 *   page after page, left to right (SSD1306 / SH1106 GDDRAM, PCD8544 with
 *   horizontal addressing, Arduboy). Height is padded to a multiple of 8.
 *   SSD1306 datasheet rev 1.1 §8.7 "Graphic Display Data RAM (GDDRAM)", fig. 8-13;
 *   PCD8544 datasheet (Philips 1999) §7.7 and fig. 5.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { packBits } from './bits.js';

export type Layout = 'horizontal-msb' | 'horizontal-lsb' | 'vertical';
export const LAYOUTS: readonly Layout[] = ['horizontal-msb', 'horizontal-lsb', 'vertical'];

export const LAYOUT_DESCRIPTIONS: Record<Layout, string> = {
  'horizontal-msb': 'rows, leftmost pixel in bit 7 (Adafruit GFX drawBitmap, e-paper, ESC/POS)',
  'horizontal-lsb': 'rows, leftmost pixel in bit 0 (XBM, u8g2 drawXBM)',
  vertical: '8-pixel pages, one byte per column, top pixel in bit 0 (SSD1306, SH1106, PCD8544, Arduboy)',
};

/** Bytes a width×height image takes in a layout. */
export function layoutBytes(width: number, height: number, layout: Layout): number {
  return layout === 'vertical' ? width * ((height + 7) >>> 3) : ((width + 7) >>> 3) * height;
}

/** Packs `image` in `layout`, 1 = ink (binary value 0). */
export function packLayout(image: BinaryTensor, layout: Layout): Buffer {
  if (layout === 'horizontal-msb') return packBits(image, { msbFirst: true, inkBit: 1 });
  if (layout === 'horizontal-lsb') return packBits(image, { msbFirst: false, inkBit: 1 });
  const { width, height, data } = image;
  const pages = (height + 7) >>> 3;
  const out = Buffer.alloc(width * pages);
  for (let p = 0; p < pages; p++) {
    const y0 = p * 8;
    const rows = Math.min(8, height - y0);
    const base = p * width;
    for (let k = 0; k < rows; k++) {
      const bit = 1 << k;
      let src = (y0 + k) * width;
      for (let x = 0; x < width; x++, src++) if (data[src] === 0) out[base + x] |= bit;
    }
  }
  return out;
}
