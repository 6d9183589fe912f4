/**
 * The device formats added for issue 16 (Playdate pdi/pdt, ESC/POS, the C
 * header's Arduboy2 size prefix, frames and options, three-colour planes),
 * each read back by an independent reader written from the format's
 * documentation (cited beside each reader) and compared bit for bit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/helpers.js';
import { binaryTensor, type BinaryTensor } from '../../pipeline/types.js';
import { encodeBinFrames, encodeCHeaderFrames, encodeCHeaderSet, encodeEscpos, encodePdi, encodePdt, encodeThreeColourPng, FORMATS, BAND_ROWS, encode, companions, type Layout } from './index.js';

function randomBinary(w: number, h: number, seed: number, withMask = false): BinaryTensor {
  const r = rng(seed);
  const img = binaryTensor(w, h);
  for (let i = 0; i < img.data.length; i++) img.data[i] = r() < 0.5 ? 0 : 1;
  if (withMask) {
    // Opaque inside a box with a 2-3 px transparent border (trimmed by pdi), speckled.
    img.mask = new Uint8Array(w * h);
    for (let y = 3; y < h - 2; y++) for (let x = 2; x < w - 3; x++) img.mask[y * w + x] = r() < 0.9 ? 1 : 0;
  }
  return img;
}

const CC = ['cc', 'gcc', 'clang'].find((c) => {
  try {
    execFileSync(c, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

/** Compiles `main` with the headers and returns its stdout. */
function runC(headers: Record<string, Buffer>, main: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pixel-c-'));
  try {
    for (const [name, data] of Object.entries(headers)) writeFileSync(join(dir, name), data);
    writeFileSync(join(dir, 'main.c'), main);
    execFileSync(CC!, ['-std=c99', '-Wall', '-Werror', '-o', join(dir, 'main'), join(dir, 'main.c')], { cwd: dir });
    return execFileSync(join(dir, 'main'), { encoding: 'latin1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows of '#' (set) and '.' (clear) from a predicate, as the C programs print them. */
function rows(w: number, h: number, set: (x: number, y: number) => boolean): string {
  let s = '';
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) s += set(x, y) ? '#' : '.';
    s += '\n';
  }
  return s;
}

describe('Arduboy2 Sprites format (size prefix, frames, external mask)', () => {
  it.skipIf(!CC)('a C reader following Sprites.h reads width/height from the image array, frames after it, and the mask without a prefix', () => {
    const frames = [randomBinary(13, 16, 1, true), randomBinary(13, 16, 2, true), randomBinary(13, 16, 3, true)];
    const h = encodeCHeaderFrames(frames, { name: 'hero', layout: 'vertical', maskArray: true, sizePrefix: true });
    // Sprites.h: "Each image array begins with values for the width and height …
    // For a separate mask array … the width and height are not included … Each
    // byte represents a vertical column of 8 pixels with the least significant
    // bit (bit 0) at the top … Data for each frame … immediately follows the previous frame."
    const out = runC(
      { 'hero.h': h },
      `#include <stdio.h>
#include "hero.h"
int main(void) {
  int w = hero[0], ht = hero[1], pages = (ht + 7) / 8;
  for (int f = 0; f < 3; f++) {
    const uint8_t *img = hero + 2 + f * w * pages, *mask = hero_mask + f * w * pages;
    for (int y = 0; y < ht; y++) { for (int x = 0; x < w; x++) putchar((img[(y / 8) * w + x] >> (y % 8)) & 1 ? '#' : '.'); putchar('\\n'); }
    for (int y = 0; y < ht; y++) { for (int x = 0; x < w; x++) putchar((mask[(y / 8) * w + x] >> (y % 8)) & 1 ? 'O' : '.'); putchar('\\n'); }
  }
  printf("%d %d %d\\n", HERO_FRAMES, HERO_FRAME_BYTES, (int)sizeof hero);
  return 0;
}
`,
    );
    let expected = '';
    for (const f of frames) {
      expected += rows(13, 16, (x, y) => f.data[y * 13 + x] === 0);
      expected += rows(13, 16, (x, y) => f.mask![y * 13 + x] === 1).replaceAll('#', 'O');
    }
    expect(out).toBe(expected + `3 ${13 * 2} ${2 + 3 * 13 * 2}\n`);
  });

  it('a sprite over 255 px cannot carry a one-byte size: a clear error', () => {
    expect(() => encodeCHeaderFrames([binaryTensor(300, 8)], { name: 'wide', sizePrefix: true })).toThrow(/one byte each, but wide is 300×8/);
  });

  it('bin: the same bytes as the header array, prefix included', () => {
    const f = randomBinary(9, 8, 4);
    expect([...encodeBinFrames([f], { layout: 'vertical', sizePrefix: true }).subarray(0, 2)]).toEqual([9, 8]);
    expect(encodeBinFrames([f], { layout: 'vertical', sizePrefix: true }).length).toBe(2 + 9);
  });
});

describe('C header options (image2cpp parity)', () => {
  const img = randomBinary(11, 5, 7);
  const text = (o: Parameters<typeof encodeCHeaderFrames>[1]) => encodeCHeaderFrames([img], { name: 'logo', ...o }).toString('latin1');
  const values = (t: string, name: string) => {
    const start = t.indexOf(`const uint8_t ${name}[`);
    return [...t.slice(t.indexOf('{', start), t.indexOf('};', start)).matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1], 16));
  };

  it('identifier prefix names the array, defines and guard', () => {
    const t = text({ prefix: 'epd_' });
    for (const part of ['#ifndef PIXEL_EPD_LOGO_H', '#define EPD_LOGO_WIDTH 11', 'const uint8_t epd_logo[10] PROGMEM']) expect(t).toContain(part);
  });

  it('bytes per line', () => {
    const lines = text({ bytesPerLine: 3 }).split('\n').filter((l) => /^ {2}0x/.test(l));
    expect(lines.map((l) => l.match(/0x/g)!.length)).toEqual([3, 3, 3, 1]);
  });

  it.each<Layout>(['horizontal-msb', 'horizontal-lsb', 'vertical'])('swap bits reverses every byte (%s)', (layout) => {
    const plain = values(text({ layout }), 'logo');
    const swapped = values(text({ layout, swapBits: true }), 'logo');
    const reverse = (v: number) => parseInt(v.toString(2).padStart(8, '0').split('').reverse().join(''), 2);
    expect(swapped).toEqual(plain.map(reverse));
  });
});

