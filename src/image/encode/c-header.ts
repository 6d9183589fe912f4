/**
 * C/C++ header for microcontroller displays: `const uint8_t <id>[]` in the
 * chosen byte layout (layout.ts; 1 = ink), `<ID>_WIDTH`/`<ID>_HEIGHT`
 * defines, and optionally:
 * - `<id>_mask[]` in the same layout (1 = opaque) for sprite routines that take
 *   one (Arduboy `Sprites::drawExternalMask`);
 * - `<id>_color[]`, the second-colour plane of a three-colour e-paper image
 *   (red or yellow; `accentBit` says which bit value is the colour);
 * - several frames (an animation) one after another in the same array:
 *   frame i starts at `<id> + i * <ID>_FRAME_BYTES` (after the size prefix);
 * - a size prefix: the image array starts with two bytes, width and height,
 *   as Arduboy2's `Sprites::draw*` functions read them (Arduboy2 Sprites.h:
 *   "Each image array begins with values for the width and height of the
 *   sprite … For a separate mask array, as is used with drawExternalMask(),
 *   the width and height are not included"); the mask array gets none.
 * On AVR the arrays go to flash with PROGMEM (read them with pgm_read_byte);
 * elsewhere PROGMEM is defined empty so the header compiles unchanged.
 */
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary } from './bits.js';
import { cIdentifier, hexLines } from './identifier.js';
import { layoutBytes, packLayout, type Layout, LAYOUT_DESCRIPTIONS } from './layout.js';

export interface CHeaderOptions {
  name?: string;
  layout?: Layout;
  /** Also write `<id>_mask[]` from image.mask (all opaque when the image has none). */
  maskArray?: boolean;
  /** Start the image array with width and height bytes (Arduboy2 Sprites). */
  sizePrefix?: boolean;
  /** Prepended to the identifier (image2cpp's "identifier prefix"), e.g. "epd_". */
  prefix?: string;
  /** Hex values per line. Default 16. */
  bytesPerLine?: number;
  /** Reverse the bit order inside every byte (image2cpp's "swap bits in byte"). */
  swapBits?: boolean;
  /** The bit value of second-colour pixels in `<id>_color[]`. Default 1. */
  accentBit?: 0 | 1;
}

/** The mask as a binary tensor whose ink (set bit) is opaque. */
export function maskAsInk(image: BinaryTensor): BinaryTensor {
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  if (image.mask) for (let i = 0; i < n; i++) data[i] = image.mask[i] ? 0 : 1;
  return { width: image.width, height: image.height, channels: 1, range: 'binary', space: 'linear', data };
}

/**
 * The second-colour plane as a binary tensor: ink (a set bit) where the pixel
 * is the accent colour when `accentBit` is 1, where it is not when 0.
 */
export function accentAsInk(image: BinaryTensor, accentBit: 0 | 1 = 1): BinaryTensor {
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  const accent = image.accent;
  for (let i = 0; i < n; i++) data[i] = (accent ? accent[i] : 0) === accentBit ? 0 : 1;
  return { width: image.width, height: image.height, channels: 1, range: 'binary', space: 'linear', data };
}

/** 0b10000000 ↔ 0b00000001 for every byte value, built once. */
const REVERSED = Uint8Array.from({ length: 256 }, (_, v) => {
  let r = 0;
  for (let b = 0; b < 8; b++) if (v & (1 << b)) r |= 0x80 >> b;
  return r;
});

/** Bytes with their bit order reversed (a new buffer). */
export function swapBitOrder(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = REVERSED[bytes[i]];
  return out;
}

/** Packs one plane in `layout`, bits swapped when asked. */
export function packPlane(image: BinaryTensor, layout: Layout, swapBits = false): Buffer {
  const bytes = packLayout(image, layout);
  return swapBits ? swapBitOrder(bytes) : bytes;
}

/** The two size-prefix bytes; Arduboy2 stores width and height as single bytes. */
export function sizePrefixBytes(width: number, height: number, name: string): Buffer {
  if (width > 255 || height > 255)
    throw new PixelError('E_OUTPUT', `A size prefix stores width and height in one byte each, but ${name} is ${width}×${height}`, {
      hint: 'Resize to at most 255×255 (Arduboy sprites are smaller than the 128×64 screen), or set output.sizePrefix to false.',
    });
  return Buffer.from([width, height]);
}

export function encodeCHeader(image: BinaryTensor, options: CHeaderOptions = {}): Buffer {
  return encodeCHeaderFrames([image], options);
}

