/**
 * Reads any image sharp can decode into a tone tensor (sRGB-coded unit values).
 *
 * One sharp pipeline: EXIF rotation, alpha composited onto the paper colour
 * (and kept as a 1-bit transparency mask, alpha >= 0.5 = opaque),
 * colour managed to sRGB, raw 8-bit (or 16-bit for 16-bit sources), then a
 * table lookup into Float32. Grayscale sources stay one channel so later steps
 * don't convert three equal channels back to gray.
 *
 * sharp's error strings are mapped to PixelError('E_INPUT') with a hint; the
 * strings matched here were produced by sharp 0.35 / libvips 8.18 (see
 * decode.test.ts, which provokes each one for real).
 */
import { open, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { PixelError } from '../pipeline/errors.js';
import type { RGB, ToneTensor } from '../pipeline/types.js';
import { convertSpace, LUMA, luminance, srgbToLinearExact, WHITE } from './color.js';

export interface DecodeOptions {
  /** Paper colour that transparent pixels are flattened onto (default white). */
  background?: RGB;
  /** Refuse images with more pixels than this (default 16383², as sharp). */
  limitInputPixels?: number;
  /** Read every page/frame, stacked top to bottom (animated GIF/WebP); see decodeAnimation. */
  allPages?: boolean;
  /** Name of the file for messages (defaults to the path when `input` is one). */
  file?: string;
  /**
   * Hand linear-light gray (Rec. 709 luminance, space 'linear', 1 channel)
   * instead of sRGB-coded colour: for pipelines where no step needs colour
   * (Pipeline.grayInput), a third of the float work at full resolution.
   */
  gray?: boolean;
  /**
   * The smallest size the pipeline needs from a `width`×`height` source
   * (Pipeline.decodeSize), or undefined for every pixel. JPEG and WebP are
   * then shrunk on load towards it (libjpeg's DCT scaling, libwebp's scaled
   * decode, the rest by libvips in the stored coding), which skips most of
   * the decoding work; other formats are decoded in full.
   */
  size?: (width: number, height: number) => { width: number; height: number } | undefined;
  /**
   * Where the decoded floats go: an array of exactly `length` elements, every
   * one of which the decoder writes (the engine hands back a buffer from an
   * earlier file; see FloatBuffers). Default: a new array.
   */
  floats?: (length: number) => Float32Array;
}

const newFloats = (length: number) => new Float32Array(length);

/** Formats whose decoders can shrink on load (sharp's fastShrinkOnLoad). */
const SHRINK_ON_LOAD = new Set(['jpeg', 'webp']);

/** sharp's own default: 0x3FFF × 0x3FFF. */
export const DEFAULT_PIXEL_LIMIT = 16383 * 16383;

export const SUPPORTED_FORMATS_TEXT = 'pixel reads PNG, JPEG, WebP, AVIF, TIFF, GIF and SVG';

let table8: Float32Array | undefined;
let table16: Float32Array | undefined;

/** v/255 for every byte: one lookup per sample instead of a division. */
function unitTable8(): Float32Array {
  if (!table8) {
    table8 = new Float32Array(256);
    for (let i = 0; i < 256; i++) table8[i] = i / 255;
  }
  return table8;
}

/** v/65535 for every 16-bit value (the same values as color.ts's table index). */
function unitTable16(): Float32Array {
  if (!table16) {
    table16 = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) table16[i] = i / 65535;
  }
  return table16;
}

let linear8: Float32Array | undefined;
/** r·lin[v] at v, g·lin[v] at 256 + v, b·lin[v] at 512 + v: one table, one base register. */
let lumaTable: Float64Array | undefined;

/**
 * Bytes straight to linear-light gray: each byte's linear value is the one
 * color.ts's 16-bit table gives for v/255 (index v·257), and the luminance is
 * summed as luminance() does, so this equals decoding to sRGB floats, then
 * convertSpace, then luminance, value for value. The weighted linear values
 * are looked up (r·lin[v] is the same double whether multiplied here or in
 * the table), so a pixel is three loads and two adds, with no float RGB.
 */