describe('several images in one header (index arrays)', () => {
  it.skipIf(!CC)('a C program walks <set>[], <set>_width[], <set>_height[] and prints every image back', () => {
    const items = [
      { name: 'star', frames: [randomBinary(9, 5, 21)] },
      { name: 'moon', frames: [randomBinary(16, 3, 22)] },
      { name: 'star', frames: [randomBinary(4, 4, 23)] }, // same name: star_2
    ];
    const h = encodeCHeaderSet(items, { name: 'icons', layout: 'horizontal-lsb', prefix: 'ui_' });
    expect(h.toString()).toContain('const uint8_t *const ui_icons[3] = { ui_star, ui_moon, ui_star_2 };');
    const out = runC(
      { 'icons.h': h },
      `#include <stdio.h>
#include "icons.h"
int main(void) {
  for (int i = 0; i < UI_ICONS_COUNT; i++) {
    int w = ui_icons_width[i], stride = (w + 7) / 8;
    for (int y = 0; y < ui_icons_height[i]; y++) { for (int x = 0; x < w; x++) putchar((ui_icons[i][y * stride + x / 8] >> (x % 8)) & 1 ? '#' : '.'); putchar('\\n'); }
  }
  return 0;
}
`,
    );
    expect(out).toBe(items.map(({ frames: [f] }) => rows(f.width, f.height, (x, y) => f.data[y * f.width + x] === 0)).join(''));
  });
});

