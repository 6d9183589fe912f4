/**
 * Every device format is read back by an independent reader — sharp where
 * libvips reads the format (GIF, TIFF, PNG), a small parser written from the
 * format's spec otherwise (BMP, XBM, raw layouts), and the system C compiler
 * for C headers — and must give the exact bits back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { binaryTensor, type BinaryTensor, type Palette } from '../../pipeline/types.js';
import { rng } from '../../../test/helpers.js';
import {
  cIdentifier,
  encode,
  encodeBin,
  encodeBmp,
  encodeCHeader,
  encodeGif,
  encodePng1,
  encodeTiff,
  encodeXbm,
  FORMATS,
  layoutBytes,
  LAYOUTS,
  lzwGif,
  packLayout,
  type Layout,
} from './index.js';
import { packBitsRle, unpackBitsRle } from './packbits.js';

function randomBinary(w: number, h: number, seed: number, palette?: Palette): BinaryTensor {
  const r = rng(seed);
  const img = binaryTensor(w, h, palette);
  for (let i = 0; i < img.data.length; i++) img.data[i] = r() < 0.5 ? 0 : 1;
  return img;
}

const SIZES: Array<[number, number]> = [
  [1, 1],
  [7, 3],
  [8, 8],
  [9, 2],
  [13, 11],
  [33, 17],
  [128, 64],
];

/** Pixel (x, y) of a packed buffer in a layout, read straight from the layout's definition: true = ink. */
function bitAt(bytes: Uint8Array, width: number, x: number, y: number, layout: Layout): boolean {
  if (layout === 'vertical') return ((bytes[(y >> 3) * width + x] >> (y & 7)) & 1) === 1;
  const row = Math.ceil(width / 8);
  const byte = bytes[y * row + (x >> 3)];
  return ((layout === 'horizontal-msb' ? byte >> (7 - (x & 7)) : byte >> (x & 7)) & 1) === 1;
}

function expectInkBits(read: (x: number, y: number) => boolean, img: BinaryTensor): void {
  const wrong: string[] = [];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) if (read(x, y) !== (img.data[y * img.width + x] === 0)) wrong.push(`${x},${y}`);
  expect(wrong.slice(0, 5), `${wrong.length} wrong pixels`).toEqual([]);
}

/** RGB(A) of sharp's decode of a file, as [r,g,b,a] per pixel. */
async function sharpPixels(file: Buffer): Promise<{ width: number; height: number; px: (i: number) => number[] }> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, px: (i) => [...data.subarray(i * 4, i * 4 + 4)] };
}

/** The first channel of sharp's decode (gray or red). */
async function firstChannel(file: Buffer, page = 0): Promise<Uint8Array> {
  const { data, info } = await sharp(file, { page }).raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]);
}

/** Paper as 255, ink as 0. */
function as255(img: BinaryTensor): Uint8Array {
  return Uint8Array.from(img.data, (v) => (v ? 255 : 0));
}

const PALETTE: Palette = { ink: { r: 0x32, g: 0x2f, b: 0x28 }, paper: { r: 0xb1, g: 0xaf, b: 0xa8 } };

describe('layouts (bin)', () => {
  it.each(LAYOUTS.flatMap((l) => SIZES.map(([w, h]) => [l, w, h] as const)))('%s %i×%i: every bit where the layout says', (layout, w, h) => {
    const img = randomBinary(w, h, w * 7 + h);
    const bytes = encodeBin(img, layout);
    expect(bytes.length).toBe(layoutBytes(w, h, layout));
    expectInkBits((x, y) => bitAt(bytes, w, x, y, layout), img);
  });

  it('golden bytes: a 10×10 image with ink on the top row and the left column', () => {
    const img = binaryTensor(10, 10);
    img.data.fill(1);
    for (let i = 0; i < 10; i++) img.data[i] = img.data[i * 10] = 0;
    expect([...packLayout(img, 'vertical')]).toEqual([0xff, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...packLayout(img, 'horizontal-msb')].slice(0, 4)).toEqual([0xff, 0xc0, 0x80, 0x00]);
    expect([...packLayout(img, 'horizontal-lsb')].slice(0, 4)).toEqual([0xff, 0x03, 0x01, 0x00]);
  });

  it('padding bits are 0 (vertical: rows below the image in the last page)', () => {
    const img = binaryTensor(3, 3); // all ink
    expect([...packLayout(img, 'vertical')]).toEqual([0x07, 0x07, 0x07]);
    expect([...packLayout(img, 'horizontal-msb')]).toEqual([0xe0, 0xe0, 0xe0]);
  });
});

