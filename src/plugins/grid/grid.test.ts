import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePixelArt, matchShare } from '../../../test/grid-fake.js';
import { noise, rng } from '../../../test/helpers.js';
import { decodeImage } from '../../image/decode.js';
import { buildPipeline } from '../../pipeline/pipeline.js';
import { binaryTensor, type BinaryTensor, type StepContext } from '../../pipeline/types.js';
import { pluginTable } from '../index.js';
import { cellCentres, detectGrid, grid, sampleGrid } from './index.js';

/** A 32×32 sprite with 1-px details on odd and even positions: a ring, a diagonal, dots. */
function sprite(seed = 1): BinaryTensor {
  const r = rng(seed);
  const img = binaryTensor(32, 32);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) {
      const ring = Math.abs(Math.hypot(x - 15.5, y - 15.5) - 10) < 1;
      const diagonal = x === y && x > 4 && x < 27;
      img.data[y * 32 + x] = ring || diagonal || r() < 0.04 ? 0 : 1;
    }
  return img;
}

const pipelineFor = () => buildPipeline([{ use: 'grid' }, { use: 'adjust' }, { use: 'threshold', value: 0.5 }], pluginTable());

describe('grid', () => {
  it('cell centres: cells with at least half inside the image', () => {
    expect(cellCentres(20, 5, 0)).toEqual([2.5, 7.5, 12.5, 17.5]);
    expect(cellCentres(22, 5, 2)).toEqual([4.5, 9.5, 14.5, 19.5]); // 2 px on the left and 0 on the right are less than half a cell
    expect(cellCentres(23, 5, 3)).toEqual([0.5, 5.5, 10.5, 15.5, 20.5]); // 3 px cells at both ends count
  });

  it('a 32×32 sprite ×7, blurred, offset and saved as JPEG q70 comes back as the sprite, pixel for pixel', async () => {
    const icon = sprite();
    const d = { scale: 7, dx: 3, dy: 5, sigma: 1.4, quality: 70 };
    const image = await decodeImage(await fakePixelArt(icon, d));
    const fit = detectGrid(image)!;
    expect([fit.size, Math.round(fit.phaseX), Math.round(fit.phaseY)]).toEqual([7, 3, 5]);
    const pipeline = await pipelineFor();
    const notes: string[] = [];
    const out = (await pipeline.run(image, { warn: (m) => notes.push(m) })) as BinaryTensor;
    await pipeline.dispose();
    expect([out.width, out.height]).toEqual([33, 33]); // the sprite plus the padding's partial cell
    expect(matchShare(icon, d, out, cellCentres(image.width, 7, fit.phaseX), cellCentres(image.height, 7, fit.phaseY))).toBe(1);
    expect(notes).toEqual(['grid: 7.00 px cells, boundaries at x ≡ 3.0, y ≡ 5.0 (score ' + fit.score.toFixed(2) + '): 231×231 → 33×33']);
  });

  it.each([3, 5, 8, 12])('finds the exact cell size at ×%i', async (scale) => {
    const icon = sprite(scale);
    const image = await decodeImage(await fakePixelArt(icon, { scale, dx: 1, dy: scale - 1, sigma: scale / 5, quality: 70 }));
    expect(detectGrid(image)?.size).toBe(scale);
  });

  it('a cell size that is not a whole number (32 cells over 300 px, as AI "pixel art" has) is found to a hundredth', async () => {
    const icon = sprite(4);
    const raw = Buffer.from(Uint8Array.from(icon.data, (v) => (v ? 255 : 0)));
    const sharp = (await import('sharp')).default;
    const jpeg = await sharp(await sharp(raw, { raw: { width: 32, height: 32, channels: 1 } }).resize(300, 300, { kernel: 'nearest' }).png().toBuffer())
      .blur(1.5)
      .jpeg({ quality: 70 })
      .toBuffer();
    const image = await decodeImage(jpeg);
    const fit = detectGrid(image)!;
    expect(Math.abs(fit.size - 300 / 32)).toBeLessThan(0.01);
    const pipeline = await pipelineFor();
    const out = (await pipeline.run(image, {})) as BinaryTensor;
    await pipeline.dispose();
    expect([out.width, out.height]).toEqual([32, 32]);
    expect(Buffer.from(out.data).equals(Buffer.from(icon.data))).toBe(true);
  });

  it('a known size: only the phase is detected', async () => {
    const image = await decodeImage(await fakePixelArt(sprite(), { scale: 6, dx: 2, dy: 4, sigma: 1, quality: 90 }));
    const fit = detectGrid(image, { size: 6 })!;
    expect([fit.size, Math.round(fit.phaseX), Math.round(fit.phaseY)]).toEqual([6, 2, 4]);
  });

  it('noise has no grid: said, and the image is left as it is', async () => {
    const image = noise(120, 90, 3);
    expect(detectGrid(image)).toBeUndefined();
    const step = await grid.create(grid.defaults);
    const notes: string[] = [];
    const ctx: StepContext = { warn: (m) => notes.push(m) };
    expect(step.run(image, ctx)).toBe(image);
    expect(notes).toEqual(['grid: no pixel grid found (edges show no common cell size up to 64 px); the image is left at 120×90']);
  });

  it('sampling takes the median of the central half of each cell, per channel, and samples the mask', () => {
    const image = { width: 4, height: 4, channels: 1 as const, range: 'unit' as const, space: 'linear' as const, data: new Float32Array(16).fill(0.2), mask: new Uint8Array(16).fill(1) };
    image.data[5] = 0.9; // one outlier inside the top-left cell's centre region
    image.mask[15] = 0;
    const out = sampleGrid(image, { size: 2, phaseX: 0, phaseY: 0, score: 1 });
    expect([out.width, out.height, [...out.mask!]]).toEqual([2, 2, [1, 1, 1, 0]]);
  });

  it.each([
    [{ size: 1 }, 'Expected "auto" or a number >= 2 for steps[0].size but received 1'],
    [{ sample: 'mean' }, 'Expected one of "median", "center" for steps[0].sample but received "mean"'],
  ])('rejects %j', (input, message) => {
    expect(() => grid.parseOptions(input, 'steps[0]')).toThrow(message);
  });

  const ICONS = resolve(import.meta.dirname, '../../../../shared/data/pixelart/pixelarticons');
  it.skipIf(!existsSync(ICONS))('icons of ../shared/data/pixelart ×3–×12 with blur, offset and JPEG q70: ≥ 98 % of pixels right on average (bench/grid.ts gives the distribution)', async () => {
    const files = readdirSync(ICONS).filter((f) => f.endsWith('.png')).slice(0, 400).filter((_, i) => i % 40 === 0);
    const plain = await buildPipeline([{ use: 'adjust' }, { use: 'threshold', value: 0.5 }], pluginTable());
    const pipeline = await pipelineFor();
    const shares: number[] = [];
    for (const [i, f] of files.entries()) {
      const icon = (await plain.run(await decodeImage(join(ICONS, f)), {})) as BinaryTensor;
      const scale = 3 + (i % 10);
      const d = { scale, dx: 1 + (i % (scale - 1)), dy: scale - 1, sigma: scale / 5, quality: 70 };
      const image = await decodeImage(await fakePixelArt(icon, d));
      const fit = detectGrid(image)!;
      const out = (await pipeline.run(image, {})) as BinaryTensor;
      shares.push(matchShare(icon, d, out, cellCentres(image.width, fit.size, fit.phaseX), cellCentres(image.height, fit.size, fit.phaseY)));
    }
    await Promise.all([plain.dispose(), pipeline.dispose()]);
    expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeGreaterThanOrEqual(0.98);
  });
});