describe('three-colour images: two planes', () => {
  function threeColour(w: number, h: number, seed: number): BinaryTensor {
    const r = rng(seed);
    const img = binaryTensor(w, h);
    img.accent = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const v = r();
      img.data[i] = v < 0.33 ? 0 : 1;
      img.accent[i] = v > 0.66 ? 1 : 0; // accent pixels are paper in the first plane
    }
    img.palette = { ink: { r: 0, g: 0, b: 0 }, paper: { r: 255, g: 255, b: 255 }, accent: { r: 200, g: 20, b: 10 } };
    return img;
  }

  it.skipIf(!CC)('a C program prints both planes of the header back (accentBit 0 and 1)', () => {
    const img = threeColour(19, 7, 11);
    for (const bit of [0, 1] as const) {
      const h = encodeCHeaderFrames([img], { name: 'panel', layout: 'horizontal-msb', accentBit: bit });
      const out = runC(
        { 'panel.h': h },
        `#include <stdio.h>
#include "panel.h"
int main(void) {
  int stride = (PANEL_WIDTH + 7) / 8;
  for (int p = 0; p < 2; p++) for (int y = 0; y < PANEL_HEIGHT; y++) {
    const uint8_t *plane = p ? panel_color : panel;
    for (int x = 0; x < PANEL_WIDTH; x++) putchar((plane[y * stride + x / 8] >> (7 - x % 8)) & 1 ? '#' : '.');
    putchar('\\n');
  }
  return 0;
}
`,
      );
      const black = rows(19, 7, (x, y) => img.data[y * 19 + x] === 0);
      const colour = rows(19, 7, (x, y) => img.accent![y * 19 + x] === bit);
      expect(out).toBe(black + colour);
    }
  });

  it('bin writes the second plane as <name>.color.bin', () => {
    const img = threeColour(10, 3, 12);
    const [extra] = companions([img], 'bin', { accentBit: 1 });
    expect(extra.suffix).toBe('.color.bin');
    const stride = 2;
    for (let i = 0; i < 30; i++) {
      const x = i % 10;
      const y = Math.floor(i / 10);
      expect((extra.data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1).toBe(img.accent![i]);
    }
    expect(companions([binaryTensor(10, 3)], 'bin')).toEqual([]);
  });

  it('the PNG preview has the three colours where the planes say (sharp reads it)', async () => {
    const img = threeColour(21, 9, 13);
    const png = encode(img, 'png');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    for (let i = 0; i < 21 * 9; i++) {
      const want = img.accent![i] ? [200, 20, 10] : img.data[i] ? [255, 255, 255] : [0, 0, 0];
      expect([...data.subarray(i * 3, i * 3 + 3)], `pixel ${i}`).toEqual(want);
    }
    expect(encodeThreeColourPng(img).subarray(24, 26)).toEqual(Buffer.from([2, 3])); // IHDR: bit depth 2, indexed
  });
});

/**
 * A Playdate reader written from the community notes
 * (github.com/cranksters/playdate-reverse-engineering, formats/pdi.md, pdt.md):
 * returns each cell as full-size white (1 = white) and alpha (1 = opaque) planes.
 */
