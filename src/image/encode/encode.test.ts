import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/helpers.js';
import { binaryTensor, type BinaryTensor, type Palette } from '../../pipeline/types.js';
import { PixelError } from '../../pipeline/errors.js';
import { FORMATS, FORMAT_NAMES, encode, encodeAsync, encodePbm, encodePng1, isFormatName, packBits } from './index.js';

function randomBinary(width: number, height: number, seed: number, palette?: Palette): BinaryTensor {
  const img = binaryTensor(width, height, palette);
  const next = rng(seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = next() < 0.5 ? 0 : 1;
  return img;
}

/** An independent P4 reader: header tokens, then MSB-first rows padded to a byte, 1 = black. */
function parseP4(buf: Buffer): { width: number; height: number; black: Uint8Array } {
  const m = /^P4\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
  if (!m) throw new Error('not a P4 header');
  const width = Number(m[1]);
  const height = Number(m[2]);
  const body = buf.subarray(m[0].length);
  const stride = Math.ceil(width / 8);
  expect(body.length).toBe(stride * height);
  const black = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) black[y * width + x] = (body[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
  return { width, height, black };
}

/** PNG chunks by type, read straight from the bytes (no shared code with the encoder). */
function chunks(png: Buffer): Map<string, Buffer[]> {
  const map = new Map<string, Buffer[]>();
  let at = 8;
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    map.set(type, [...(map.get(type) ?? []), png.subarray(at + 8, at + 8 + len)]);
    at += 12 + len;
  }
  return map;
}

/** Bitwise CRC-32 (PNG spec annex D), independent of node:zlib. */
function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function expectValidCrcs(png: Buffer): void {
  let at = 8;
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    expect(png.readUInt32BE(at + 8 + len), png.toString('latin1', at + 4, at + 8)).toBe(crc(png.subarray(at + 4, at + 8 + len)));
    at += 12 + len;
  }
  expect(at).toBe(png.length);
}

const SIZES: [number, number][] = [
  [1, 1],
  [7, 3],
  [9, 9],
  [8, 2],
  [17, 5],
];

describe('encodePng1', () => {
  it('the async encoder (deflate on the thread pool) writes the same bytes as the sync one', async () => {
    const r = rng(5);
    const image = binaryTensor(301, 97);
    for (let i = 0; i < image.data.length; i++) image.data[i] = r() < 0.5 ? 1 : 0;
    for (const mask of ['none', 'palette'] as const) expect(Buffer.compare(await encodeAsync(image, 'png', { mask }), encode(image, 'png', { mask }))).toBe(0);
    expect(Buffer.compare(await encodeAsync(image, 'pbm'), encode(image, 'pbm'))).toBe(0);
  });

  it.each(SIZES)('%i×%i: a true 1-bit indexed PNG that sharp reads back bit-exactly', async (w, h) => {
    const img = randomBinary(w, h, w * 100 + h);
    const png = encodePng1(img);
    expectValidCrcs(png);
    expect([...chunks(png).keys()]).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: w, height: h, isPalette: true, bitsPerSample: 1 });
    // The IHDR says so too: bit depth 1, colour type 3.
    const ihdr = chunks(png).get('IHDR')![0];
    expect([ihdr[8], ihdr[9]]).toEqual([1, 3]);
    expect(chunks(png).get('PLTE')![0]).toEqual(Buffer.from([0, 0, 0, 255, 255, 255]));

    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<string>();
    for (let i = 0; i < w * h; i++) {
      const px = data.subarray(i * info.channels, i * info.channels + 3);
      colours.add(px.join(','));
      expect(px[0], `pixel ${i}`).toBe(img.data[i] ? 255 : 0);
    }
    expect([...colours].every((c) => c === '0,0,0' || c === '255,255,255')).toBe(true);
  });

  it('writes a row equal to the one above as filter Up with zero data; sharp reads it back exactly', async () => {
    // 13×3 rows, each repeated 4 times (as an ×4 upscale would), then one odd row.
    const base = randomBinary(13, 3, 5);
    const img = { ...base, height: 13, data: new Uint8Array(13 * 13) };
    for (let y = 0; y < 12; y++) img.data.set(base.data.subarray((y >> 2) * 13, ((y >> 2) + 1) * 13), y * 13);
    img.data.set(base.data.subarray(0, 13), 12 * 13);
    const png = encodePng1(img);
    const raw = inflateSync(Buffer.concat(chunks(png).get('IDAT')!));
    const stride = 1 + 2; // filter byte + ceil(13 / 8)
    const filters = Array.from({ length: 13 }, (_, y) => raw[y * stride]);
    expect(filters).toEqual([0, 2, 2, 2, 0, 2, 2, 2, 0, 2, 2, 2, 0]);
    for (let y = 0; y < 13; y++) if (filters[y] === 2) expect([...raw.subarray(y * stride + 1, (y + 1) * stride)]).toEqual([0, 0]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < 13 * 13; i++) expect(data[i * info.channels], `pixel ${i}`).toBe(img.data[i] ? 255 : 0);
  });

  it('writes exactly two colours for a mixed image', async () => {
    const png = encodePng1(randomBinary(33, 21, 7));
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += info.channels) colours.add(data.subarray(i, i + 3).join(','));
    expect([...colours].sort()).toEqual(['0,0,0', '255,255,255']);
  });

  it('stores custom ink and paper in the palette (index 0 ink, index 1 paper)', async () => {
    const palette = { ink: { r: 0x32, g: 0x2f, b: 0x28 }, paper: { r: 0xb1, g: 0xaf, b: 0xa8 } };
    const img = randomBinary(9, 9, 3, palette);
    const png = encodePng1(img);
    expect(chunks(png).get('PLTE')![0]).toEqual(Buffer.from([0x32, 0x2f, 0x28, 0xb1, 0xaf, 0xa8]));
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < 81; i++) {
      const px = [...data.subarray(i * info.channels, i * info.channels + 3)];
      expect(px).toEqual(img.data[i] ? [0xb1, 0xaf, 0xa8] : [0x32, 0x2f, 0x28]);
    }
  });

  it('is deterministic: the same image gives the same bytes', () => {
    const a = encodePng1(randomBinary(123, 45, 9));
    const b = encodePng1(randomBinary(123, 45, 9));
    expect(a.equals(b)).toBe(true);
  });

  it('golden bytes for a 7×3 image: signature, IHDR, PLTE, filter-0 scanlines, IEND', () => {
    const img = binaryTensor(7, 3);
    img.data.set([1, 0, 1, 0, 1, 0, 1, /**/ 0, 0, 0, 0, 0, 0, 0, /**/ 1, 1, 1, 1, 1, 1, 1]);
    const png = encodePng1(img);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(png.subarray(8, 29).toString('hex')).toBe('0000000d49484452' + '0000000700000003' + '0103000000');
    const rows = inflateSync(chunks(png).get('IDAT')![0]);
    // each row: filter byte 0, then 7 bits MSB-first padded with zeros
    expect([...rows]).toEqual([0, 0b10101010, 0, 0b00000000, 0, 0b11111110]);
    expect(png.subarray(-12)).toEqual(Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]));
  });

  it('refuses an empty image and a non-binary one', () => {
    expect(() => encodePng1(binaryTensor(0, 5))).toThrow('Cannot write a PNG of 0×5 pixels: PNG needs at least 1×1');
    const tone = { width: 2, height: 1, channels: 1, range: 'unit', space: 'srgb', data: new Float32Array(2) } as unknown as BinaryTensor;
    expect(() => encodePng1(tone)).toThrow(PixelError);
    expect(() => encodePng1(tone)).toThrow(/expected a binary image/);
  });
});

