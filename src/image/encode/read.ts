/**
 * Bytes back to images, to check what a device will show: C headers (pixel's
 * own and image2cpp-style arrays), raw bin, Playdate pdi/pdt and ESC/POS
 * raster. The inverse of the writers beside this file; `pixel decode` and
 * `pixel preview` use it. A set bit reads as ink (binary 0), except in pdi/pdt
 * where, as on the Playdate, 1 = white (paper).
 */
import { inflateSync } from 'node:zlib';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { swapBitOrder } from './c-header.js';
import { layoutBytes, LAYOUTS, type Layout } from './layout.js';

export interface ReadOptions {
  /** Image size, when the file does not say (bin, or headers without *_WIDTH/*_HEIGHT). */
  width?: number;
  height?: number;
  layout?: Layout;
  /** The array to read in a C header (default: the first one). */
  name?: string;
  /** The bytes start with width and height (Arduboy2 Sprites). */
  sizePrefix?: boolean;
  swapBits?: boolean;
  /** A set bit is paper (e-paper buffers, presets with palette invert); default: a set bit is ink. */
  setIsPaper?: boolean;
}

export interface ReadResult {
  /** One image, or the frames / cells of an animation or table. */
  frames: BinaryTensor[];
  /** Second-colour planes (a C header's `<name>_color`), 1 = the colour, one per frame. */
  accent?: Uint8Array[];
  /** What was read, for messages: "c header array hero (3 frames)". */
  what: string;
}

const blank = (width: number, height: number): BinaryTensor => ({ width, height, channels: 1, range: 'binary', space: 'linear', data: new Uint8Array(width * height).fill(1) });

/** Unpacks one plane; `set` is the binary value a set bit becomes (0 = ink, 1 = paper). */
export function unpackLayout(bytes: Uint8Array, width: number, height: number, layout: Layout, set: 0 | 1 = 0): BinaryTensor {
  const img = blank(width, height);
  const row = (width + 7) >> 3;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const bit =
        layout === 'vertical'
          ? (bytes[(y >> 3) * width + x] >> (y & 7)) & 1
          : layout === 'horizontal-msb'
            ? (bytes[y * row + (x >> 3)] >> (7 - (x & 7))) & 1
            : (bytes[y * row + (x >> 3)] >> (x & 7)) & 1;
      img.data[y * width + x] = bit ? set : 1 - set;
    }
  return img;
}

/** With setIsPaper, flips a plane read as "set = ink". */
function paperSet(image: BinaryTensor, options: ReadOptions): BinaryTensor {
  if (options.setIsPaper) for (let i = 0; i < image.data.length; i++) image.data[i] ^= 1;
  return image;
}

function fail(file: string, problem: string, hint: string): never {
  throw new PixelError('E_INPUT', problem, { file, hint });
}

/** Frames of `frameBytes` each from `bytes` (after an optional size prefix). */
function framesOf(bytes: Uint8Array, o: Required<Pick<ReadOptions, 'width' | 'height' | 'layout'>>, file: string, what: string): BinaryTensor[] {
  const size = layoutBytes(o.width, o.height, o.layout);
  if (size === 0 || bytes.length % size !== 0 || bytes.length === 0)
    fail(file, `${what} has ${bytes.length} bytes, not a whole number of ${o.width}×${o.height} ${o.layout} images (${size} bytes each)`, 'Check --width, --height and --layout (and --size-prefix for Arduboy sprites).');
  const frames: BinaryTensor[] = [];
  for (let at = 0; at < bytes.length; at += size) frames.push(unpackLayout(bytes.subarray(at, at + size), o.width, o.height, o.layout));
  return frames;
}

/** Every `<type> name[...] = { ... };` array of a C source, with its values. */
export function cArrays(text: string): Array<{ name: string; bytes: Uint8Array }> {
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ');
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*\[[^\]]*\]\s*(?:PROGMEM\s*)?=\s*\{([^}]*)\}/g;
  for (let m = re.exec(noComments); m; m = re.exec(noComments)) {
    const values = m[2].split(',').map((v) => v.trim()).filter((v) => v !== '');
    const nums = values.map((v) => (/^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^0b[01]+$/i.test(v) ? parseInt(v.slice(2), 2) : /^\d+$/.test(v) ? Number(v) : NaN));
    if (nums.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) out.push({ name: m[1], bytes: Uint8Array.from(nums) });
  }
  return out;
}