describe('BMP', () => {
  /** A BITMAPINFOHEADER 1-bit reader written from Microsoft's documentation. */
  function readBmp(buf: Buffer) {
    expect(buf.subarray(0, 2).toString('latin1')).toBe('BM');
    expect(buf.readUInt32LE(2)).toBe(buf.length);
    const offset = buf.readUInt32LE(10);
    expect(buf.readUInt32LE(14)).toBe(40);
    const width = buf.readInt32LE(18);
    const height = buf.readInt32LE(22);
    expect(buf.readUInt16LE(28)).toBe(1);
    expect(buf.readUInt32LE(30)).toBe(0);
    const table = [0, 1].map((i) => ({ b: buf[54 + i * 4], g: buf[55 + i * 4], r: buf[56 + i * 4] }));
    const stride = Math.ceil(Math.ceil(width / 8) / 4) * 4;
    const index = (x: number, y: number) => (buf[offset + (height - 1 - y) * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
    return { width, height, table, index };
  }

  it.each(SIZES)('%i×%i: a BMP reader gets the exact bits and the ink/paper colour table', (w, h) => {
    const img = randomBinary(w, h, w + h * 3, PALETTE);
    const bmp = readBmp(encodeBmp(img));
    expect([bmp.width, bmp.height]).toEqual([w, h]);
    expect(bmp.table).toEqual([
      { r: 0x32, g: 0x2f, b: 0x28 },
      { r: 0xb1, g: 0xaf, b: 0xa8 },
    ]);
    expectInkBits((x, y) => bmp.index(x, y) === 0, img);
  });

  it('rows are padded to 4 bytes, bottom-up', () => {
    const img = binaryTensor(9, 2);
    img.data.fill(1);
    img.data[0] = 0; // top-left ink
    const bmp = encodeBmp(img);
    expect(bmp.length).toBe(62 + 2 * 4);
    // Top row is stored last: 0b0111_1111, 0b1000_0000 (pixel 8 paper), padding.
    expect([...bmp.subarray(66, 70)]).toEqual([0x7f, 0x80, 0, 0]);
    expect([...bmp.subarray(62, 66)]).toEqual([0xff, 0x80, 0, 0]);
  });
});

describe('GIF (read back by sharp)', () => {
  it.each(SIZES)('%i×%i: exact pixels in the ink/paper colours', async (w, h) => {
    const img = randomBinary(w, h, w * 5 + h, PALETTE);
    const { data, info } = await sharp(encodeGif(img)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([w, h]);
    const expected = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) expected.set(img.data[i] ? [0xb1, 0xaf, 0xa8, 255] : [0x32, 0x2f, 0x28, 255], i * 4);
    expect(data.equals(expected)).toBe(true);
  });

  it('LZW past 4096 codes (the table reset) still decodes exactly', async () => {
    const img = randomBinary(300, 200, 42); // random bits fill the code table many times
    expect(await firstChannel(encodeGif(img))).toEqual(as255(img));
  });

  it('flat and striped images (long runs) decode exactly', async () => {
    for (const f of [() => 1, (i: number) => (i % 640 < 320 ? 0 : 1), (i: number) => i & 1]) {
      const img = binaryTensor(320, 100);
      for (let i = 0; i < img.data.length; i++) img.data[i] = f(i);
      expect(await firstChannel(encodeGif(img))).toEqual(as255(img));
    }
  });

  it('paper is transparent with transparentPaper', async () => {
    const img = randomBinary(16, 16, 3);
    const gif = await sharpPixels(encodeGif(img, { transparentPaper: true }));
    for (let i = 0; i < 256; i++) expect(gif.px(i)[3]).toBe(img.data[i] ? 0 : 255);
  });

  it('several frames make an animation sharp reads frame by frame', async () => {
    const frames = [randomBinary(12, 10, 1), randomBinary(12, 10, 2), randomBinary(12, 10, 3)];
    const buf = encodeGif(frames, { delay: 100 });
    const meta = await sharp(buf).metadata();
    expect(meta.pages).toBe(3);
    expect(meta.delay).toEqual([100, 100, 100]);
    for (let f = 0; f < 3; f++) {
      expect(await firstChannel(buf, f)).toEqual(as255(frames[f]));
    }
  });

  it('the LZW stream starts with minimum code size 2 and a clear code, and ends with a block terminator', () => {
    const out = lzwGif(new Uint8Array([0, 1, 1, 0]));
    expect(out[0]).toBe(2);
    expect(out[2] & 0b111).toBe(4); // clear = 4, 3 bits, LSB-first
    expect(out[out.length - 1]).toBe(0);
  });
});

describe('TIFF (read back by sharp)', () => {
  it.each(SIZES)('%i×%i PackBits and uncompressed: exact bits, 1-bit bilevel', async (w, h) => {
    const img = randomBinary(w, h, w * 11 + h);
    for (const compression of ['packbits', 'none'] as const) {
      const tiff = encodeTiff(img, { compression });
      const meta = await sharp(tiff).metadata();
      expect(meta.format).toBe('tiff');
      expect([meta.width, meta.height]).toEqual([w, h]);
      expect(await firstChannel(tiff)).toEqual(as255(img));
    }
  });

  it('flat images compress: 576×720 white is 2 bytes a row (one PackBits run) plus the header', () => {
    const img = binaryTensor(576, 720);
    img.data.fill(1);
    expect(encodeTiff(img).length).toBe(8 + 720 * 2 + 2 + 12 * 12 + 4 + 16);
    expect(encodeTiff(img, { compression: 'none' }).length).toBe(8 + 72 * 720 + 2 + 12 * 12 + 4 + 16);
  });
});

describe('PackBits', () => {
  it('Apple TN1023 example', () => {
    const input = Buffer.from('AAAAAA80002AAAAAAAAA80002A22AAAAAAAAAAAAAAAAAAAA', 'hex');
    expect(Buffer.from(packBitsRle(input)).toString('hex').toUpperCase()).toBe('FEAA0280002AFDAA0380002A22F7AA');
  });

  it.each([0, 1, 2, 3, 127, 128, 129, 300])('round trip of %i random and run-heavy bytes', (n) => {
    const r = rng(n + 1);
    const src = Uint8Array.from({ length: n }, () => (r() < 0.7 ? 0 : (r() * 256) | 0));
    expect(unpackBitsRle(Uint8Array.from(packBitsRle(src)), n)).toEqual(src);
  });
});

describe('XBM', () => {
  /** An XBM reader: the defines and the hex list, rows LSB-first. */
  function readXbm(text: string) {
    const width = Number(/#define (\w+)_width (\d+)/.exec(text)![2]);
    const height = Number(/#define (\w+)_height (\d+)/.exec(text)![2]);
    const name = /static unsigned char (\w+)_bits\[\]/.exec(text)![1];
    const bytes = Uint8Array.from(text.slice(text.indexOf('{')).match(/0x[0-9a-f]{2}/g)!.map((h) => parseInt(h, 16)));
    return { width, height, name, bytes };
  }

  it.each(SIZES)('%i×%i: the reader gets the exact bits (1 = ink, LSB first)', (w, h) => {
    const img = randomBinary(w, h, w * 13 + h);
    const xbm = readXbm(encodeXbm(img, 'icon').toString('latin1'));
    expect([xbm.width, xbm.height, xbm.name]).toEqual([w, h, 'icon']);
    expect(xbm.bytes.length).toBe(Math.ceil(w / 8) * h);
    expectInkBits((x, y) => bitAt(xbm.bytes, w, x, y, 'horizontal-lsb'), img);
  });

  it('golden text for a 3×2 image named from a file name', () => {
    const img = binaryTensor(3, 2);
    img.data.set([0, 1, 0, 1, 1, 1]);
    expect(encodeXbm(img, '2 cats-big').toString()).toBe(
      '#define _2_cats_big_width 3\n#define _2_cats_big_height 2\nstatic unsigned char _2_cats_big_bits[] = {\n   0x05, 0x00 };\n',
    );
  });
});

describe('cIdentifier', () => {
  it.each([
    ['sprite', 'sprite'],
    ['my sprite-2', 'my_sprite_2'],
    ['2cats', '_2cats'],
    ['int', 'int_img'],
    ['', 'image'],
    [undefined, 'image'],
    ['---', 'image'],
    ['café', 'caf_'],
  ])('%j → %s', (name, id) => {
    expect(cIdentifier(name)).toBe(id);
  });
});

describe('C header (compiled with the system C compiler)', () => {
  let cc: string | undefined;
  for (const c of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      cc = c;
      break;
    } catch {
      // try the next
    }
  }

  it('header text: guard, stdint, PROGMEM fallback, WIDTH/HEIGHT, sized array', () => {
    const h = encodeCHeader(randomBinary(13, 11, 1), { name: 'logo', layout: 'vertical' }).toString();
    for (const part of ['#ifndef PIXEL_LOGO_H', '#include <stdint.h>', '#if defined(__AVR__)', '#define PROGMEM', '#define LOGO_WIDTH 13', '#define LOGO_HEIGHT 11', 'const uint8_t logo[26] PROGMEM = {'])
      expect(h).toContain(part);
    expect(h).not.toContain('logo_mask');
  });

  it.skipIf(!cc)('a C program reading each layout (and the mask array) prints the image bits back', () => {
    if (!cc) return; // no C compiler: skipped (the line above says so in the report)
    const dir = mkdtempSync(join(tmpdir(), 'pixel-c-'));
    try {
      const cases = LAYOUTS.map((layout, i) => {
        const img = randomBinary(13 + i * 8, 11 + i * 5, 100 + i);
        img.mask = Uint8Array.from(img.data, (_, j) => (j % 3 === 0 ? 0 : 1));
        const name = `img_${layout.replace('-', '_')}`;
        writeFileSync(join(dir, `${name}.h`), encodeCHeader(img, { name, layout, maskArray: true }));
        return { layout, img, name };
      });
      // The reader uses each layout's textbook indexing, independent of layout.ts.
      const get = {
        'horizontal-msb': (a: string, W: string) => `(${a}[y * ((${W} + 7) / 8) + x / 8] >> (7 - x % 8)) & 1`,
        'horizontal-lsb': (a: string, W: string) => `(${a}[y * ((${W} + 7) / 8) + x / 8] >> (x % 8)) & 1`,
        vertical: (a: string, W: string) => `(${a}[(y / 8) * ${W} + x] >> (y % 8)) & 1`,
      };
      const prints = cases
        .map(({ layout, name }) => {
          const N = name.toUpperCase();
          return `  for (int y = 0; y < ${N}_HEIGHT; y++) { for (int x = 0; x < ${N}_WIDTH; x++) putchar('0' + (${get[layout](name, `${N}_WIDTH`)}) + 2 * (${get[layout](`${name}_mask`, `${N}_WIDTH`)})); putchar('\\n'); }\n  putchar('\\n');\n`;
        })
        .join('');
      const main = `#include <stdio.h>\n${cases.map((c) => `#include "${c.name}.h"`).join('\n')}\nint main(void) {\n${prints}  return 0;\n}\n`;
      writeFileSync(join(dir, 'main.c'), main);
      execFileSync(cc!, ['-std=c99', '-Wall', '-Werror', '-o', join(dir, 'main'), join(dir, 'main.c')], { cwd: dir });
      const out = execFileSync(join(dir, 'main')).toString();
      const expected = cases
        .map(({ img }) => {
          let s = '';
          for (let y = 0; y < img.height; y++) {
            for (let x = 0; x < img.width; x++) {
              const i = y * img.width + x;
              s += String((img.data[i] === 0 ? 1 : 0) + 2 * img.mask![i]);
            }
            s += '\n';
          }
          return s + '\n';
        })
        .join('');
      expect(out).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PNG transparency (tRNS)', () => {
  it('transparentPaper: sharp reads paper as alpha 0 and ink as opaque ink', async () => {
    const img = randomBinary(20, 9, 5, PALETTE);
    const png = await sharpPixels(encodePng1(img, { transparentPaper: true }));
    for (let i = 0; i < 180; i++) expect(png.px(i)).toEqual(img.data[i] ? [0xb1, 0xaf, 0xa8, 0] : [0x32, 0x2f, 0x28, 255]);
  });
});

describe('format table', () => {
  it('lists the device formats with their extensions', () => {
    expect(Object.fromEntries(Object.entries(FORMATS).map(([k, f]) => [k, f.extension]))).toEqual({
      png: 'png',
      pbm: 'pbm',
      bmp: 'bmp',
      gif: 'gif',
      tiff: 'tiff',
      xbm: 'xbm',
      c: 'h',
      bin: 'bin',
      pdi: 'pdi',
      pdt: 'pdt',
      escpos: 'escpos',
    });
  });

  it('recolour: palette formats keep ink/paper, bit formats are the same bytes whatever the palette', () => {
    const plain = randomBinary(17, 5, 9);
    const coloured = { ...plain, palette: PALETTE };
    for (const [name, f] of Object.entries(FORMATS)) {
      const same = encode(plain, name as keyof typeof FORMATS).equals(encode(coloured, name as keyof typeof FORMATS));
      expect(same, name).toBe(!f.keepsPalette);
    }
  });

  it('every format refuses a non-binary image', () => {
    const tone = { width: 2, height: 1, channels: 1, range: 'unit', space: 'srgb', data: new Float32Array(2) } as unknown as BinaryTensor;
    for (const name of Object.keys(FORMATS)) expect(() => encode(tone, name as keyof typeof FORMATS)).toThrow(/expected a binary image/);
  });
});
