/**
 * Panic Playdate compiled images, as the SDK's compiler `pdc` writes them and
 * the console loads them without converting: `.pdi` (one image) and `.pdt`
 * (an image table: animation frames or sprite-sheet cells).
 *
 * Layout from the community's reverse-engineering notes (little endian):
 * https://github.com/cranksters/playdate-reverse-engineering, formats/pdi.md
 * and formats/pdt.md (James Daniel, 2021):
 * - file header: 12-byte ident "Playdate IMG" / "Playdate IMT", uint32 flags;
 *   flags & 0x80000000 = the rest is zlib-compressed, after a 16-byte image
 *   header: uint32 decompressed size, width, height, and 0 (pdi) or the
 *   number of cells (pdt);
 * - pdt only: uint16 number of cells, uint16 cells per row (= number of cells
 *   for a sequence), then uint32 offsets of cells 1..n-1 and of the end,
 *   relative to the end of this table (cell 0 starts right after it);
 * - a cell: uint16 clip width, clip height, stride (bytes per row), clip
 *   left, right, top, bottom, flags (& 3: an alpha plane follows); then
 *   `stride × clip height` bytes of pixels, rows padded to 8 pixels, leftmost
 *   pixel in bit 7, 1 = white; then the same for alpha, 1 = opaque.
 *   Transparent edges are trimmed into the clip margins, as pdc does.
 * The SDK itself documents only the source side: images in a folder, tables
 * named `name-table-<w>-<h>.png` (Inside Playdate, "Image tables").
 */
import { deflateSync } from 'node:zlib';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { assertBinary, packBits, rowBytes } from './bits.js';
import { encodePng1 } from './png.js';

const COMPRESSED = 0x80000000;
const CELL_ALPHA = 3;

/** The bounding box of opaque pixels (the whole image without a mask or when nothing is opaque). */
function opaqueBox(image: BinaryTensor): { left: number; top: number; right: number; bottom: number } {
  const { width, height, mask } = image;
  if (!mask) return { left: 0, top: 0, right: width, bottom: height };
  let left = width;
  let right = 0;
  let top = height;
  let bottom = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (mask[y * width + x]) {
        if (x < left) left = x;
        if (x >= right) right = x + 1;
        if (y < top) top = y;
        if (y >= bottom) bottom = y + 1;
      }
  return right > left ? { left, top, right, bottom } : { left: 0, top: 0, right: width, bottom: height };
}

function crop(plane: Uint8Array, width: number, box: { left: number; top: number; right: number; bottom: number }): BinaryTensor {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(plane.subarray((box.top + y) * width + box.left, (box.top + y) * width + box.right), y * w);
  return { width: w, height: h, channels: 1, range: 'binary', space: 'linear', data };
}

/** One cell: header, white plane, and the alpha plane when `alpha`. */
export function playdateCell(image: BinaryTensor, alpha: boolean): Buffer {
  assertBinary(image, 'Playdate image');
  const { width, height } = image;
  if (width > 0xffff || height > 0xffff) throw new PixelError('E_OUTPUT', `A Playdate image is at most 65535 pixels a side, not ${width}×${height}`, { hint: 'Resize it.' });
  const box = alpha ? opaqueBox(image) : { left: 0, top: 0, right: width, bottom: height };
  const pixels = crop(image.data, width, box);
  const stride = rowBytes(pixels.width);
  const header = Buffer.alloc(16);
  [pixels.width, pixels.height, stride, box.left, width - box.right, box.top, height - box.bottom, alpha ? CELL_ALPHA : 0].forEach((v, i) =>
    header.writeUInt16LE(v, i * 2),
  );
  // Binary value 1 is paper (white): written as bit 1, the Playdate's white.
  const parts = [header, packBits(pixels, { msbFirst: true, inkBit: 0 })];
  if (alpha) {
    const opaque = image.mask ? crop(image.mask, width, box) : { ...pixels, data: new Uint8Array(pixels.data.length).fill(1) };
    parts.push(packBits(opaque, { msbFirst: true, inkBit: 0 }));
  }
  return Buffer.concat(parts);
}

function file(ident: string, width: number, height: number, last: number, body: Buffer): Buffer {
  const header = Buffer.alloc(32);
  header.write(ident, 0, 'latin1');
  header.writeUInt32LE(COMPRESSED, 12);
  header.writeUInt32LE(body.length, 16);
  header.writeUInt32LE(width, 20);
  header.writeUInt32LE(height, 24);
  header.writeUInt32LE(last, 28);
  return Buffer.concat([header, deflateSync(body)]);
}

