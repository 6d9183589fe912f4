/**
 * Output formats as data: one table drives the CLI's --format choices, help
 * text, file extensions and encoding. To add a format, write an encoder beside
 * this file (use packBits from bits.ts) and add one row.
 */
import type { BinaryTensor } from '../../pipeline/types.js';
import { encodePbm } from './pbm.js';
import { encodePng1 } from './png.js';

export interface EncodeContext {
  /** Base name of the output (no extension), for formats that embed an identifier (XBM, C headers). */
  name?: string;
}

export interface OutputFormat {
  /** File extension without the dot. */
  extension: string;
  /** One line for --help and the README. */
  description: string;
  /** Whether the file keeps custom ink/paper colours. */
  keepsPalette: boolean;
  encode(image: BinaryTensor, context?: EncodeContext): Buffer;
}

export const FORMATS = {
  png: {
    extension: 'png',
    description: 'PNG, 1 bit per pixel with a 2-colour palette (ink, paper)',
    keepsPalette: true,
    encode: (image) => encodePng1(image),
  },
  pbm: {
    extension: 'pbm',
    description: 'Netpbm binary bitmap (P4), 1 = black',
    keepsPalette: false,
    encode: (image) => encodePbm(image),
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

export { packBits, rowBytes, assertBinary } from './bits.js';
export type { PackOptions } from './bits.js';
export { encodePng1, DEFAULT_PALETTE } from './png.js';
export { encodePbm } from './pbm.js';