function readCell(buf: Buffer, at: number): { width: number; height: number; white: Uint8Array; alpha?: Uint8Array; end: number; stride: number; clip: number[] } {
  const u16 = (o: number) => buf.readUInt16LE(at + o);
  const [cw, ch, stride, left, right, top, bottom, flags] = [0, 2, 4, 6, 8, 10, 12, 14].map(u16);
  const width = left + cw + right;
  const height = top + ch + bottom;
  const plane = (base: number, fill: number) => {
    const out = new Uint8Array(width * height).fill(fill);
    for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) out[(top + y) * width + left + x] = (buf[base + y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
    return out;
  };
  const white = plane(at + 16, 0);
  const hasAlpha = (flags & 3) > 0;
  const alpha = hasAlpha ? plane(at + 16 + stride * ch, 0) : undefined;
  return { width, height, white, alpha, stride, clip: [cw, ch, left, right, top, bottom], end: at + 16 + stride * ch * (hasAlpha ? 2 : 1) };
}

function readHeader(file: Buffer, ident: string): { body: Buffer; fields: number[] } {
  expect(file.subarray(0, 12).toString('latin1')).toBe(ident);
  expect(file.readUInt32LE(12) & 0x80000000).not.toBe(0); // compressed
  const fields = [16, 20, 24, 28].map((o) => file.readUInt32LE(o));
  const body = inflateSync(file.subarray(32));
  expect(body.length).toBe(fields[0]);
  return { body, fields };
}

function expectPlanes(cell: ReturnType<typeof readCell>, img: BinaryTensor, alpha: boolean): void {
  expect([cell.width, cell.height]).toEqual([img.width, img.height]);
  const wrong: number[] = [];
  for (let i = 0; i < img.data.length; i++) {
    const opaque = !img.mask || img.mask[i] === 1;
    if (alpha && cell.alpha![i] !== (opaque ? 1 : 0)) wrong.push(i);
    if ((!alpha || opaque) && cell.white[i] !== img.data[i]) wrong.push(i); // 1 = white = paper
  }
  expect(wrong.slice(0, 5), `${wrong.length} wrong pixels`).toEqual([]);
}

describe('Playdate .pdi', () => {
  it.each([
    [1, 1],
    [7, 3],
    [8, 8],
    [13, 11],
    [400, 240],
  ])('%i×%i without alpha: header, compressed cell, stride padded to 8 px, 1 = white', (w, h) => {
    const img = randomBinary(w, h, w * h);
    const file = encodePdi(img);
    const { body, fields } = readHeader(file, 'Playdate IMG');
    expect(fields.slice(1)).toEqual([w, h, 0]);
    const cell = readCell(body, 0);
    expect(cell.stride).toBe(Math.ceil(w / 8));
    expect(cell.clip).toEqual([w, h, 0, 0, 0, 0]);
    expect(cell.alpha).toBeUndefined();
    expect(cell.end).toBe(body.length);
    expectPlanes(cell, img, false);
  });

  it('with the mask: an alpha plane (1 = opaque) and transparent edges trimmed into the clip', () => {
    const img = randomBinary(21, 13, 5, true);
    const { body } = readHeader(encodePdi(img, { alpha: true }), 'Playdate IMG');
    const cell = readCell(body, 0);
    expect(cell.clip).toEqual([21 - 5, 13 - 5, 2, 3, 3, 2]);
    expect(cell.stride).toBe(2);
    expect(cell.end).toBe(body.length);
    expectPlanes(cell, img, true);
  });

  it('an image without a mask written with alpha is all opaque, untrimmed', () => {
    const img = randomBinary(9, 4, 6);
    const cell = readCell(readHeader(encodePdi(img, { alpha: true }), 'Playdate IMG').body, 0);
    expect(cell.clip).toEqual([9, 4, 0, 0, 0, 0]);
    expect([...cell.alpha!].every((v) => v === 1)).toBe(true);
  });
});

/** The cells of a .pdt body: table header, offsets (relative to the table's end), cells. */
function readTable(file: Buffer) {
  const { body, fields } = readHeader(file, 'Playdate IMT');
  const count = body.readUInt16LE(0);
  const perRow = body.readUInt16LE(2);
  const tableEnd = 4 + 4 * count;
  const starts = [0, ...Array.from({ length: count }, (_, i) => body.readUInt32LE(4 + 4 * i))];
  const cells = Array.from({ length: count }, (_, i) => {
    const cell = readCell(body, tableEnd + starts[i]);
    expect(cell.end, `cell ${i} ends where the next begins`).toBe(tableEnd + starts[i + 1]);
    return cell;
  });
  expect(tableEnd + starts[count]).toBe(body.length);
  return { fields, count, perRow, cells };
}

describe('Playdate .pdt', () => {
  it('a sequence (animation frames): cells in order, cells per row = count', () => {
    const frames = [randomBinary(12, 9, 1, true), randomBinary(12, 9, 2, true), randomBinary(12, 9, 3, true)];
    const t = readTable(encodePdt(frames, { alpha: true }));
    expect(t.fields.slice(1)).toEqual([12, 9, 3]);
    expect([t.count, t.perRow]).toEqual([3, 3]);
    t.cells.forEach((c, i) => expectPlanes(c, frames[i], true));
  });

  it('a sheet named <name>-table-W-H is cut into a matrix of W×H cells', () => {
    const sheet = randomBinary(24, 16, 9);
    const t = readTable(encode(sheet, 'pdt', { name: 'coins-table-8-8' }));
    expect([t.count, t.perRow]).toEqual([6, 3]);
    t.cells.forEach((c, i) => {
      const cx = (i % 3) * 8;
      const cy = Math.floor(i / 3) * 8;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(c.white[y * 8 + x]).toBe(sheet.data[(cy + y) * 24 + cx + x]);
    });
    expect(() => encode(randomBinary(20, 16, 1), 'pdt', { name: 'coins-table-8-8' })).toThrow(/not a whole number of 8×8 cells/);
    expect(readTable(encode(sheet, 'pdt', { name: 'plain' })).count).toBe(1);
  });

  it('output.sheet adds the SDK source sheet <name>-table-W-H.png: the frames in one row', async () => {
    const frames = [randomBinary(5, 4, 1), randomBinary(5, 4, 2)];
    const [sheet] = companions(frames, 'pdt', { sheet: true });
    expect(sheet.suffix).toBe('-table-5-4.png');
    const { data, info } = await sharp(sheet.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([10, 4]);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 10; x++) expect(data[(y * 10 + x) * info.channels]).toBe(frames[x >= 5 ? 1 : 0].data[y * 5 + (x % 5)] ? 255 : 0);
    expect(companions(frames, 'pdt', {})).toEqual([]);
  });
});

describe('ESC/POS GS v 0', () => {
  /** Epson ESC/POS reference, GS v 0: 1D 76 30 m xL xH yL yH d1…dk, k = (xL + xH·256) × (yL + yH·256), bit 7 leftmost, 1 = print. */
  function readEscpos(buf: Buffer): { width: number; rows: Uint8Array[]; bands: number[] } {
    const rows: Uint8Array[] = [];
    const bands: number[] = [];
    let at = 0;
    let x = 0;
    while (at < buf.length) {
      expect([...buf.subarray(at, at + 4)]).toEqual([0x1d, 0x76, 0x30, 0]);
      x = buf[at + 4] + buf[at + 5] * 256;
      const y = buf[at + 6] + buf[at + 7] * 256;
      bands.push(y);
      at += 8;
      for (let r = 0; r < y; r++, at += x) rows.push(buf.subarray(at, at + x));
    }
    return { width: x, rows, bands };
  }

  it.each([
    [1, 1, [1]],
    [13, 5, [5]],
    [384, 255, [255]],
    [384, 256, [255, 1]],
    [576, 600, [255, 255, 90]],
  ])('%i×%i: bands %j, every dot as it is (1 = black)', (w, h, bands) => {
    const img = randomBinary(w, h, w + h);
    const read = readEscpos(encodeEscpos(img));
    expect(read.bands).toEqual(bands);
    expect(read.width).toBe(Math.ceil(w / 8));
    expect(read.rows.length).toBe(h);
    let bad = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (((read.rows[y][x >> 3] >> (7 - (x & 7))) & 1) !== (img.data[y * w + x] === 0 ? 1 : 0)) bad++;
    expect(bad).toBe(0);
    expect(BAND_ROWS).toBe(255);
  });
});

describe('the format table', () => {
  it('the new formats are listed with their extension and mask modes', () => {
    expect([FORMATS.pdi.extension, FORMATS.pdt.extension, FORMATS.escpos.extension]).toEqual(['pdi', 'pdt', 'escpos']);
    expect(FORMATS.pdi.masks).toEqual(['none', 'array']);
    expect(FORMATS.escpos.masks).toEqual(['none']);
  });
});
