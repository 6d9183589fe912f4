/**
 * Bilevel TIFF (TIFF 6.0 §3 "Bilevel Images"; https://www.itu.int/itudoc/itu-t/com16/tiff-fx/docs/tiff6.pdf):
 * little-endian, one strip, BitsPerSample 1, PhotometricInterpretation 0
 * (WhiteIsZero, so a set bit is black = ink, as fax and PBM), rows MSB-first
 * padded to a byte, compression PackBits (32773, each row packed on its own
 * as §9 requires) or none (1). Written by hand: sharp/libvips writes 1-bit
 * TIFF only through its `bitdepth` option, which thresholds gray itself.
 * No palette: custom ink/paper colours are not stored.
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits, rowBytes } from './bits.js';
import { packBitsRle } from './packbits.js';

export interface TiffOptions {
  compression?: 'packbits' | 'none';
}

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;

export function encodeTiff(image: BinaryTensor, options: TiffOptions = {}): Buffer {
  assertBinary(image, 'TIFF');
  const { width, height } = image;
  if (width < 1 || height < 1) throw new PixelError('E_OUTPUT', `Cannot write a TIFF of ${width}×${height} pixels: TIFF needs at least 1×1`);
  const raw = packBits(image, { msbFirst: true, inkBit: 1 });
  const packbits = (options.compression ?? 'packbits') === 'packbits';
  let strip: Buffer = raw;
  if (packbits) {
    const stride = rowBytes(width);
    const out: number[] = [];
    for (let y = 0; y < height; y++) packBitsRle(raw.subarray(y * stride, (y + 1) * stride), out);
    strip = Buffer.from(out);
  }

  // Layout: header (8) | strip | IFD | resolution rationals.
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, LONG, width], // ImageWidth
    [257, LONG, height], // ImageLength
    [258, SHORT, 1], // BitsPerSample
    [259, SHORT, packbits ? 32773 : 1], // Compression
    [262, SHORT, 0], // PhotometricInterpretation: WhiteIsZero
    [273, LONG, 8], // StripOffsets
    [277, SHORT, 1], // SamplesPerPixel
    [278, LONG, height], // RowsPerStrip
    [279, LONG, strip.length], // StripByteCounts
    [282, RATIONAL, 0], // XResolution (offset filled below)
    [283, RATIONAL, 0], // YResolution
    [296, SHORT, 2], // ResolutionUnit: inch
  ];
  const ifdOffset = 8 + strip.length + (strip.length & 1); // IFDs start on a word boundary
  const ifdSize = 2 + entries.length * 12 + 4;
  const ratOffset = ifdOffset + ifdSize;
  const out = Buffer.alloc(ratOffset + 16);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(ifdOffset, 4);
  strip.copy(out, 8);
  out.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(1, at + 4);
    if (type === SHORT) out.writeUInt16LE(value, at + 8);
    else if (type === LONG) out.writeUInt32LE(value, at + 8);
    else out.writeUInt32LE(ratOffset + (tag === 282 ? 0 : 8), at + 8);
  });
  out.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12); // no next IFD
  for (const o of [ratOffset, ratOffset + 8]) {
    out.writeUInt32LE(72, o); // 72 dpi
    out.writeUInt32LE(1, o + 4);
  }
  return out;
}
