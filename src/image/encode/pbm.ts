/**
 * Binary PBM (P4), Netpbm's 1-bit format (https://netpbm.sourceforge.net/doc/pbm.html):
 * header "P4\n<width> <height>\n", then rows packed MSB-first, each padded to a
 * byte, where 1 is black. Black is our ink, so bits are inverted on the way out.
 * PBM has no palette: custom ink/paper colours are not stored.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits } from './bits.js';

export function encodePbm(image: BinaryTensor): Buffer {
  assertBinary(image, 'PBM');
  const header = Buffer.from(`P4\n${image.width} ${image.height}\n`, 'latin1');
  return Buffer.concat([header, packBits(image, { msbFirst: true, inkBit: 1 })]);
}