export function readCHeader(text: string, file: string, options: ReadOptions = {}): ReadResult {
  const arrays = cArrays(text);
  if (arrays.length === 0) fail(file, 'No byte array found in the C source', 'Expected an array like `const uint8_t logo[] = { 0x00, … };`.');
  const main = options.name ? arrays.find((a) => a.name === options.name) : arrays.find((a) => !/_(mask|color)$/.test(a.name)) ?? arrays[0];
  if (!main) fail(file, `No array named ${options.name} in the C source`, `Arrays found: ${arrays.map((a) => a.name).join(', ')}`);
  const define = (suffix: string) => {
    const m = new RegExp(`#define\\s+${main.name.toUpperCase()}_${suffix}\\s+(\\d+)`).exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const layout = options.layout ?? (LAYOUTS.find((l) => text.includes(`Layout ${l}:`)) as Layout | undefined) ?? 'horizontal-msb';
  const prefixed = options.sizePrefix ?? /Arduboy2 Sprites format/.test(text);
  const swap = options.swapBits ?? /bits swapped/.test(text);
  let bytes = main.bytes;
  let width = options.width ?? define('WIDTH');
  let height = options.height ?? define('HEIGHT');
  if (prefixed) {
    [width, height] = [bytes[0], bytes[1]];
    bytes = bytes.subarray(2);
  }
  if (width === undefined || height === undefined) fail(file, `The size of ${main.name} is not in the file`, 'Give it: --width 128 --height 64.');
  if (swap) bytes = swapBitOrder(bytes);
  const o = { width, height, layout };
  const frames = framesOf(bytes, o, file, `Array ${main.name}`).map((f) => paperSet(f, options));
  const colour = arrays.find((a) => a.name === `${main.name}_color`);
  let accent: Uint8Array[] | undefined;
  if (colour) {
    const bit = /: 0 = colour/.test(text) ? 0 : 1;
    const planes = framesOf(swap ? swapBitOrder(colour.bytes) : colour.bytes, o, file, `Array ${colour.name}`);
    accent = planes.map((p) => Uint8Array.from(p.data, (v) => ((v === 0 ? 1 : 0) === bit ? 1 : 0)));
  }
  return { frames, accent, what: `C array ${main.name}${frames.length > 1 ? ` (${frames.length} frames)` : ''}` };
}

export function readBin(bytes: Uint8Array, file: string, options: ReadOptions = {}): ReadResult {
  let data = bytes;
  let { width, height } = options;
  if (options.sizePrefix) {
    [width, height] = [data[0], data[1]];
    data = data.subarray(2);
  }
  if (width === undefined || height === undefined) fail(file, 'A bin file has no header: its size is unknown', 'Give it: --width 128 --height 64 (and --layout).');
  if (options.swapBits) data = swapBitOrder(data);
  const frames = framesOf(data, { width, height, layout: options.layout ?? 'horizontal-msb' }, file, 'The file').map((f) => paperSet(f, options));
  return { frames, what: `raw bits${frames.length > 1 ? ` (${frames.length} frames)` : ''}` };
}

/** A Playdate cell at `at`: clip margins filled back (transparent, shown as paper). */
function playdateCell(body: Buffer, at: number, file: string): { image: BinaryTensor; end: number } {
  if (at + 16 > body.length) fail(file, 'The Playdate image is cut short', 'Re-export it.');
  const [cw, ch, stride, left, right, top, bottom, flags] = [0, 2, 4, 6, 8, 10, 12, 14].map((o) => body.readUInt16LE(at + o));
  const width = left + cw + right;
  const height = top + ch + bottom;
  const alpha = (flags & 3) > 0;
  const image = blank(width, height);
  const base = at + 16;
  if (alpha) image.mask = new Uint8Array(width * height);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const i = (top + y) * width + left + x;
      const bit = (o: number) => (body[o + y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
      image.data[i] = bit(base); // 1 = white = paper
      if (alpha) image.mask![i] = bit(base + stride * ch);
    }
  return { image, end: base + stride * ch * (alpha ? 2 : 1) };
}

function playdateBody(file: Buffer, name: string): Buffer {
  const compressed = (file.readUInt32LE(12) & 0x80000000) !== 0;
  try {
    return compressed ? inflateSync(file.subarray(32)) : file.subarray(16);
  } catch {
    return fail(name, 'The Playdate image data does not decompress', 'The file is damaged; re-export it.');
  }
}

export function readPlaydate(file: Buffer, name: string): ReadResult {
  const ident = file.subarray(0, 12).toString('latin1');
  if (ident === 'Playdate IMG') return { frames: [playdateCell(playdateBody(file, name), 0, name).image], what: 'Playdate image' };
  if (ident !== 'Playdate IMT') fail(name, 'Not a Playdate image (no "Playdate IMG" / "Playdate IMT" header)', 'Give a .pdi or .pdt file.');
  const body = playdateBody(file, name);
  const count = body.readUInt16LE(0);
  const tableEnd = 4 + 4 * count;
  const frames: BinaryTensor[] = [];
  for (let i = 0; i < count; i++) frames.push(playdateCell(body, tableEnd + (i === 0 ? 0 : body.readUInt32LE(4 + 4 * (i - 1))), name).image);
  return { frames, what: `Playdate table (${count} cells, ${body.readUInt16LE(2)} per row)` };
}

/** ESC/POS GS v 0 commands back to one image (other bytes between them are skipped). */
export function readEscpos(bytes: Uint8Array, file: string): ReadResult {
  const rows: Uint8Array[] = [];
  let width = 0;
  for (let at = 0; at + 8 <= bytes.length; ) {
    if (bytes[at] !== 0x1d || bytes[at + 1] !== 0x76 || bytes[at + 2] !== 0x30) {
      at++;
      continue;
    }
    const x = bytes[at + 4] + bytes[at + 5] * 256;
    const y = bytes[at + 6] + bytes[at + 7] * 256;
    if (width && x !== width) fail(file, `Raster bands of different widths (${width} and ${x} bytes)`, 'Decode one band at a time.');
    width = x;
    at += 8;
    for (let r = 0; r < y; r++, at += x) rows.push(bytes.subarray(at, at + x));
  }
  if (rows.length === 0) fail(file, 'No GS v 0 raster command in the file', 'Expected ESC/POS bytes 1D 76 30.');
  const packed = new Uint8Array(rows.length * width);
  rows.forEach((r, i) => packed.set(r, i * width));
  return { frames: [unpackLayout(packed, width * 8, rows.length, 'horizontal-msb')], what: `ESC/POS raster (${rows.length} rows)` };
}

/** Which reader a file name takes. */
export type DeviceKind = 'c' | 'bin' | 'playdate' | 'escpos';
export function deviceKind(path: string): DeviceKind | undefined {
  const ext = path.toLowerCase().replace(/^.*\./, '');
  return ext === 'h' || ext === 'c' || ext === 'hpp' || ext === 'cpp' || ext === 'ino' ? 'c' : ext === 'bin' ? 'bin' : ext === 'pdi' || ext === 'pdt' ? 'playdate' : ext === 'escpos' ? 'escpos' : undefined;
}

export function readDevice(bytes: Buffer, file: string, options: ReadOptions = {}): ReadResult {
  switch (deviceKind(file)) {
    case 'c':
      return readCHeader(bytes.toString('latin1'), file, options);
    case 'bin':
      return readBin(bytes, file, options);
    case 'playdate':
      return readPlaydate(bytes, file);
    case 'escpos':
      return readEscpos(bytes, file);
    default:
      return fail(file, 'Not a device file pixel reads back', 'Give a .h, .bin, .pdi, .pdt or .escpos file.');
  }
}

/** Frames side by side in one row (what `pixel decode` writes for several frames). */
export function sideBySide(frames: readonly BinaryTensor[], accent?: readonly Uint8Array[]): BinaryTensor {
  const w = frames[0].width;
  const h = Math.max(...frames.map((f) => f.height));
  const out = blank(w * frames.length, h);
  if (accent) out.accent = new Uint8Array(out.data.length);
  frames.forEach((f, i) => {
    for (let y = 0; y < f.height; y++)
      for (let x = 0; x < f.width && x < w; x++) {
        out.data[y * out.width + i * w + x] = f.data[y * f.width + x];
        if (accent) out.accent![y * out.width + i * w + x] = accent[i][y * f.width + x];
      }
  });
  return out;
}

/**
 * The image as text, two pixel rows per line with half blocks: ink (a set
 * bit, a lit OLED pixel) is drawn, paper is blank; an accent pixel is '▒'.
 */
export function blockText(image: BinaryTensor): string {
  const { width, height, data, accent } = image;
  const at = (x: number, y: number) => (y < height ? (accent && accent[y * width + x] ? 2 : data[y * width + x] === 0 ? 1 : 0) : 0);
  let s = '';
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x++) {
      const top = at(x, y);
      const bottom = at(x, y + 1);
      s += top === 2 || bottom === 2 ? '▒' : top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    s += '\n';
  }
  return s;
}
