import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp, { type CreateRaw, type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../test/helpers.js';
import { DEFAULT_PIXEL_LIMIT, decodeImage } from './decode.js';
import { convertSpace, luminance } from './color.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pixel-decode-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** A 4×2 RGB image with known pixels: red, green, blue, white / black, gray, (10,20,30), (250,128,0). */
const PIXELS = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128, 10, 20, 30, 250, 128, 0];
function knownRgb() {
  return sharp(Buffer.from(PIXELS), { raw: { width: 4, height: 2, channels: 3 } });
}


/** Rewrites a PNG's IHDR size and fixes its CRC, so libpng reads the header as valid. */
function withSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

describe('decodeImage: formats', () => {
  it('reads an RGB PNG exactly, as sRGB unit values, 3 channels', async () => {
    const img = await decodeImage(await knownRgb().png().toBuffer());
    expect(img).toMatchObject({ width: 4, height: 2, channels: 3, range: 'unit', space: 'srgb' });
    expect(img.data).toBeInstanceOf(Float32Array);
    expect([...img.data].map((v) => Math.round(v * 255))).toEqual(PIXELS);
    expect(img.data[0]).toBe(Math.fround(1));
    expect(img.data[1]).toBe(0);
    expect(img.data[15]).toBe(Math.fround(128 / 255));
  });

  it('reads from a path and from a Buffer alike', async () => {
    const png = await knownRgb().png().toBuffer();
    const a = await decodeImage(file('known.png', png));
    const b = await decodeImage(png);
    expect(a.data).toEqual(b.data);
  });

  it.each([
    ['jpeg', (s: Sharp) => s.jpeg({ quality: 100 })],
    ['webp', (s: Sharp) => s.webp({ lossless: true })],
    ['avif', (s: Sharp) => s.avif({ lossless: true })],
    ['tiff', (s: Sharp) => s.tiff()],
    ['gif', (s: Sharp) => s.gif()],
  ])('reads %s', async (_name, fmt) => {
    const flatRed = sharp({ create: { width: 16, height: 8, channels: 3, background: { r: 255, g: 0, b: 0 } } });
    const img = await decodeImage(await fmt(flatRed).toBuffer());
    expect(img).toMatchObject({ width: 16, height: 8, channels: 3, space: 'srgb' });
    // lossy formats may move a value or two
    expect(img.data[0]).toBeGreaterThan(0.97);
    expect(img.data[1]).toBeLessThan(0.03);
    expect(img.data[2]).toBeLessThan(0.03);
  });

  it('reads SVG at its declared size, flattened onto the paper colour', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="6"><rect width="5" height="6" fill="#000"/></svg>';
    const img = await decodeImage(Buffer.from(svg));
    expect(img).toMatchObject({ width: 10, height: 6, channels: 3 });
    expect(img.data[0]).toBe(0); // black rect
    expect(img.data[9 * 3]).toBe(1); // transparent → white paper
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = Buffer.alloc(2 * 2 * 2 * 4);
    for (let i = 0; i < 4; i++) frames.set([0, 0, 0, 255], i * 4); // frame 1 black
    for (let i = 4; i < 8; i++) frames.set([255, 255, 255, 255], i * 4); // frame 2 white
    const gif = await sharp(frames, { raw: { width: 2, height: 4, channels: 4, pageHeight: 2 } as CreateRaw }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(gif);
    expect(img.height).toBe(2);
    expect(Math.max(...img.data)).toBe(0);
  });

  it('keeps grayscale sources to one channel', async () => {
    const g = await knownRgb().toColourspace('b-w').png().toBuffer();
    expect((await sharp(g).metadata()).channels).toBe(1);
    const img = await decodeImage(g);
    expect(img.channels).toBe(1);
    expect(img.data.length).toBe(8);
  });

  it('reads 16-bit sources at 16 bits', async () => {
    // 0x8080 / 65535 is exactly 128/255: pick a value with no 8-bit equivalent.
    const raw = new Uint16Array([1000, 40000, 65535, 0]);
    const png16 = await sharp(raw, { raw: { width: 2, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const meta = await sharp(png16).metadata();
    expect(meta.depth).toBe('ushort');
    const img = await decodeImage(png16);
    expect(img.channels).toBe(1);
    expect([...img.data].map((v) => Math.round(v * 65535))).toEqual([1000, 40000, 65535, 0]);
  });

  it('flattens 16-bit transparency onto the paper colour at 16 bits', async () => {
    // pixel 0: opaque (1000, 2000, 3000); pixel 1: fully transparent
    const raw = new Uint16Array([1000, 2000, 3000, 65535, 0, 0, 0, 0]);
    const png16 = await sharp(raw, { raw: { width: 2, height: 1, channels: 4 } }).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const img = await decodeImage(png16);
    expect(img.channels).toBe(3);
    expect([...img.data].map((v) => Math.round(v * 65535))).toEqual([1000, 2000, 3000, 65535, 65535, 65535]);
  });

  it('flattens transparency onto the paper colour (white by default, or the given one)', async () => {
    const transparent = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const white = await decodeImage(transparent);
    expect([...white.data].every((v) => v === 1)).toBe(true);
    const cream = await decodeImage(transparent, { background: { r: 255, g: 250, b: 200 } });
    expect(cream.channels).toBe(3);
    expect([...cream.data.subarray(0, 3)].map((v) => Math.round(v * 255))).toEqual([255, 250, 200]);
  });

  it('applies EXIF orientation', async () => {
    // 4×2 stored, orientation 6 (rotate 90° clockwise to view) → 2×4 displayed.
    const jpg = await knownRgb().jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(jpg);
    expect([img.width, img.height]).toEqual([2, 4]);
  });
});

describe('decodeImage: errors', () => {
  it('file not found', async () => {
    const p = join(dir, 'nope.png');
    const e = await rejection(decodeImage(p));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toBe('File not found');
    expect(e.file).toBe(p);
    expect(e.hint).toBe('Check the path');
  });

  it('a folder instead of a file', async () => {
    const p = join(dir, 'folder.png');
    mkdirSync(p, { recursive: true });
    const e = await rejection(decodeImage(p));
    expect(e.message).toBe('Expected an image file but found a folder');
  });

  it.each([
    ['file', () => file('empty.png', '')],
    ['buffer', () => Buffer.alloc(0)],
  ])('empty %s', async (_kind, input) => {
    const e = await rejection(decodeImage(input(), { file: 'empty.png' }));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toBe('The file is empty (0 bytes)');
    expect(e.file).toBe('empty.png');
  });

  it.each([
    ['file', () => file('notes.png', 'these are not pixels\n')],
    ['buffer', () => Buffer.from('these are not pixels\n')],
  ])('a text %s named .png', async (_kind, input) => {
    const e = await rejection(decodeImage(input(), { file: 'notes.png' }));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toBe('Not an image, or an unsupported image format');
    expect(e.hint).toBe('pixel reads PNG, JPEG, WebP, AVIF, TIFF, GIF and SVG');
    expect(e.file).toBe('notes.png');
  });

  it('a truncated PNG (first half of a real one)', async () => {
    const noisy = Buffer.alloc(64 * 64 * 3);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 7919) & 255;
    const png = await sharp(noisy, { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
    const p = file('half.png', png.subarray(0, png.length >> 1));
    const e = await rejection(decodeImage(p));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toMatch(/^The image is truncated or corrupt/);
    expect(e.hint).toMatch(/export or download it again/);
    expect(e.file).toBe(p);
  });

  it('a truncated JPEG', async () => {
    const jpg = await knownRgb().resize(64, 32).jpeg().toBuffer();
    const e = await rejection(decodeImage(jpg.subarray(0, jpg.length >> 1), { file: 'half.jpg' }));
    expect(e.message).toMatch(/^The image is truncated or corrupt/);
  });

  it('an image over the pixel limit (a 30000×30000 IHDR): says its size and how to raise the limit', async () => {
    const bomb = withSize(await knownRgb().png().toBuffer(), 30000, 30000);
    const e = await rejection(decodeImage(bomb, { file: 'bomb.png' }));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toBe('The image is 30000×30000 (900,000,000 pixels) and exceeds the limit of 268,402,689 pixels');
    expect(e.hint).toContain('limitInputPixels');
    expect(e.hint).toContain('--max-pixels');
  });

  it('honours a lower limitInputPixels', async () => {
    const png = await knownRgb().png().toBuffer();
    const e = await rejection(decodeImage(png, { limitInputPixels: 7 }));
    expect(e.message).toBe('The image is 4×2 (8 pixels) and exceeds the limit of 7 pixels');
    await expect(decodeImage(png, { limitInputPixels: 8 })).resolves.toMatchObject({ width: 4 });
    expect(DEFAULT_PIXEL_LIMIT).toBe(268_402_689);
  });

  it('an SVG bomb is refused too', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"></svg>';
    const e = await rejection(decodeImage(Buffer.from(svg)));
    expect(e.message).toMatch(/exceeds the limit of 268,402,689 pixels$/);
  });

  it.each([
    ['PNG with width 0', async () => withSize(await knownRgb().png().toBuffer(), 0, 2)],
    ['SVG with width 0', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="5"></svg>')],
  ])('zero size: %s', async (_name, make) => {
    const e = await rejection(decodeImage(await make()));
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toBe('The image has no pixels (its width or height is 0)');
  });

  it('zero-size PNG read from a file', async () => {
    const p = file('zero.png', withSize(await knownRgb().png().toBuffer(), 5, 0));
    const e = await rejection(decodeImage(p));
    expect(e.message).toBe('The image has no pixels (its width or height is 0)');
  });
});

describe('gray: linear-light luminance straight from the decoder', () => {
  /** The long way: sRGB floats, then linear, then luminance. */
  async function longWay(input: string | Buffer): Promise<Float32Array> {
    const colour = await decodeImage(input);
    const lin = convertSpace(colour.data, 'srgb', 'linear');
    return colour.channels === 3 ? luminance(lin) : lin;
  }

  it('equals decode → convertSpace → luminance value for value (8-bit RGB, every byte value)', async () => {
    // 256×3 pixels: each byte value in each channel alone, plus random triples.
    const w = 256;
    const bytes = Buffer.alloc(w * 4 * 3);
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) bytes[(c * w + x) * 3 + c] = x;
    for (let i = 3 * w * 3; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const png = await sharp(bytes, { raw: { width: w, height: 4, channels: 3 } }).png().toBuffer();
    const gray = await decodeImage(png, { gray: true });
    expect(gray).toMatchObject({ width: w, height: 4, channels: 1, space: 'linear', range: 'unit' });
    expect(gray.data).toEqual(await longWay(png));
  });

  it('equals the long way for gray, 16-bit and alpha sources too', async () => {
    const gray8 = await knownRgb().toColourspace('b-w').png().toBuffer();
    const rgb16 = await knownRgb().toColourspace('rgb16').png().toBuffer();
    const alpha = await sharp(Buffer.from([255, 0, 0, 128, 0, 0, 255, 0, 10, 200, 30, 255, 90, 90, 90, 40]), { raw: { width: 2, height: 2, channels: 4 } })
      .png()
      .toBuffer();
    for (const png of [gray8, rgb16, alpha]) {
      const gray = await decodeImage(png, { gray: true });
      expect(gray.channels).toBe(1);
      expect(gray.space).toBe('linear');
      expect(gray.data).toEqual(await longWay(png));
    }
    // The transparency mask survives.
    expect((await decodeImage(alpha, { gray: true })).mask).toEqual(new Uint8Array([1, 0, 1, 0]));
  });
});
