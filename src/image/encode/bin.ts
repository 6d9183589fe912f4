/** Raw packed bits in a display layout (layout.ts), no header: 1 = ink. */
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary } from './bits.js';
import { packLayout, type Layout } from './layout.js';

export function encodeBin(image: BinaryTensor, layout: Layout = 'horizontal-msb'): Buffer {
  assertBinary(image, 'bin');
  return packLayout(image, layout);
}
