/**
 * A true 1-bit PNG: colour type 3 (indexed), bit depth 1, a 2-entry palette
 * (index 0 = ink, index 1 = paper), so a binary tensor's values are the
 * palette indices as they are. Written directly because sharp's palette
 * quantiser picks its own two grays (ARCHITECTURE.md §7).
 *
 * Format: PNG specification, W3C 2nd ed. (https://www.w3.org/TR/png/):
 * §5.2 signature, §5.3 chunk layout with CRC-32 over type+data, §11.2.2 IHDR,
 * §11.2.3 PLTE, §7.2 scanlines (filter byte then bits packed MSB-first, rows
 * padded to a byte). Filter type 0 (None), as §12.3 recommends for indexed
 * images and bit depths below 8, except that a row equal to the one above is
 * written with filter 2 (Up) as all zeros: upscaled pixel art repeats every
 * row `scale` times, and zero rows deflate ~5× faster and smaller.
 */
import { crc32, deflate, deflateSync, type ZlibOptions } from 'node:zlib';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor, Palette } from '../../pipeline/types.js';
import { BLACK, WHITE } from '../color.js';
import { assertBinary, packBits } from './bits.js';

export const DEFAULT_PALETTE: Palette = Object.freeze({ ink: BLACK, paper: WHITE });

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 of type+data (PNG spec §5.3). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

function byte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

export interface Png1Options {
  /**
   * zlib level 0..9. Default 4: on 1-bit images zlib's default 6 searches
   * much longer for little (measured: 2.5× the CPU of level 4 on a dithered
   * 12-MP photo for 2 % smaller files, 2.6× on upscaled pixel art for 9 %,
   * 2.5× on Bayer for 3–4 %; level 9 is ~8× slower again).
   */
  level?: number;
  /**
   * Paper (palette index 1) is fully transparent, through a tRNS chunk
   * (§11.3.2.1) that gives index 0 alpha 255 and index 1 alpha 0.
   */
  transparentPaper?: boolean;
}

/** Rows equal to the row above become filter 2 (Up) with zero data; bottom-up, so each compares with an untouched row. */
function upFilterRepeats(scanlines: Buffer, height: number): void {
  const stride = scanlines.length / height;
  for (let y = height - 1; y > 0; y--) {
    const o = y * stride;
    if (scanlines.compare(scanlines, o - stride + 1, o, o + 1, o + stride) !== 0) continue;
    scanlines[o] = 2;
    scanlines.fill(0, o + 1, o + stride);
  }
}

/** Everything but the compressed pixels: the chunks before and after IDAT, the scanlines to deflate and zlib's options. */
function png1Parts(image: BinaryTensor, options: Png1Options): { head: Buffer[]; scanlines: Buffer; zlib: ZlibOptions } {
  assertBinary(image, 'PNG');
  const { width, height } = image;
  if (width < 1 || height < 1) {
    throw new PixelError('E_OUTPUT', `Cannot write a PNG of ${width}×${height} pixels: PNG needs at least 1×1`);
  }
  const { ink, paper } = image.palette ?? DEFAULT_PALETTE;

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 3; // colour type: indexed
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace

  const plte = Buffer.from([byte(ink.r), byte(ink.g), byte(ink.b), byte(paper.r), byte(paper.g), byte(paper.b)]);

  // Paper (1) is palette index 1, so bits are written as they are; the
  // zero-filled prefix byte is filter type 0 (None).
  const scanlines = packBits(image, { msbFirst: true, inkBit: 0, rowPrefix: 1 });
  upFilterRepeats(scanlines, height);
  const trns = options.transparentPaper ? [pngChunk('tRNS', Buffer.from([255, 0]))] : [];
  return { head: [SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('PLTE', plte), ...trns], scanlines, zlib: { level: options.level ?? 4, memLevel: 9 } };
}

const IEND = pngChunk('IEND', Buffer.alloc(0));

export function encodePng1(image: BinaryTensor, options: Png1Options = {}): Buffer {
  const { head, scanlines, zlib } = png1Parts(image, options);
  return Buffer.concat([...head, pngChunk('IDAT', deflateSync(scanlines, zlib)), IEND]);
}

/**
 * The same bytes as encodePng1, with the deflate (most of the time on
 * dithered full-resolution images) on libuv's thread pool, so the batch's
 * main thread runs the next file's steps meanwhile.
 */
export async function encodePng1Async(image: BinaryTensor, options: Png1Options = {}): Promise<Buffer> {
  const { head, scanlines, zlib } = png1Parts(image, options);
  const idat = await new Promise<Buffer>((done, fail) => deflate(scanlines, zlib, (error, out) => (error ? fail(error) : done(out))));
  return Buffer.concat([...head, pngChunk('IDAT', idat), IEND]);
}
