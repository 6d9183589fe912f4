/**
 * GIF89a with a 2-colour global palette (index 0 = ink, 1 = paper), LZW
 * written here: GIF89a specification (W3C/CompuServe 1990,
 * https://www.w3.org/Graphics/GIF/spec-gif89a.txt) §18 logical screen, §19
 * colour table, §20 image descriptor, §22 table-based image data, §23 graphic
 * control extension, Appendix F variable-length-code LZW (minimum code size 2:
 * the spec allows no less, even for 2 colours). The code-size step and the
 * reset at 4096 codes follow omggif's GifWriterOutputLZWCodeStream (MIT).
 * Several frames make an animation (NETSCAPE2.0 loop extension).
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary } from './bits.js';
import { DEFAULT_PALETTE } from './png.js';

export interface GifOptions {
  /** Paper (index 1) is transparent (graphic control extension). */
  transparentPaper?: boolean;
  /** Per-frame delay in milliseconds (rounded to 1/100 s); one value for all frames, or a list. */
  delay?: number | number[];
  /** Times the animation plays; 0 = forever (default), as sharp's `loop`. The NETSCAPE2.0 block stores repeats (plays − 1). */
  loop?: number;
}

const MIN_CODE_SIZE = 2;

/** LZW-codes pixel indices (each 0 or 1) into GIF sub-blocks (terminated by a 0 block). */
export function lzwGif(indices: Uint8Array): Buffer {
  const clear = 1 << MIN_CODE_SIZE;
  const eoi = clear + 1;
  // Children of each code for pixel 0 and 1: child[code * 2 + k]; 0 = none
  // (codes 0..5 are never children, so 0 is free as the sentinel).
  const child = new Int32Array(4096 * 2);
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  let size = MIN_CODE_SIZE + 1;
  let next = eoi + 1;
  const emit = (code: number) => {
    acc |= code << bits;
    bits += size;
    while (bits >= 8) {
      bytes.push(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  };
  emit(clear);
  if (indices.length > 0) {
    let prefix = indices[0] === 0 ? 0 : 1;
    for (let i = 1; i < indices.length; i++) {
      const k = indices[i] === 0 ? 0 : 1;
      const c = child[prefix * 2 + k];
      if (c !== 0) {
        prefix = c;
        continue;
      }
      emit(prefix);
      if (next === 4096) {
        emit(clear);
        next = eoi + 1;
        size = MIN_CODE_SIZE + 1;
        child.fill(0);
      } else {
        if (next >= 1 << size) size++;
        child[prefix * 2 + k] = next++;
      }
      prefix = k;
    }
    emit(prefix);
  }
  emit(eoi);
  if (bits > 0) bytes.push(acc & 0xff);
  // Sub-blocks of at most 255 bytes, then the block terminator.
  const blocks = Math.ceil(bytes.length / 255);
  const out = Buffer.alloc(1 + bytes.length + blocks + 1);
  out[0] = MIN_CODE_SIZE;
  let o = 1;
  for (let i = 0; i < bytes.length; i += 255) {
    const len = Math.min(255, bytes.length - i);
    out[o++] = len;
    for (let j = 0; j < len; j++) out[o++] = bytes[i + j];
  }
  out[o] = 0;
  return out;
}

/** Encodes one image, or several of the same size as an animation. */
export function encodeGif(frames: BinaryTensor | readonly BinaryTensor[], options: GifOptions = {}): Buffer {
  const list = Array.isArray(frames) ? (frames as readonly BinaryTensor[]) : [frames as BinaryTensor];
  if (list.length === 0) throw new PixelError('E_OUTPUT', 'Cannot write a GIF without frames');
  for (const f of list) assertBinary(f, 'GIF');
  const { width, height } = list[0];
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    throw new PixelError('E_OUTPUT', `Cannot write a GIF of ${width}×${height} pixels: GIF needs 1×1 to 65535×65535`);
  for (const f of list)
    if (f.width !== width || f.height !== height)
      throw new PixelError('E_OUTPUT', `Cannot write a GIF whose frames differ in size (${width}×${height} and ${f.width}×${f.height})`);
  const { ink, paper } = list[0].palette ?? DEFAULT_PALETTE;
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  const parts: Buffer[] = [];
  const head = Buffer.alloc(13 + 6);
  head.write('GIF89a', 0, 'latin1');
  head.writeUInt16LE(width, 6);
  head.writeUInt16LE(height, 8);
  head[10] = 0x80; // global colour table, 1 bit colour resolution, 2 entries (2^(0+1))
  head[11] = 1; // background colour index: paper
  head[12] = 0; // no aspect ratio
  head.set([c(ink.r), c(ink.g), c(ink.b), c(paper.r), c(paper.g), c(paper.b)], 13);
  parts.push(head);
  const animated = list.length > 1;
  const plays = options.loop ?? 0;
  if (animated && plays !== 1) {
    // Without the block a GIF plays once.
    const loop = Buffer.from([0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0', 'latin1'), 3, 1, 0, 0, 0]);
    loop.writeUInt16LE(plays === 0 ? 0 : Math.min(65535, plays - 1), 16);
    parts.push(loop);
  }
  list.forEach((frame, i) => {
    const delayMs = Array.isArray(options.delay) ? (options.delay[i] ?? 100) : (options.delay ?? 0);
    if (animated || options.transparentPaper) {
      const gce = Buffer.from([0x21, 0xf9, 4, 0, 0, 0, 0, 0]);
      // Disposal 2 (restore to background) when paper is transparent, so old frames don't show through.
      gce[3] = (options.transparentPaper ? 1 : 0) | ((animated ? (options.transparentPaper ? 2 : 1) : 0) << 2);
      gce.writeUInt16LE(Math.round(delayMs / 10), 4);
      gce[6] = options.transparentPaper ? 1 : 0;
      parts.push(gce);
    }
    const desc = Buffer.alloc(10);
    desc[0] = 0x2c;
    desc.writeUInt16LE(width, 5);
    desc.writeUInt16LE(height, 7);
    parts.push(desc, lzwGif(frame.data));
  });
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}