function linearGray8(data: Uint8Array, channels: 1 | 3, pixels: number, floats: (length: number) => Float32Array): Float32Array {
  if (!linear8) {
    // = srgbToLinearTable()[v·257] (v·257/65535 and v/255 are the same double), without building all 65536 entries.
    linear8 = new Float32Array(256);
    for (let v = 0; v < 256; v++) linear8[v] = srgbToLinearExact(v / 255);
    const { r, g, b } = LUMA;
    lumaTable = new Float64Array(768);
    for (let v = 0; v < 256; v++) {
      lumaTable[v] = r * linear8[v];
      lumaTable[256 + v] = g * linear8[v];
      lumaTable[512 + v] = b * linear8[v];
    }
  }
  // A plain Uint8Array view: element loads from a Buffer are slower in V8.
  const src = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const lin = linear8;
  const out = floats(pixels);
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) out[i] = lin[src[i]];
    return out;
  }
  const t = lumaTable!;
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    // Never below 0 (every term is >= 0); the weights' rounding can pass 1 at white.
    const y = t[src[j]] + t[256 + src[j + 1]] + t[512 + src[j + 2]];
    out[i] = y > 1 ? 1 : y;
  }
  return out;
}

/** The general path's gray: coded floats (16-bit, alpha-blended) to linear luminance. */
function toLinearGray(image: ToneTensor): ToneTensor {
  const lin = convertSpace(image.data, 'srgb', 'linear', image.data);
  return { ...image, channels: 1, space: 'linear', data: image.channels === 3 ? luminance(lin) : lin };
}

export async function decodeImage(input: string | Buffer, options: DecodeOptions = {}): Promise<ToneTensor> {
  const file = options.file ?? (typeof input === 'string' ? input : undefined);
  const background = options.background ?? WHITE;
  const limit = options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT;

  // Our own checks first: sharp reports a missing file, a folder and an empty
  // file all as "unsupported image format" or worse.
  if (typeof input === 'string') {
    let size: number;
    try {
      const s = await stat(input);
      if (s.isDirectory()) {
        throw new PixelError('E_INPUT', 'Expected an image file but found a folder', { file, hint: 'Check the path' });
      }
      size = s.size;
    } catch (error) {
      if (error instanceof PixelError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new PixelError('E_INPUT', 'File not found', { file, hint: 'Check the path', cause: error });
      }
      throw new PixelError('E_INPUT', `Cannot read the file (${code ?? (error as Error).message})`, {
        file,
        hint: 'Check that the file exists and that you may read it',
        cause: error,
      });
    }
    if (size === 0) throw emptyFile(file);
  } else if (input.length === 0) {
    throw emptyFile(file);
  }

  try {
    const image = sharp(input, { limitInputPixels: limit, failOn: 'error', animated: options.allPages === true });
    // The header tells us whether the source is gray and/or 16-bit.
    const meta = await image.metadata();
    const bands = (meta.channels ?? 3) - (meta.hasAlpha ? 1 : 0);
    const grayBackground = background.r === background.g && background.g === background.b;
    const gray = bands === 1 && (!meta.hasAlpha || grayBackground);
    const deep = meta.depth === 'ushort';
    const space = gray ? (deep ? 'grey16' : 'b-w') : deep ? 'rgb16' : 'srgb';

    // Images with alpha are composited here rather than by sharp's flatten:
    // that keeps the alpha band for the transparency mask, and sharp flattens
    // 16-bit images onto the 8-bit background ×256 (white becomes 65280).
    const blendHere = meta.hasAlpha === true;
    let pipeline = image.rotate();
    const scaled = options.size && !options.allPages && SHRINK_ON_LOAD.has(meta.format ?? '') ? scaledSize(meta, options.size) : undefined;
    if (scaled) pipeline = pipeline.resize({ width: scaled.width, height: scaled.height, fit: 'fill', kernel: 'linear', fastShrinkOnLoad: true });
    const { data, info } = await pipeline
      .toColourspace(space)
      .raw(deep ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true });

    const channels: 1 | 3 = gray ? 1 : 3;
    const stride = channels + (blendHere ? 1 : 0);
    if (info.channels !== stride) {
      throw new PixelError('E_INTERNAL', `Decoder returned ${info.channels} channels, expected ${stride}`, { file });
    }
    const pixels = info.width * info.height;
    if (options.gray && !blendHere && !deep) {
      return { width: info.width, height: info.height, channels: 1, range: 'unit', space: 'linear', data: linearGray8(data, channels, pixels, options.floats ?? newFloats) };
    }
    const n = pixels * channels;
    const out = (options.floats ?? newFloats)(n);
    let src: Uint8Array | Uint16Array = data;
    let t = unitTable8();
    if (deep) {
      // sharp's raw 16-bit output is host-endian; copy if the Buffer isn't 2-aligned.
      const bytes = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
      src = new Uint16Array(bytes.buffer, bytes.byteOffset, pixels * stride);
      t = unitTable16();
    }
    let mask: Uint8Array | undefined;
    if (blendHere) {
      // Alpha-blend in the stored (sRGB) coding, as sharp's flatten does;
      // alpha >= 0.5 is opaque in the mask (ImageTensor.mask).
      const bg = gray ? [background.r / 255] : [background.r / 255, background.g / 255, background.b / 255];
      mask = new Uint8Array(pixels);
      let transparent = 0;
      for (let p = 0, i = 0, o = 0; p < pixels; p++, i += stride) {
        const a = t[src[i + channels]];
        const opaque = a >= 0.5 ? 1 : 0;
        mask[p] = opaque;
        transparent += 1 - opaque;
        for (let c = 0; c < channels; c++) out[o++] = t[src[i + c]] * a + bg[c] * (1 - a);
      }
      // An alpha band with no transparent pixel needs no mask (absent = opaque).
      if (transparent === 0) mask = undefined;
    } else {
      for (let i = 0; i < n; i++) out[i] = t[src[i]];
    }
    const result: ToneTensor = { width: info.width, height: info.height, channels, range: 'unit', space: 'srgb', data: out };
    if (mask) result.mask = mask;
    return options.gray ? toLinearGray(result) : result;
  } catch (error) {
    if (error instanceof PixelError) throw error;
    throw await decodeError(error, input, file, limit);
  }
}

