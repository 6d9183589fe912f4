/**
 * Model files as PNG images (the idea of the PixelModel project): an 8-bit
 * RGBA PNG whose pixels are the little-endian bytes of the float32 weights,
 * one float per pixel, `WIDTH` pixels a row, the last row padded with zeros;
 * the header (architecture, binarizer, tensor names/shapes/offsets, training
 * data and command, metrics, version) is JSON in an iTXt chunk with keyword
 * `pixel-model`. It opens in any image viewer and survives any lossless PNG
 * tool that keeps text chunks. Written and parsed here with node:zlib (PNG
 * spec, W3C 2003: chunk layout, CRC-32, filter types 0–4) so the text chunk
 * is ours to keep and the round trip is bit-exact.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { pngChunk } from '../image/encode/png.js';
import { PixelError } from '../pipeline/errors.js';

export const MODEL_KEYWORD = 'pixel-model';
export const WIDTH = 256;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Index of the first float (pixel) of this tensor. */
  offset: number;
}

export interface ModelHeader {
  format: 'pixel-model';
  formatVersion: 1;
  tensors: TensorEntry[];
  [key: string]: unknown;
}

export interface ModelFile {
  header: ModelHeader;
  /** name → values (views into one Float32Array, in file order). */
  tensors: Map<string, Float32Array>;
}


const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Encodes tensors (in the given order) and a header into PNG bytes. Offsets are filled in. */
export function encodeModelPng(header: Omit<ModelHeader, 'tensors' | 'format' | 'formatVersion'>, tensors: { name: string; shape: number[]; data: Float32Array }[]): Buffer {
  const entries: TensorEntry[] = [];
  let total = 0;
  for (const t of tensors) {
    if (t.data.length !== size(t.shape)) throw new RangeError(`tensor ${t.name}: ${t.data.length} values for shape [${t.shape}]`);
    entries.push({ name: t.name, shape: t.shape, offset: total });
    total += t.data.length;
  }
  const height = Math.max(1, Math.ceil(total / WIDTH));
  const floats = new Float32Array(WIDTH * height);
  for (let i = 0; i < tensors.length; i++) floats.set(tensors[i].data, entries[i].offset);
  const bytes = new Uint8Array(floats.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
  const stride = WIDTH * 4;
  const raw = Buffer.alloc((stride + 1) * height); // filter byte 0 (None) per row
  for (let y = 0; y < height; y++) raw.set(bytes.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(WIDTH, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const full: ModelHeader = { format: 'pixel-model', formatVersion: 1, ...header, tensors: entries };
  // iTXt: keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL, UTF-8 text.
  const itxt = Buffer.concat([Buffer.from(MODEL_KEYWORD, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(JSON.stringify(full), 'utf8')]);
  return Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('iTXt', itxt), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

function bad(file: string | undefined, what: string): PixelError {
  return new PixelError('E_INPUT', `Expected a pixel model PNG but ${what}`, {
    file,
    hint: 'Model files are written by `pixel train`; check the path, or run `pixel model info <file>`',
  });
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Parses model PNG bytes (any of the five PNG filter types, so re-compressed files still load). */
export function decodeModelPng(bytes: Uint8Array, file?: string): ModelFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw bad(file, 'the file is not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let headerText: string | undefined;
  const idat: Buffer[] = [];
  while (pos + 12 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + len > buf.length) throw bad(file, `its ${type} chunk is cut off`);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if ((crc32(buf.subarray(pos + 4, pos + 8 + len)) >>> 0) !== buf.readUInt32BE(pos + 8 + len)) throw bad(file, `its ${type} chunk fails its CRC check`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0) throw bad(file, 'it is not an 8-bit, non-interlaced RGBA PNG');
    } else if (type === 'iTXt' || type === 'tEXt') {
      const nul = data.indexOf(0);
      if (data.toString('latin1', 0, nul) === MODEL_KEYWORD) {
        if (type === 'tEXt') headerText = data.toString('latin1', nul + 1);
        else {
          if (data[nul + 1] !== 0) throw bad(file, 'its header chunk is compressed');
          const lang = data.indexOf(0, nul + 3);
          const trans = data.indexOf(0, lang + 1);
          headerText = data.toString('utf8', trans + 1);
        }
      }
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height) throw bad(file, 'it has no IHDR chunk');
  if (headerText === undefined) throw bad(file, `it has no "${MODEL_KEYWORD}" text chunk`);
  let header: ModelHeader;
  try {
    header = JSON.parse(headerText) as ModelHeader;
  } catch {
    throw bad(file, 'its header is not valid JSON');
  }
  if (header.format !== 'pixel-model' || !Array.isArray(header.tensors)) throw bad(file, 'its header is not a pixel model header');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    throw bad(file, 'its pixel data does not decompress');
  }
  const stride = width * 4;
  if (raw.length < (stride + 1) * height) throw bad(file, 'its pixel data is shorter than its size');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? pixels[row + i - 4] : 0;
      const b = y > 0 ? pixels[row - stride + i] : 0;
      const c = i >= 4 && y > 0 ? pixels[row - stride + i - 4] : 0;
      const x = raw[src + i];
      let v: number;
      if (f === 0) v = x;
      else if (f === 1) v = x + a;
      else if (f === 2) v = x + b;
      else if (f === 3) v = x + ((a + b) >> 1);
      else if (f === 4) v = x + paeth(a, b, c);
      else throw bad(file, `row ${y} has an unknown filter type ${f}`);
      pixels[row + i] = v & 255;
    }
  }
  const floats = new Float32Array(pixels.buffer, 0, width * height);
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    const n = size(t.shape);
    if (!(t.offset >= 0 && t.offset + n <= floats.length)) throw bad(file, `tensor ${t.name} lies outside its pixels`);
    tensors.set(t.name, floats.subarray(t.offset, t.offset + n));
  }
  return { header, tensors };
}
