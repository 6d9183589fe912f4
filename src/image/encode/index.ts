/**
 * Output formats as data: one table drives the CLI's --format choices, help
 * text, file extensions and encoding. To add a format, write an encoder beside
 * this file (use packBits from bits.ts or packLayout from layout.ts) and add one row.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { encodeBinFrames } from './bin.js';
import { encodeBmp } from './bmp.js';
import { accentAsInk, encodeCHeader, encodeCHeaderFrames } from './c-header.js';
import { encodeEscpos } from './escpos.js';
import { encodeGif } from './gif.js';
import type { Layout } from './layout.js';
import { encodePbm } from './pbm.js';
import { encodePdi, encodePdt, playdateSheet, sheetPng, splitCells, tableCellSize } from './playdate.js';
import { encodePng1, encodePng1Async } from './png.js';
import { encodeThreeColourPng } from './three-colour.js';
import { encodeTiff } from './tiff.js';
import { encodeXbm } from './xbm.js';

/**
 * What to do with the transparency mask (ImageTensor.mask):
 * - none: ignore it (transparent areas were composited onto paper);
 * - palette: paper is transparent in the file (PNG tRNS, GIF transparent
 *   index); transparent pixels are forced to paper first. With 1 bit there is
 *   no third index, so paper pixels INSIDE the shape become transparent too;
 * - file: a separate mask file beside the output, in the same format (suffix
 *   `.mask.<ext>`); the format's `maskOpaque` says which colour is opaque;
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
  /** c, bin: the image starts with width and height bytes (Arduboy2 Sprites). */
  sizePrefix?: boolean;
  /** c: prepended to the identifier, e.g. "epd_". */
  prefix?: string;
  /** c: hex values per line. */
  bytesPerLine?: number;
  /** c, bin: reverse the bit order inside each byte. */
  swapBits?: boolean;
  /** c, bin: the bit value of second-colour pixels in the accent plane (three-colour images). */
  accentBit?: 0 | 1;
  /** Animated input: png writes the frames in one row; pdt also writes the SDK's source sheet `<name>-table-<w>-<h>.png`. */
  sheet?: boolean;
}

/** A companion file a format writes beside its output: the output path with its extension replaced by `suffix`. */
export interface Companion {
  suffix: string;
  data: Buffer;
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
  /** Every frame of an animated input in one file (formats without it take the first frame). */
  encodeFrames?(frames: readonly BinaryTensor[], context?: EncodeContext): Buffer;
  /** Companion files the format itself adds (a second-colour plane, an SDK sheet). */
  companions?(frames: readonly BinaryTensor[], context?: EncodeContext): Companion[];
  /** The same bytes, with the slow part off the JS thread (formats that compress). */
  encodeAsync?(image: BinaryTensor, context?: EncodeContext): Promise<Buffer>;
}

const cOptions = (context: EncodeContext = {}) => ({
  name: context.name,
  layout: context.layout,
  maskArray: context.mask === 'array',
  sizePrefix: context.sizePrefix,
  prefix: context.prefix,
  bytesPerLine: context.bytesPerLine,
  swapBits: context.swapBits,
  accentBit: context.accentBit,
});

/** pdt from a still image: a sheet named `name-table-W-H` is cut into W×H cells, anything else is one cell. */
function pdtStill(image: BinaryTensor, context: EncodeContext = {}): Buffer {
  const size = tableCellSize(context.name);
  if (!size) return encodePdt([image], { alpha: context.mask === 'array' });
  const { cells, perRow } = splitCells(image, size.width, size.height);
  return encodePdt(cells, { alpha: context.mask === 'array', perRow });
}

