/** The readers behind `pixel decode` / `pixel preview`: every writer's bytes come back as the same pixels. */
import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/helpers.js';
import { PixelError } from '../../pipeline/errors.js';
import { binaryTensor, type BinaryTensor } from '../../pipeline/types.js';
import { encodeBinFrames, encodeCHeaderFrames, encodeEscpos, encodePdi, encodePdt, LAYOUTS } from './index.js';
import { blockText, cArrays, readDevice, sideBySide } from './read.js';

function randomBinary(w: number, h: number, seed: number): BinaryTensor {
  const r = rng(seed);
  const img = binaryTensor(w, h);
  for (let i = 0; i < img.data.length; i++) img.data[i] = r() < 0.5 ? 0 : 1;
  return img;
}

const same = (a: BinaryTensor, b: BinaryTensor) => [a.width, a.height, Buffer.from(a.data).equals(Buffer.from(b.data))];

describe('reading device files back', () => {
  it.each(LAYOUTS)('C header, %s, with frames, size prefix, swapped bits and a colour plane', (layout) => {
    const frames = [randomBinary(13, 16, 1), randomBinary(13, 16, 2)];
    frames[0].accent = Uint8Array.from(frames[0].data, (v, i) => (v === 1 && i % 3 === 0 ? 1 : 0));
    frames[1].accent = new Uint8Array(13 * 16);
    for (const options of [{}, { sizePrefix: true }, { swapBits: true, accentBit: 0 as const }]) {
      const text = encodeCHeaderFrames(frames, { name: 'hero', layout, ...options });
      const read = readDevice(text, 'hero.h');
      expect(read.frames.map((f, i) => same(f, frames[i]))).toEqual(frames.map(() => [13, 16, true]));
      expect(read.accent!.map((p, i) => Buffer.from(p).equals(Buffer.from(frames[i].accent!)))).toEqual([true, true]);
    }
  });

  it('an image2cpp-style array (unsigned char, no defines) with the size given', () => {
    const img = randomBinary(10, 3, 3);
    const bytes = [...encodeBinFrames([img])];
    const text = `// 'logo', 10x3px\nconst unsigned char epd_bitmap_logo [] PROGMEM = {\n\t${bytes.map((b) => '0x' + b.toString(16).padStart(2, '0')).join(', ')}\n};\n`;
    expect(() => readDevice(Buffer.from(text), 'logo.h')).toThrow('The size of epd_bitmap_logo is not in the file');
    expect(same(readDevice(Buffer.from(text), 'logo.h', { width: 10, height: 3 }).frames[0], img)).toEqual([10, 3, true]);
    expect(cArrays('uint8_t a[] = {1, 2, 0b11};').map((a) => [...a.bytes])).toEqual([[1, 2, 3]]);
  });

  it('bin needs its size; a wrong size is a clear error', () => {
    const img = randomBinary(12, 8, 4);
    const bin = encodeBinFrames([img], { layout: 'vertical' });
    expect(same(readDevice(bin, 'x.bin', { width: 12, height: 8, layout: 'vertical' }).frames[0], img)).toEqual([12, 8, true]);
    const error = (() => {
      try {
        readDevice(bin, 'x.bin', { width: 10, height: 8 });
      } catch (e) {
        return e as PixelError;
      }
    })();
    expect(error?.message).toBe('The file has 12 bytes, not a whole number of 10×8 horizontal-msb images (16 bytes each)');
    expect(error?.file).toBe('x.bin');
  });

  it('pdi and pdt, with the alpha plane and trimmed edges', () => {
    const img = randomBinary(11, 7, 5);
    img.mask = new Uint8Array(77);
    for (let y = 1; y < 6; y++) for (let x = 2; x < 9; x++) img.mask[y * 11 + x] = 1;
    const read = readDevice(encodePdi(img, { alpha: true }), 'x.pdi').frames[0];
    expect([...read.mask!]).toEqual([...img.mask]);
    for (let i = 0; i < 77; i++) if (img.mask[i]) expect(read.data[i]).toBe(img.data[i]);
    const frames = [randomBinary(8, 5, 6), randomBinary(8, 5, 7), randomBinary(8, 5, 8)];
    const table = readDevice(encodePdt(frames), 'x.pdt');
    expect(table.what).toBe('Playdate table (3 cells, 3 per row)');
    expect(table.frames.map((f, i) => same(f, frames[i]))).toEqual(frames.map(() => [8, 5, true]));
  });

  it('ESC/POS bands join into one image', () => {
    const img = randomBinary(24, 300, 9);
    const read = readDevice(encodeEscpos(img), 'r.escpos').frames[0];
    expect(same(read, img)).toEqual([24, 300, true]);
  });

  it('block text: two rows a line, ink drawn; frames side by side', () => {
    const img = binaryTensor(3, 3);
    img.data.set([0, 1, 0, 0, 0, 1, 1, 1, 0]);
    expect(blockText(img)).toBe('█▄▀\n  ▀\n');
    const both = sideBySide([img, img]);
    expect([both.width, both.height]).toEqual([6, 3]);
  });

  it('a file of another kind is named with what pixel reads', () => {
    expect(() => readDevice(Buffer.from('x'), 'x.jpg')).toThrow('Not a device file pixel reads back');
    expect(() => readDevice(Buffer.from('Playdate VID    '), 'x.pdi')).toThrow('Not a Playdate image');
  });
});