describe('encodePbm', () => {
  it.each(SIZES)('%i×%i: an independent P4 reader gets the exact bits back (1 = black = ink)', (w, h) => {
    const img = randomBinary(w, h, w * 31 + h);
    const pbm = encodePbm(img);
    expect(pbm.subarray(0, 3).toString()).toBe('P4\n');
    const back = parseP4(pbm);
    expect([back.width, back.height]).toEqual([w, h]);
    for (let i = 0; i < w * h; i++) expect(back.black[i]).toBe(img.data[i] ? 0 : 1);
  });

  it('golden bytes for a 9×2 image', () => {
    const img = binaryTensor(9, 2);
    img.data.set([0, 1, 1, 1, 1, 1, 1, 1, 0, /**/ 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(encodePbm(img)).toEqual(Buffer.concat([Buffer.from('P4\n9 2\n'), Buffer.from([0b10000000, 0b10000000, 0, 0])]));
  });

  // sharp's prebuilt libvips has no PPM/PBM loader, so parseP4 above is the independent reader.

  it('is deterministic', () => {
    expect(encodePbm(randomBinary(50, 7, 2)).equals(encodePbm(randomBinary(50, 7, 2)))).toBe(true);
  });
});

describe('packBits', () => {
  const img = binaryTensor(10, 1);
  img.data.set([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  it.each([
    [{ msbFirst: true, inkBit: 0 as const }, [0b10000000, 0b01000000]],
    [{ msbFirst: true, inkBit: 1 as const }, [0b01111111, 0b10000000]],
    [{ msbFirst: false, inkBit: 0 as const }, [0b00000001, 0b00000010]],
    [{ msbFirst: false, inkBit: 1 as const }, [0b11111110, 0b00000001]],
    [{ msbFirst: true, inkBit: 0 as const, rowPrefix: 1 }, [0, 0b10000000, 0b01000000]],
    [{ msbFirst: true, inkBit: 0 as const, rowAlign: 4 }, [0b10000000, 0b01000000, 0, 0]],
  ])('%o', (opts, bytes) => {
    expect([...packBits(img, opts)]).toEqual(bytes);
  });
});

describe('format table', () => {
  it('lists png and pbm with extensions and encoders', () => {
    expect(FORMAT_NAMES).toEqual(expect.arrayContaining(['png', 'pbm']));
    expect(FORMATS.png.extension).toBe('png');
    expect(FORMATS.pbm.extension).toBe('pbm');
    expect(isFormatName('png')).toBe(true);
    expect(isFormatName('toString')).toBe(false);
    const img = randomBinary(5, 5, 1);
    expect(encode(img, 'png').equals(encodePng1(img))).toBe(true);
    expect(encode(img, 'pbm').equals(encodePbm(img))).toBe(true);
  });
});