export const FORMATS = {
  png: {
    extension: 'png',
    description: 'PNG, 1 bit per pixel with a 2-colour palette (ink, paper)',
    keepsPalette: true,
    layouts: false,
    masks: ['none', 'palette', 'file'],
    maskOpaque: 'paper',
    // A three-colour image (accent step) is previewed in its three colours.
    encode: (image, context) => (image.accent ? encodeThreeColourPng(image) : encodePng1(image, { transparentPaper: context?.mask === 'palette' })),
    // With output.sheet: the frames of an animated input side by side (a Playdate `-table-W-H` source sheet).
    encodeFrames: (frames, context) => sheetPng(frames, context?.mask === 'palette'),
    encodeAsync: (image, context) => (image.accent ? Promise.resolve(encodeThreeColourPng(image)) : encodePng1Async(image, { transparentPaper: context?.mask === 'palette' })),
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
    description: 'GIF with a 2-colour palette (ink, paper); animated inputs stay animated',
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
    description: 'C/C++ header: const uint8_t array in output.layout, 1 = ink; frames of an animation one after another; mask "array" adds <name>_mask',
    keepsPalette: false,
    layouts: true,
    masks: ['none', 'file', 'array'],
    maskOpaque: 'ink',
    encode: (image, context) => encodeCHeader(image, cOptions(context)),
    encodeFrames: (frames, context) => encodeCHeaderFrames(frames, cOptions(context)),
  },
  bin: {
    extension: 'bin',
    description: 'Raw packed bits in output.layout, no header, 1 = ink; frames one after another; a second-colour plane goes to <name>.color.bin',
    keepsPalette: false,
    layouts: true,
    masks: ['none', 'file'],
    maskOpaque: 'ink',
    encode: (image, context) => encodeBinFrames([image], context),
    encodeFrames: (frames, context) => encodeBinFrames(frames, context),
    companions: (frames, context) =>
      frames.some((f) => f.accent) ? [{ suffix: '.color.bin', data: encodeBinFrames(frames.map((f) => accentAsInk(f, context?.accentBit ?? 1)), { ...context, sizePrefix: false }) }] : [],
  },
  pdi: {
    extension: 'pdi',
    description: 'Playdate compiled image (zlib, 1 = white); mask "array" adds the alpha plane',
    keepsPalette: false,
    layouts: false,
    masks: ['none', 'array'],
    maskOpaque: 'ink',
    encode: (image, context) => encodePdi(image, { alpha: context?.mask === 'array' }),
  },
  pdt: {
    extension: 'pdt',
    description: 'Playdate image table: animation frames, or the cells of a sheet named <name>-table-<w>-<h>; output.sheet adds that PNG sheet',
    keepsPalette: false,
    layouts: false,
    masks: ['none', 'array'],
    maskOpaque: 'ink',
    encode: (image, context) => pdtStill(image, context),
    encodeFrames: (frames, context) => encodePdt(frames, { alpha: context?.mask === 'array' }),
    companions: (frames, context) => (context?.sheet ? [playdateSheet(frames, context.mask === 'array')] : []),
  },
  escpos: {
    extension: 'escpos',
    description: 'ESC/POS raster for receipt printers: GS v 0 commands in bands of 255 rows, 1 = printed',
    keepsPalette: false,
    layouts: false,
    masks: ['none'],
    maskOpaque: 'ink',
    encode: (image) => encodeEscpos(image),
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

/** The companion files `format` adds for these frames (none for most formats). */
export function companions(frames: readonly BinaryTensor[], format: FormatName, context: EncodeContext = {}): Companion[] {
  return (FORMATS[format] as OutputFormat).companions?.(frames, context) ?? [];
}

/** Whether `format` writes every frame of an animated input (png only as a sheet, with output.sheet). */
export function keepsFrames(format: FormatName, sheet = false): boolean {
  if (format === 'png') return sheet;
  return format === 'gif' || (FORMATS[format] as OutputFormat).encodeFrames !== undefined;
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
export { encodeCHeader, encodeCHeaderFrames, encodeCHeaderSet, maskAsInk, accentAsInk, swapBitOrder } from './c-header.js';
export { encodeBin, encodeBinFrames } from './bin.js';
export { encodePdi, encodePdt, playdateCell, playdateSheet, sheetPng, splitCells, tableCellSize } from './playdate.js';
export { encodeEscpos, BAND_ROWS } from './escpos.js';
export { encodeThreeColourPng } from './three-colour.js';
export { cIdentifier } from './identifier.js';
