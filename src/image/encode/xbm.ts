/**
 * XBM, the X11 bitmap format: C source text with `<id>_width`/`<id>_height`
 * defines and a `static unsigned char <id>_bits[]` array; rows packed
 * LSB-first (leftmost pixel in bit 0), padded to a byte; 1 = foreground (ink).
 * Xlib Programming Manual §6.4 / XReadBitmapFile(3), X11R6 `bitmap` output.
 * No palette: custom ink/paper colours are not stored.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits } from './bits.js';
import { cIdentifier, hexLines } from './identifier.js';

export function encodeXbm(image: BinaryTensor, name?: string): Buffer {
  assertBinary(image, 'XBM');
  const id = cIdentifier(name);
  const bytes = packBits(image, { msbFirst: false, inkBit: 1 });
  const text =
    `#define ${id}_width ${image.width}\n` +
    `#define ${id}_height ${image.height}\n` +
    `static unsigned char ${id}_bits[] = {\n${hexLines(bytes, 12, '   ')} };\n`;
  return Buffer.from(text, 'latin1');
}
