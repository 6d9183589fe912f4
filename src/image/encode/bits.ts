/**
 * Packs a binary tensor into bytes, one bit per pixel, each row padded to a
 * whole byte: the layout of PNG (bit depth 1), PBM P4, XBM, BMP and most
 * display drivers. Formats differ only in bit order and in which bit means ink.
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';

export interface PackOptions {
  /** true: the leftmost pixel is the byte's high bit (PNG, PBM); false: low bit (XBM). */
  msbFirst: boolean;
  /** The bit value written for ink pixels (PNG palette index 0 → 0; PBM black → 1). */
  inkBit: 0 | 1;
  /** Bytes reserved before each row (PNG's filter-type byte); zero-filled. Default 0. */
  rowPrefix?: number;
  /** Pad each row to a multiple of this many bytes (BMP rows are 4-byte aligned). Default 1. */
  rowAlign?: number;
}

/** Bytes per packed row, without prefix or alignment. */
export function rowBytes(width: number): number {
  return (width + 7) >>> 3;
}

/** Throws unless `image` is a well-formed binary tensor (a contract bug, not a user error). */
export function assertBinary(image: BinaryTensor, format: string): void {
  const { width, height, data } = image;
  if (
    image.range !== 'binary' ||
    image.channels !== 1 ||
    !(data instanceof Uint8Array) ||
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 0 ||
    height < 0 ||
    data.length !== width * height
  ) {
    throw new PixelError(
      'E_INTERNAL',
      `Cannot encode ${format}: expected a binary image (1 channel, ${width}×${height} = ${width * height} values) but received range ${image.range}, ${image.channels} channel(s), ${data?.length} values`,
      { hint: 'End the pipeline with a step that produces a binary image (threshold or dither)' },
    );
  }
}

/**
 * Packs `image` into a new Buffer of `height` rows of
 * `rowPrefix + align(ceil(width/8), rowAlign)` bytes. Any non-zero value counts as paper.
 */
export function packBits(image: BinaryTensor, options: PackOptions): Buffer {
  const { width, height, data } = image;
  const prefix = options.rowPrefix ?? 0;
  const align = options.rowAlign ?? 1;
  const packed = rowBytes(width);
  const stride = prefix + Math.ceil(packed / align) * align;
  const out = Buffer.alloc(stride * height);
  // Pixels are packed as "paper = 1" (any non-zero value: `-v >>> 31` is 1
  // for 1..255 and 0 for 0, without a branch), then whole bytes are XORed
  // with `flip` to reach the format's convention; padding bits stay 0.
  const flip = options.inkBit === 1 ? 0xff : 0;
  const full = width >>> 3;
  const rest = width & 7;
  const tailMask = (0xff << (8 - rest)) & 0xff; // MSB-first: the `rest` high bits
  const msb = options.msbFirst;
  // A row equal to the one above (every row of an upscale, `scale` times) is
  // copied packed: a memcmp instead of eight reads per byte.
  const rows = Buffer.from(data.buffer, data.byteOffset, data.length);
  for (let y = 0; y < height; y++) {
    let src = y * width;
    let dst = y * stride + prefix;
    if (y > 0 && rows.compare(rows, src - width, src, src, src + width) === 0) {
      out.copyWithin(dst, dst - stride, dst - stride + packed);
      continue;
    }
    if (msb) {
      for (let i = 0; i < full; i++, src += 8) {
        out[dst++] =
          (((-data[src] >>> 31) << 7) |
            ((-data[src + 1] >>> 31) << 6) |
            ((-data[src + 2] >>> 31) << 5) |
            ((-data[src + 3] >>> 31) << 4) |
            ((-data[src + 4] >>> 31) << 3) |
            ((-data[src + 5] >>> 31) << 2) |
            ((-data[src + 6] >>> 31) << 1) |
            (-data[src + 7] >>> 31)) ^
          flip;
      }
      if (rest) {
        let byte = 0;
        for (let b = 0; b < rest; b++) byte |= (-data[src + b] >>> 31) << (7 - b);
        out[dst] = (byte ^ flip) & tailMask;
      }
    } else {
      for (let i = 0; i < full; i++, src += 8) {
        out[dst++] =
          ((-data[src] >>> 31) |
            ((-data[src + 1] >>> 31) << 1) |
            ((-data[src + 2] >>> 31) << 2) |
            ((-data[src + 3] >>> 31) << 3) |
            ((-data[src + 4] >>> 31) << 4) |
            ((-data[src + 5] >>> 31) << 5) |
            ((-data[src + 6] >>> 31) << 6) |
            ((-data[src + 7] >>> 31) << 7)) ^
          flip;
      }
      if (rest) {
        let byte = 0;
        for (let b = 0; b < rest; b++) byte |= (-data[src + b] >>> 31) << b;
        out[dst] = (byte ^ flip) & (0xff >>> (8 - rest)); // LSB-first: the `rest` low bits
      }
    }
  }
  return out;
}
