/**
 * BMP, 1 bit per pixel: BITMAPFILEHEADER (14 bytes), BITMAPINFOHEADER (40
 * bytes), a 2-entry colour table (index 0 = ink, 1 = paper, as B,G,R,0), then
 * rows bottom-up (positive height), leftmost pixel in the high bit, each row
 * padded to 4 bytes. Microsoft docs: "BITMAPINFOHEADER structure" and
 * "Bitmap Storage" (https://learn.microsoft.com/windows/win32/gdi/bitmap-storage).
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits } from './bits.js';
import { DEFAULT_PALETTE } from './png.js';

/** 72 dpi in pixels per metre. */
const PPM_72DPI = 2835;

export function encodeBmp(image: BinaryTensor): Buffer {
  assertBinary(image, 'BMP');
  const { width, height } = image;
  if (width < 1 || height < 1) throw new PixelError('E_OUTPUT', `Cannot write a BMP of ${width}×${height} pixels: BMP needs at least 1×1`);
  const { ink, paper } = image.palette ?? DEFAULT_PALETTE;
  // Values are palette indices as they are (ink 0, paper 1).
  const rows = packBits(image, { msbFirst: true, inkBit: 0, rowAlign: 4 });
  const stride = rows.length / height;
  const headerSize = 14 + 40 + 8;
  const out = Buffer.alloc(headerSize + rows.length);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(headerSize, 10); // pixel data offset
  out.writeUInt32LE(40, 14); // biSize
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22); // positive: bottom-up
  out.writeUInt16LE(1, 26); // planes
  out.writeUInt16LE(1, 28); // bits per pixel
  out.writeUInt32LE(0, 30); // BI_RGB
  out.writeUInt32LE(rows.length, 34);
  out.writeInt32LE(PPM_72DPI, 38);
  out.writeInt32LE(PPM_72DPI, 42);
  out.writeUInt32LE(2, 46); // colours used
  out.writeUInt32LE(2, 50); // colours important
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  out.set([c(ink.b), c(ink.g), c(ink.r), 0, c(paper.b), c(paper.g), c(paper.r), 0], 54);
  for (let y = 0; y < height; y++) rows.copy(out, headerSize + (height - 1 - y) * stride, y * stride, (y + 1) * stride);
  return out;
}
