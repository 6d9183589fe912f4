/**
 * ESC/POS raster for receipt printers: `GS v 0` (1D 76 30), "print raster
 * bit image" (Epson ESC/POS Command Reference, GS v 0): mode m = 0 (normal
 * density), xL xH = bytes per row, yL yH = rows, then the rows, leftmost dot
 * in bit 7, 1 = printed. Tall images go out as several commands (bands) of
 * at most BAND_ROWS rows, because printers buffer a whole command before
 * printing and small ones cap its height. The file is the command stream
 * itself: `cat receipt.escpos > /dev/usb/lp0` prints it.
 *
 * Not written (documented in the README): ESC * (column format, 8 or 24
 * dots high, the oldest and most widely supported), GS ( L / GS 8 L (store
 * graphics in the printer's buffer, then print them with GS ( L fn 50), and
 * FS p (print a logo stored in NV memory).
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits, rowBytes } from './bits.js';

/** Rows per GS v 0 command: fits in yL alone, and in the buffer of small 58 mm printers. */
export const BAND_ROWS = 255;

export function encodeEscpos(image: BinaryTensor): Buffer {
  assertBinary(image, 'ESC/POS');
  const { width, height } = image;
  const bytesPerRow = rowBytes(width);
  if (bytesPerRow > 0xffff) throw new PixelError('E_OUTPUT', `ESC/POS rows are at most 65535 bytes, not ${bytesPerRow}`, { hint: 'Resize to the printer width (384 or 576 dots).' });
  const rows = packBits(image, { msbFirst: true, inkBit: 1 });
  const parts: Buffer[] = [];
  for (let y = 0; y < height; y += BAND_ROWS) {
    const band = Math.min(BAND_ROWS, height - y);
    parts.push(Buffer.from([0x1d, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, band & 0xff, band >> 8]));
    parts.push(rows.subarray(y * bytesPerRow, (y + band) * bytesPerRow));
  }
  return Buffer.concat(parts);
}