/** The defines and arrays of one image (or animation) named `id`, and its line for the header comment. */
function spriteText(frames: readonly BinaryTensor[], id: string, options: CHeaderOptions): { note: string; body: string } {
  for (const f of frames) assertBinary(f, 'C header');
  const { width, height } = frames[0];
  if (frames.some((f) => f.width !== width || f.height !== height))
    throw new PixelError('E_OUTPUT', 'Every frame of a C header array must have the same size', { hint: 'Resize every frame to one size (steps: resize with width and height).' });
  const layout = options.layout ?? 'horizontal-msb';
  const ID = id.toUpperCase();
  const perLine = options.bytesPerLine ?? 16;
  const swap = options.swapBits === true;
  const frameBytes = layoutBytes(width, height, layout);
  const planes = (toPlane: (f: BinaryTensor) => BinaryTensor) => Buffer.concat(frames.map((f) => packPlane(toPlane(f), layout, swap)));
  const image = planes((f) => f);
  const prefixed = options.sizePrefix ? Buffer.concat([sizePrefixBytes(width, height, id), image]) : image;
  const array = (name: string, data: Uint8Array, what: string) =>
    `/* ${what} */\nconst uint8_t ${name}[${data.length}] PROGMEM = {\n${hexLines(data, perLine)}\n};\n`;
  const framesNote = frames.length > 1 ? `, ${frames.length} frames of ${frameBytes} bytes` : `, ${frameBytes} bytes`;
  const note =
    ` * ${id}: ${width}x${height}, 1 bit per pixel${framesNote}.\n` +
    (options.sizePrefix ? ` * ${id}[0] = width, ${id}[1] = height, then the pixels (Arduboy2 Sprites format).\n` : '');
  let body =
    `#define ${ID}_WIDTH ${width}\n#define ${ID}_HEIGHT ${height}\n` +
    (frames.length > 1 ? `#define ${ID}_FRAMES ${frames.length}\n#define ${ID}_FRAME_BYTES ${frameBytes}\n` : '') +
    '\n' +
    array(id, prefixed, options.sizePrefix ? 'width, height, then 1 = ink' : '1 = ink');
  if (options.maskArray) body += '\n' + array(`${id}_mask`, planes(maskAsInk), '1 = opaque');
  if (frames.some((f) => f.accent)) {
    const bit = options.accentBit ?? 1;
    body += '\n' + array(`${id}_color`, planes((f) => accentAsInk(f, bit)), `second colour (red/yellow) plane: ${bit} = colour`);
  }
  return { note, body };
}

function headerText(guardId: string, notes: string, body: string, options: CHeaderOptions): Buffer {
  const layout = options.layout ?? 'horizontal-msb';
  const order = options.swapBits
    ? `; bits swapped: the ${layout === 'vertical' ? 'top pixel is bit 7' : layout === 'horizontal-msb' ? 'leftmost pixel is bit 0' : 'leftmost pixel is bit 7'}`
    : '';
  const guard = `PIXEL_${guardId.toUpperCase()}_H`;
  const text =
    `/*\n${notes}` +
    ` * Layout ${layout}: ${LAYOUT_DESCRIPTIONS[layout]}${order}.\n` +
    ` * Generated by pixel. */\n` +
    `#ifndef ${guard}\n#define ${guard}\n\n#include <stdint.h>\n` +
    `#if defined(__AVR__)\n#include <avr/pgmspace.h>\n#endif\n#ifndef PROGMEM\n#define PROGMEM\n#endif\n\n` +
    body +
    `\n#endif /* ${guard} */\n`;
  return Buffer.from(text, 'latin1');
}

/** One header for one image or several frames of the same size (an animation). */
export function encodeCHeaderFrames(frames: readonly BinaryTensor[], options: CHeaderOptions = {}): Buffer {
  const id = cIdentifier((options.prefix ?? '') + (options.name ?? 'image'));
  const { note, body } = spriteText(frames, id, options);
  return headerText(id, note, body, options);
}

/**
 * Several images in one header (image2cpp's "all images in one array"):
 * each image's defines and arrays, then index arrays `<set>[]` (pointers),
 * `<set>_width[]`, `<set>_height[]` and `<SET>_COUNT`, in input order.
 * Names that collide get a `_2`, `_3` … suffix.
 */
export function encodeCHeaderSet(items: ReadonlyArray<{ name: string; frames: readonly BinaryTensor[] }>, options: CHeaderOptions & { name: string }): Buffer {
  const prefix = options.prefix ?? '';
  const set = cIdentifier(prefix + options.name);
  const used = new Set<string>([set]);
  const ids = items.map((item) => {
    const base = cIdentifier(prefix + item.name);
    let id = base;
    for (let k = 2; used.has(id) || used.has(`${id}_mask`) || used.has(`${id}_color`); k++) id = `${base}_${k}`;
    used.add(id);
    return id;
  });
  const parts = items.map((item, i) => spriteText(item.frames, ids[i], options));
  const list = (values: readonly (string | number)[]) => values.join(', ');
  const index =
    `/* All images, in input order. */\n#define ${set.toUpperCase()}_COUNT ${items.length}\n` +
    `const uint8_t *const ${set}[${items.length}] = { ${list(ids)} };\n` +
    `const uint16_t ${set}_width[${items.length}] = { ${list(items.map((it) => it.frames[0].width))} };\n` +
    `const uint16_t ${set}_height[${items.length}] = { ${list(items.map((it) => it.frames[0].height))} };\n`;
  return headerText(set, parts.map((p) => p.note).join(''), parts.map((p) => p.body + '\n').join('') + index, options);
}
