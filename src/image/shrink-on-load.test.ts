/**
 * Decoding at the scale needed: a JPEG or WebP whose first step is a box
 * resize is shrunk on load (then averaged exactly in linear light), PNG is
 * decoded in full, and `shrinkOnLoad: false` decodes every pixel. On the
 * devbench images (made into 1024-px JPEGs here), the shrunk pipeline's tone
 * PSNR stays within 0.05 dB of the full decode's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { convert, createPipeline } from '../convert.js';
import { evaluate, psnr, scoreBinary } from '../metrics/index.js';
import type { BinaryTensor, ToneTensor } from '../pipeline/types.js';
import { decodeImage } from './decode.js';

const DEVBENCH = resolve(import.meta.dirname, '../../../shared/data/devbench');

/** A photo-like test image: smooth gradients plus seeded noise. */
async function photo(width: number, height: number, format: 'jpeg' | 'webp' | 'png'): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let s = 7;
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++, i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        data[i] = Math.max(0, Math.min(255, Math.round((255 * (x + y * (c + 1))) / (width + 3 * height) + ((s >>> 24) % 31) - 15)));
      }
  const img = sharp(data, { raw: { width, height, channels: 3 } });
  return (format === 'jpeg' ? img.jpeg({ quality: 90 }) : format === 'webp' ? img.webp({ quality: 90 }) : img.png()).toBuffer();
}