/** The size to shrink a JPEG/WebP to on load (upright, after EXIF rotation), when it is at most half the source. */
function scaledSize(meta: Metadata, size: NonNullable<DecodeOptions['size']>): { width: number; height: number } | undefined {
  if (!meta.width || !meta.height) return undefined;
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  const need = size(width, height);
  if (!need || need.width * 2 > width || need.height * 2 > height) return undefined;
  return need;
}

/** The frames of an animated image, each a full-size tone tensor (with its own mask). */
export interface Animation {
  frames: ToneTensor[];
  /** Delay of each frame in milliseconds. */
  delay: number[];
  /** Times the animation plays; 0 = forever (sharp's `loop`). */
  loop: number;
}

/**
 * Decodes every frame of an animated image (GIF, WebP), or returns undefined
 * for a still image (or one sharp cannot read: decodeImage then reports it).
 * libvips renders each frame composited as shown, so frames are complete
 * pictures. All frames are read as one tall image, then split without copying.
 */
export async function decodeAnimation(input: string | Buffer, options: DecodeOptions = {}): Promise<Animation | undefined> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { animated: true, limitInputPixels: options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT }).metadata();
  } catch {
    return undefined;
  }
  const pages = meta.pages ?? 1;
  if (pages < 2) return undefined;
  const strip = await decodeImage(input, { ...options, allPages: true });
  const pageHeight = meta.pageHeight ?? strip.height / pages;
  if (!Number.isInteger(pageHeight) || pageHeight < 1 || strip.height % pageHeight !== 0) {
    throw new PixelError('E_INPUT', `The animation's ${pages} frames do not stack evenly into ${strip.height} rows`, { file: options.file, hint: 'Re-export the animation' });
  }
  const frames: ToneTensor[] = [];
  const { width, channels } = strip;
  const n = width * pageHeight;
  for (let f = 0; f * pageHeight < strip.height; f++) {
    const frame: ToneTensor = { ...strip, height: pageHeight, data: strip.data.subarray(f * n * channels, (f + 1) * n * channels) };
    if (strip.mask) frame.mask = strip.mask.subarray(f * n, (f + 1) * n);
    frames.push(frame);
  }
  const delay = frames.map((_, i) => meta.delay?.[i] ?? 100);
  return { frames, delay, loop: meta.loop ?? 0 };
}

