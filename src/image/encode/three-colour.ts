/**
 * Preview of a three-colour image (ImageTensor.accent) as a PNG with a
 * 3-entry palette, index 0 = ink, 1 = paper, 2 = the accent colour, at bit
 * depth 2 (PNG spec §11.2.2 IHDR, §7.2 scanlines: four pixels a byte, the
 * leftmost in the two high bits, rows padded to a byte; filter type 0).
 * The 1-bit PNG writer stays the writer for two-colour images.
 */
import { deflateSync } from 'node:zlib';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary } from './bits.js';
import { DEFAULT_PALETTE, pngChunk } from './png.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RED = { r: 255, g: 0, b: 0 };

export function encodeThreeColourPng(image: BinaryTensor): Buffer {
  assertBinary(image, 'PNG');
  const { width, height, data, accent } = image;
  const { ink, paper, accent: third = RED } = image.palette ?? DEFAULT_PALETTE;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 2; // bit depth
  ihdr[9] = 3; // indexed
  const plte = Buffer.from([ink, paper, third].flatMap((c) => [c.r, c.g, c.b]));
  const stride = 1 + ((width + 3) >> 2);
  const scanlines = Buffer.alloc(stride * height); // filter byte 0 (None) starts each row
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const index = accent && accent[i] ? 2 : data[i] ? 1 : 0;
      scanlines[y * stride + 1 + (x >> 2)] |= index << (6 - 2 * (x & 3));
    }
  return Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('PLTE', plte), pngChunk('IDAT', deflateSync(scanlines)), pngChunk('IEND', Buffer.alloc(0))]);
}