/** Each devbench image as a JPEG of long side `size` (q90), decoded twice: shrunk on load for `pipeline`, and whole. */
async function* devbenchJpegs(size: number, pipeline: { decodeSize(w: number, h: number): { width: number; height: number } | undefined }) {
  for (const name of readdirSync(DEVBENCH).filter((f) => f.endsWith('.png')).sort()) {
    const jpeg = await sharp(readFileSync(join(DEVBENCH, name))).flatten({ background: '#ffffff' }).resize(size, size, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
    const shrunk = await decodeImage(jpeg, { gray: true, size: (w, h) => pipeline.decodeSize(w, h) });
    const full = await decodeImage(jpeg, { gray: true });
    expect(shrunk.width).toBeLessThan(full.width);
    yield { shrunk, full };
  }
}

const ART = (shrinkOnLoad: boolean, method = 'floyd-steinberg') => [
  { use: 'resize', longSide: 64, shrinkOnLoad },
  { use: 'adjust' },
  { use: 'dither', method },
];

describe('decoding at the scale needed', () => {
  it('shrinks a JPEG and a WebP on load to at least 4× the grid, keeps a PNG whole', async () => {
    const pipeline = await createPipeline(ART(true));
    expect(pipeline.decodeSize(2000, 1000)).toEqual({ width: 256, height: 128 });
    for (const format of ['jpeg', 'webp'] as const) {
      const image = await decodeImage(await photo(2000, 1000, format), { gray: true, size: (w, h) => pipeline.decodeSize(w, h) });
      expect([image.width, image.height]).toEqual([256, 128]);
    }
    const png = await decodeImage(await photo(2000, 1000, 'png'), { gray: true, size: (w, h) => pipeline.decodeSize(w, h) });
    expect([png.width, png.height]).toEqual([2000, 1000]);
    await pipeline.dispose();
  });

  it('does not shrink with shrinkOnLoad: false, another kernel, a small ratio, or a step other than resize first', async () => {
    expect((await createPipeline(ART(false))).decodeSize(2000, 1000)).toBeUndefined();
    expect((await createPipeline([{ use: 'resize', longSide: 64, kernel: 'lanczos' }, { use: 'adjust' }, { use: 'dither' }])).decodeSize(2000, 1000)).toBeUndefined();
    expect((await createPipeline([{ use: 'resize', longSide: 400 }, { use: 'adjust' }, { use: 'dither' }])).decodeSize(1000, 500)).toBeUndefined();
    expect((await createPipeline([{ use: 'adjust' }, { use: 'resize', longSide: 64 }, { use: 'dither' }])).decodeSize(2000, 1000)).toBeUndefined();
  });

  it('gives the same output size as a full decode, and a PNG the same bytes', async () => {
    for (const [w, h] of [
      [2001, 999],
      [999, 2001],
      [1537, 1537],
    ]) {
      const jpeg = await photo(w, h, 'jpeg');
      const a = await convert(jpeg, { config: { steps: ART(true) } });
      const b = await convert(jpeg, { config: { steps: ART(false) } });
      expect([a.image.width, a.image.height]).toEqual([b.image.width, b.image.height]);
    }
    for (const fit of ['cover', 'contain', 'fill'] as const) {
      const jpeg = await photo(2001, 1333, 'jpeg');
      const steps = (shrinkOnLoad: boolean) => [{ use: 'resize', width: 50, height: 40, fit, shrinkOnLoad }, { use: 'adjust' }, { use: 'dither' }];
      expect((await createPipeline(steps(true))).decodeSize(2001, 1333), fit).toBeDefined();
      const a = await convert(jpeg, { config: { steps: steps(true) } });
      const b = await convert(jpeg, { config: { steps: steps(false) } });
      expect([a.image.width, a.image.height], fit).toEqual([b.image.width, b.image.height]);
    }
    const png = await photo(1200, 700, 'png');
    const a = await convert(png, { config: { steps: ART(true) } });
    const b = await convert(png, { config: { steps: ART(false) } });
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });

  it('a step working above the grid keeps 3× its working size, and the grid 4×', async () => {
    const steps = (workScale: number) => [{ use: 'resize', longSide: 128 }, { use: 'pixel-art', workScale }];
    // Working at 2× (256): 768 px, 3× the working size; at 1× the grid's 4× (512) rules; at 4× (512) no shrink from 4000.
    expect((await createPipeline(steps(2))).decodeSize(4000, 3000)).toEqual({ width: 768, height: 576 });
    expect((await createPipeline(steps(1))).decodeSize(4000, 3000)).toEqual({ width: 512, height: 384 });
    expect((await createPipeline(steps(4))).decodeSize(4000, 3000)).toEqual({ width: 1536, height: 1152 });
    expect((await createPipeline(steps(4))).decodeSize(2000, 1500)).toBeUndefined();
  });

  it.skipIf(!existsSync(DEVBENCH))('the pixel-art preset on devbench as 2048-px JPEGs: coded tone PSNR within 0.05 dB of a full decode', async () => {
    const steps = (s: boolean) => [{ use: 'resize', longSide: 128, kernel: 'box', shrinkOnLoad: s }, { use: 'pixel-art', workScale: 2 }];
    const shrunk = await createPipeline(steps(true));
    const full = await createPipeline(steps(false));
    const grid = await createPipeline([{ use: 'resize', longSide: 128, shrinkOnLoad: false }, { use: 'adjust' }, { use: 'threshold' }]);
    let delta = 0;
    let n = 0;
    for await (const { shrunk: a, full: b } of devbenchJpegs(2048, shrunk)) {
      const reference = (await grid.run(b, { until: 0 })) as ToneTensor;
      delta += evaluate(reference, (await shrunk.run(a)) as BinaryTensor).srgb.tonePsnr15 - evaluate(reference, (await full.run(b)) as BinaryTensor).srgb.tonePsnr15;
      n++;
    }
    expect(Math.abs(delta / n)).toBeLessThan(0.05);
    for (const p of [shrunk, full, grid]) await p.dispose();
  }, 60_000);

  it.skipIf(!existsSync(DEVBENCH))('devbench as 1024-px JPEGs, grid 64: tone PSNR within 0.05 dB of a full decode', async () => {
    for (const grid of [64]) {
      const steps = (s: boolean) => [{ use: 'resize', longSide: grid, shrinkOnLoad: s }, { use: 'adjust' }, { use: 'dither', method: 'bayer-8' }];
      const shrunk = await createPipeline(steps(true));
      const full = await createPipeline(steps(false));
      let scoreShrunk = 0;
      let scoreFull = 0;
      let grayPsnr = 0;
      let n = 0;
      for await (const { shrunk: a, full: b } of devbenchJpegs(1024, shrunk)) {
        n++;
        // The reference: the full decode, box-averaged in linear light to the grid.
        const reference = await full.run(b, { until: 0 });
        const grayA = await shrunk.run(a, { until: 0 });
        grayPsnr += psnr(grayA.data as Float32Array, reference.data as Float32Array);
        const outA = await shrunk.run(a);
        const outB = await full.run(b);
        scoreShrunk += scoreBinary(reference.data as Float32Array, outA.data as Uint8Array, outA.width, outA.height).tonePsnr15;
        scoreFull += scoreBinary(reference.data as Float32Array, outB.data as Uint8Array, outB.width, outB.height).tonePsnr15;
      }
      expect(grayPsnr / n, `grid ${grid}: mean PSNR of the shrunk gray against the full one`).toBeGreaterThan(45);
      expect(Math.abs(scoreShrunk - scoreFull) / n, `grid ${grid}: tone PSNR ${scoreShrunk / n} vs ${scoreFull / n}`).toBeLessThan(0.05);
      await shrunk.dispose();
      await full.dispose();
    }
  }, 60_000);
});