/** A `.pdi`: one compressed cell; `alpha` adds the alpha plane from image.mask. */
export function encodePdi(image: BinaryTensor, options: { alpha?: boolean } = {}): Buffer {
  return file('Playdate IMG', image.width, image.height, 0, playdateCell(image, options.alpha === true));
}

/**
 * A `.pdt` image table: `cells` in order, `perRow` of them to a row (a
 * matrix table: a sprite sheet); perRow = cells.length is a sequence (frames).
 */
export function encodePdt(cells: readonly BinaryTensor[], options: { alpha?: boolean; perRow?: number } = {}): Buffer {
  const n = cells.length;
  if (n === 0 || n > 0xffff) throw new PixelError('E_OUTPUT', `A Playdate image table holds 1 to 65535 cells, not ${n}`);
  const bodies = cells.map((c) => playdateCell(c, options.alpha === true));
  const table = Buffer.alloc(4 + 4 * n);
  table.writeUInt16LE(n, 0);
  table.writeUInt16LE(options.perRow ?? n, 2);
  let offset = 0;
  bodies.forEach((b, i) => {
    offset += b.length;
    table.writeUInt32LE(offset, 4 + 4 * i); // the start of cell i+1, and finally the end
  });
  return file('Playdate IMT', cells[0].width, cells[0].height, n, Buffer.concat([table, ...bodies]));
}

/** A sprite sheet `name-table-W-H.png` splits into W×H cells, left to right, top to bottom. */
export function tableCellSize(name: string | undefined): { width: number; height: number } | undefined {
  const m = /-table-(\d+)-(\d+)$/.exec(name ?? '');
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/** Cuts an image into w×h cells (row by row); the sheet must be a whole number of cells. */
export function splitCells(image: BinaryTensor, w: number, h: number): { cells: BinaryTensor[]; perRow: number } {
  if (w < 1 || h < 1 || image.width % w !== 0 || image.height % h !== 0)
    throw new PixelError('E_OUTPUT', `The sheet is ${image.width}×${image.height}, not a whole number of ${w}×${h} cells (from its name "-table-${w}-${h}")`, {
      hint: 'Keep the sheet size a multiple of the cell size (resize with width and height that are), or rename the file.',
    });
  const perRow = image.width / w;
  const cells: BinaryTensor[] = [];
  const box = (x: number, y: number) => ({ left: x, top: y, right: x + w, bottom: y + h });
  for (let y = 0; y < image.height; y += h)
    for (let x = 0; x < image.width; x += w) {
      const cell = { ...crop(image.data, image.width, box(x, y)), palette: image.palette };
      if (image.mask) cell.mask = crop(image.mask, image.width, box(x, y)).data;
      cells.push(cell);
    }
  return { cells, perRow };
}

/**
 * Frames side by side in one row: the source sheet the SDK compiles into a
 * sequential table when named `name-table-<w>-<h>.png`. With `transparent`,
 * transparent pixels are written as transparent paper (a 1-bit PNG has no
 * third index).
 */
export function playdateSheet(frames: readonly BinaryTensor[], transparent = false): { suffix: string; data: Buffer } {
  const { width: w, height: h } = frames[0];
  return { suffix: `-table-${w}-${h}.png`, data: sheetPng(frames, transparent) };
}

/** Frames side by side in one row as a 1-bit PNG; with `transparent`, transparent pixels become transparent paper. */
export function sheetPng(frames: readonly BinaryTensor[], transparent = false): Buffer {
  const { width: w, height: h } = frames[0];
  if (frames.some((f) => f.width !== w || f.height !== h))
    throw new PixelError('E_OUTPUT', 'Every frame of a sheet must have the same size', { hint: 'Resize every frame to one size (steps: resize with width and height).' });
  const width = w * frames.length;
  const data = new Uint8Array(width * h);
  const masked = transparent && frames.some((f) => f.mask);
  for (let i = 0; i < frames.length; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const j = y * w + x;
        data[y * width + i * w + x] = masked && frames[i].mask && !frames[i].mask![j] ? 1 : frames[i].data[j];
      }
  const sheet: BinaryTensor = { width, height: h, channels: 1, range: 'binary', space: 'linear', data, palette: frames[0].palette };
  return encodePng1(sheet, { transparentPaper: transparent });
}