/**
 * The pixel count of an encoded image from its header, without decoding
 * (PNG read here, other formats through sharp's header parse); undefined
 * when the header cannot be read (the decoder then reports why).
 */
export async function pixelCount(bytes: Uint8Array): Promise<number | undefined> {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE) && b.toString('latin1', 12, 16) === 'IHDR') return b.readUInt32BE(16) * b.readUInt32BE(20);
  try {
    const meta = await sharp(b, { limitInputPixels: false }).metadata();
    return meta.width && meta.height ? meta.width * meta.height * (meta.pages ?? 1) : undefined;
  } catch {
    return undefined;
  }
}

function emptyFile(file: string | undefined): PixelError {
  return new PixelError('E_INPUT', 'The file is empty (0 bytes)', {
    file,
    hint: 'It may not have been written completely; export or download it again',
  });
}

/** Turns a sharp/libvips error into a PixelError that says what is wrong and what to do. */
async function decodeError(error: unknown, input: string | Buffer, file: string | undefined, limit: number): Promise<PixelError> {
  const raw = error instanceof Error ? error.message : String(error);
  const first = raw.split('\n')[0].trim();
  const base = { file, cause: error };

  if (/exceeds pixel limit/i.test(raw)) {
    // The header alone is safe to read without the limit: it decodes no pixels.
    let size = '';
    try {
      const m = await sharp(input, { limitInputPixels: false }).metadata();
      if (m.width && m.height) size = ` is ${m.width}×${m.height} (${(m.width * m.height).toLocaleString('en-US')} pixels) and`;
    } catch {
      // size unknown; the message still stands
    }
    return new PixelError('E_INPUT', `The image${size} exceeds the limit of ${limit.toLocaleString('en-US')} pixels`, {
      ...base,
      hint:
        'The limit guards against decompression bombs. If you trust the file, raise it with the limitInputPixels option or --max-pixels',
    });
  }
  if (/unsupported image format/i.test(raw)) {
    return new PixelError('E_INPUT', 'Not an image, or an unsupported image format', { ...base, hint: SUPPORTED_FORMATS_TEXT });
  }
  if (/is empty/i.test(raw)) return emptyFile(file);
  if (/Input file is missing/i.test(raw)) {
    return new PixelError('E_INPUT', 'File not found', { ...base, hint: 'Check the path' });
  }
  if (/bad dimensions/i.test(raw) || (/corrupt header/i.test(raw) && (await pngHasZeroSize(input)))) {
    return new PixelError('E_INPUT', 'The image has no pixels (its width or height is 0)', {
      ...base,
      hint: 'Export the image again with a non-zero size',
    });
  }
  if (/corrupt|truncat|premature end|read error|bogus|invalid|unexpected end|damaged|crc/i.test(raw)) {
    const detail = first.replace(/^Input (file|buffer) has corrupt header:\s*/i, '');
    return new PixelError('E_INPUT', `The image is truncated or corrupt${detail ? ` (${detail})` : ''}`, {
      ...base,
      hint: 'The file may have been cut off while copying; export or download it again',
    });
  }
  return new PixelError('E_INPUT', `Cannot decode the image: ${first}`, { ...base, hint: SUPPORTED_FORMATS_TEXT });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True when the input is a PNG whose IHDR gives a zero width or height (libvips only says "corrupt header"). */
async function pngHasZeroSize(input: string | Buffer): Promise<boolean> {
  let head: Buffer;
  if (typeof input === 'string') {
    head = Buffer.alloc(24);
    try {
      const fh = await open(input, 'r');
      try {
        await fh.read(head, 0, 24, 0);
      } finally {
        await fh.close();
      }
    } catch {
      return false;
    }
  } else {
    head = input.subarray(0, 24);
  }
  if (head.length < 24 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  return head.readUInt32BE(16) === 0 || head.readUInt32BE(20) === 0;
}
