/**
 * Output formats as data: one table drives the CLI's --format choices, help
 * text, file extensions and encoding. To add a format, write an encoder beside
 * this file (use packBits from bits.ts or packLayout from layout.ts) and add one row.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { encodeBin } from './bin.js';
import { encodeBmp } from './bmp.js';
import { encodeCHeader } from './c-header.js';
import { encodeGif } from './gif.js';
import type { Layout } from './layout.js';
import { encodePbm } from './pbm.js';
import { encodePng1, encodePng1Async } from './png.js';
import { encodeTiff } from './tiff.js';
import { encodeXbm } from './xbm.js';

/**
 * What to do with the transparency mask (ImageTensor.mask):
 * - none: ignore it (transparent areas were composited onto paper);
 * - palette: paper is transparent in the file (PNG tRNS, GIF transparent
 *   index); transparent pixels are forced to paper first. With 1 bit there is
 *   no third index, so paper pixels INSIDE the shape become transparent too;
 * - file: a separate mask file beside the output, in the same format (suffix
 *   `.mask.<ext>`); see MASK_FILE_OPAQUE for its convention;
 * - array: a second array `<name>_mask` in the C header, same layout, 1 = opaque.
 */
export type MaskMode = 'none' | 'palette' | 'file' | 'array';
export const MASK_MODES: readonly MaskMode[] = ['none', 'palette', 'file', 'array'];

export interface EncodeContext {
  /** Base name of the output (no extension), for formats that embed an identifier (XBM, C headers). */
  name?: string;
  /** Byte layout for formats with `layouts: true` (C header, bin). Default horizontal-msb. */
  layout?: Layout;
  /** Mask handling (the encoder acts on 'palette' and 'array'; 'file' is done by the caller). */
  mask?: MaskMode;
}

export interface OutputFormat {
  /** File extension without the dot. */
  extension: string;
  /** One line for --help and the README. */
  description: string;
  /** Whether the file keeps custom ink/paper colours. */
  keepsPalette: boolean;
  /** Whether output.layout applies. */
  layouts: boolean;
  /** The mask modes this format can do. */
  masks: readonly MaskMode[];
  /**
   * How a separate mask file (mask: 'file') shows opaque pixels: 'paper'
   * (white, the alpha-matte convention of image formats) or 'ink' (a set bit,
   * as sprite masks in C arrays and raw buffers expect).
   */
  maskOpaque: 'ink' | 'paper';
  encode(image: BinaryTensor, context?: EncodeContext): Buffer;
  /** The same bytes, with the slow part off the JS thread (formats that compress). */
  encodeAsync?(image: BinaryTensor, context?: EncodeContext): Promise<Buffer>;
}

export const FORMATS = {
  png: {
    extension: 'png',
    description: 'PNG, 1 bit per pixel with a 2-colour palette (ink, paper)',
    keepsPalette: true,
    layouts: false,
    masks: ['none', 'palette', 'file'],
    maskOpaque: 'paper',
    encode: (image, context) => encodePng1(image, { transparentPaper: context?.mask === 'palette' }),
    encodeAsync: (image, context) => encodePng1Async(image, { transparentPaper: context?.mask === 'palette' }),
  },
  pbm: {
    extension: 'pbm',
    description: 'Netpbm binary bitmap (P4), 1 = black',
    keepsPalette: false,
    layouts: false,
    masks: ['none', 'file'],
    maskOpaque: 'paper',
    encode: (image) => encodePbm(image),
  },
  bmp: {
    extension: 'bmp',
    description: 'Windows BMP, 1 bit per pixel with a 2-colour table (ink, paper)',
    keepsPalette: true,
    layouts: false,
    masks: ['none', 'file'],
    maskOpaque: 'paper',
    encode: (image) => encodeBmp(image),
  },
  gif: {
    extension: 'gif',
    description: 'GIF with a 2-colour palette (ink, paper)',
    keepsPalette: true,
    layouts: false,
    masks: ['none', 'palette', 'file'],
    maskOpaque: 'paper',
    encode: (image, context) => encodeGif(image, { transparentPaper: context?.mask === 'palette' }),
  },
  tiff: {
    extension: 'tiff',
    description: 'Bilevel TIFF (1 bit, WhiteIsZero, PackBits)',
    keepsPalette: false,
    layouts: false,
    masks: ['none', 'file'],
    maskOpaque: 'paper',
    encode: (image) => encodeTiff(image),
  },
  xbm: {
    extension: 'xbm',
    description: 'X11 bitmap (C source, rows LSB-first, 1 = ink)',
    keepsPalette: false,
    layouts: false,
    masks: ['none', 'file'],
    maskOpaque: 'ink',
    encode: (image, context) => encodeXbm(image, context?.name),
  },
  c: {
    extension: 'h',
    description: 'C/C++ header: const uint8_t array in output.layout, 1 = ink; mask "array" adds <name>_mask',
    keepsPalette: false,
    layouts: true,
    masks: ['none', 'file', 'array'],
    maskOpaque: 'ink',
    encode: (image, context) => encodeCHeader(image, { name: context?.name, layout: context?.layout, maskArray: context?.mask === 'array' }),
  },
  bin: {
    extension: 'bin',
    description: 'Raw packed bits in output.layout, no header, 1 = ink',
    keepsPalette: false,
    layouts: true,
    masks: ['none', 'file'],
    maskOpaque: 'ink',
    encode: (image, context) => encodeBin(image, context?.layout),
  },
} satisfies Record<string, OutputFormat>;

export type FormatName = keyof typeof FORMATS;

export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FORMATS, value);
}

export function encode(image: BinaryTensor, format: FormatName, context: EncodeContext = {}): Buffer {
  return (FORMATS[format] as OutputFormat).encode(image, context);
}

/** encode, with the compression off the JS thread where the format has it (the same bytes). */
export function encodeAsync(image: BinaryTensor, format: FormatName, context: EncodeContext = {}): Promise<Buffer> {
  const f = FORMATS[format] as OutputFormat;
  return f.encodeAsync ? f.encodeAsync(image, context) : Promise.resolve(f.encode(image, context));
}

export { packBits, rowBytes, assertBinary } from './bits.js';
export type { PackOptions } from './bits.js';
export { packLayout, layoutBytes, LAYOUTS, LAYOUT_DESCRIPTIONS } from './layout.js';
export type { Layout } from './layout.js';
export { encodePng1, encodePng1Async, DEFAULT_PALETTE } from './png.js';
export { encodePbm } from './pbm.js';
export { encodeBmp } from './bmp.js';
export { encodeGif, lzwGif } from './gif.js';
export type { GifOptions } from './gif.js';
export { encodeTiff } from './tiff.js';
export { encodeXbm } from './xbm.js';
export { encodeCHeader, maskAsInk } from './c-header.js';
export { encodeBin } from './bin.js';
export { cIdentifier } from './identifier.js';
