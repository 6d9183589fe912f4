/** Raw packed bits in a display layout (layout.ts), no header: 1 = ink. */
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary } from './bits.js';
import { packPlane, sizePrefixBytes } from './c-header.js';
import type { Layout } from './layout.js';

export function encodeBin(image: BinaryTensor, layout: Layout = 'horizontal-msb'): Buffer {
  return encodeBinFrames([image], { layout });
}

/** Frames one after another, after width and height bytes when `sizePrefix` (Arduboy2 Sprites), bits swapped when `swapBits`. */
export function encodeBinFrames(frames: readonly BinaryTensor[], options: { layout?: Layout; sizePrefix?: boolean; swapBits?: boolean; name?: string } = {}): Buffer {
  for (const f of frames) assertBinary(f, 'bin');
  const layout = options.layout ?? 'horizontal-msb';
  const planes = frames.map((f) => packPlane(f, layout, options.swapBits === true));
  if (options.sizePrefix) planes.unshift(sizePrefixBytes(frames[0].width, frames[0].height, options.name ?? 'the image'));
  return Buffer.concat(planes);
}
