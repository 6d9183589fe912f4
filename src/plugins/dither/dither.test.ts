import { describe, expect, it } from 'vitest';
import { convertSpace, srgbToLinearExact } from '../../image/color.js';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor, ColorSpace, ToneTensor } from '../../pipeline/types.js';
import { expectGolden, flat, gray, noise, testCard, whiteShare } from '../../../test/helpers.js';
import { diffuse, KERNELS, checkKernel } from '../../kernels/error-diffusion.js';
import { dither, DITHER_METHODS, describeMethod, ditherOptionsSchema, METHODS, type DitherOptions } from './index.js';
import { bayerMatrix, bayerThresholds, blueNoiseMatrix, ordered, thresholdsFromRanks } from './ordered.js';

const ctx = { warn() {} };

async function run(image: ToneTensor, options: Partial<DitherOptions> = {}): Promise<BinaryTensor> {
  const step = await dither.create(dither.parseOptions(options, 'steps[0]'));
  return (await step.run(image, ctx)) as BinaryTensor;
}

describe('dither golden images (bit-exact)', () => {
  for (const method of DITHER_METHODS) {
    it(method, async () => {
      expectGolden(`dither-${method}-card`, await run(testCard(32, 24), { method }));
      expectGolden(`dither-${method}-noise`, await run(noise(32, 24, 7), { method }));
      expectGolden(`dither-${method}-strength50`, await run(testCard(32, 24), { method, strength: 0.5 }));
      // An sRGB-coded card dithered in sRGB space (no conversion) …
      expectGolden(`dither-${method}-srgb`, await run(testCard(32, 24, 'srgb'), { method, space: 'srgb' }));
      if (METHODS[method].kind === 'diffusion') {
        expectGolden(`dither-${method}-card-noserp`, await run(testCard(32, 24), { method, serpentine: false }));
      }
    });
  }

  it('dithers in linear light by default: an sRGB input is converted first', async () => {
    const card = testCard(32, 24, 'srgb');
    const linear: ToneTensor = { ...card, space: 'linear', data: convertSpace(card.data, 'srgb', 'linear') };
    for (const method of ['floyd-steinberg', 'bayer-8'] as const) {
      const a = await run(card, { method });
      const b = await run(linear, { method });
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
      expect(a.space).toBe('srgb'); // the tensor keeps its declared space
    }
  });
});

describe('tone coverage on a flat sRGB 128/255 gray (64×64)', () => {
  const value = 128 / 255;
  const linearTarget = srgbToLinearExact(value); // 0.2158
  const image = () => flat(64, 64, value, 'srgb');

  it('the target is the linear luminance of sRGB 128', () => {
    expect(linearTarget).toBeCloseTo(0.2159, 4);
  });

  for (const method of DITHER_METHODS) {
    it(`${method}: linear mode ≈ 0.2158, srgb mode ≈ 0.502`, async () => {
      for (const serpentine of [true, false]) {
        const lin = whiteShare(await run(image(), { method, serpentine }));
        const srgb = whiteShare(await run(image(), { method, serpentine, space: 'srgb' }));
        const spec = METHODS[method];
        if (method === 'atkinson') {
          // Atkinson passes on only 6/8 of the error by design, so dark and
          // light tones drift towards their nearer extreme: 0.2158 comes out
          // at about 0.146 (measured). At mid-gray the drift cancels.
          expect(lin).toBeGreaterThan(0.12);
          expect(lin).toBeLessThan(linearTarget - 0.05);
          expect(Math.abs(srgb - value)).toBeLessThan(0.01);
        } else if (spec.kind === 'ordered' && spec.size <= 4) {
          // A size-n matrix has only n² + 1 tone levels: the share is exactly
          // the fraction of thresholds below the value (bayer-2: 0.25, bayer-4: 0.1875).
          const t = thresholdsFromRanks(spec.ranks());
          const below = (v: number) => t.filter((x) => Math.fround(v) > x).length / t.length;
          expect(lin).toBe(below(linearTarget));
          expect(Math.abs(lin - linearTarget)).toBeLessThanOrEqual(1 / spec.size ** 2);
          expect(srgb).toBe(below(value));
          expect(Math.abs(srgb - value)).toBeLessThan(0.01);
        } else {
          expect(Math.abs(lin - linearTarget)).toBeLessThan(0.01);
          expect(Math.abs(srgb - value)).toBeLessThan(0.01);
        }
      }
    });
  }
});

describe('pure black and pure white stay pure', () => {
  for (const method of DITHER_METHODS) {
    it(method, async () => {
      for (const strength of [1, 0.5]) {
        const black = await run(flat(40, 30, 0), { method, strength });
        const white = await run(flat(40, 30, 1), { method, strength });
        expect(black.data.every((v) => v === 0)).toBe(true);
        expect(white.data.every((v) => v === 1)).toBe(true);
      }
      // Flat black, flat white and noisy / near-0.5 gray areas side by side:
      // no accumulated error may flip a 0 or 1 input pixel.
      const near = [0.5, Math.fround(0.49999997), Math.fround(0.50000006), Math.fround(0.99999994), 1e-7, 0.25, 0.75];
      for (let seed = 1; seed <= 12; seed++) {
        const img = noise(53, 37, seed);
        const d = img.data;
        for (let i = 0; i < d.length; i++) {
          const x = i % 53;
          const y = (i / 53) | 0;
          const zone = ((x >> 2) + (y >> 2) * 3 + seed) % 5;
          if (zone === 0) d[i] = 0;
          else if (zone === 1) d[i] = 1;
          else if (zone === 2) d[i] = near[(i * 7 + seed) % near.length];
        }
        for (const serpentine of [true, false]) {
          const out = (await run(img, { method, serpentine })).data;
          for (let i = 0; i < d.length; i++) {
            if (d[i] === 0) expect(out[i]).toBe(0);
            else if (d[i] === 1) expect(out[i]).toBe(1);
          }
        }
      }
    });
  }
});

describe('error diffusion kernel', () => {
  it('every kernel is causal, non-negative and passes on at most all of the error', () => {
    for (const k of Object.values(KERNELS)) {
      expect(() => checkKernel(k)).not.toThrow();
      const sum = k.entries.reduce((s, e) => s + e.weight, 0);
      expect(sum).toBe(k.name === 'atkinson' ? 6 : k.divisor); // Atkinson drops 2/8 by design
    }
  });

  it('Floyd–Steinberg reads as the textbook picture', () => {
    expect(KERNELS['floyd-steinberg'].entries).toEqual([
      { dx: 1, dy: 0, weight: 7 },
      { dx: -1, dy: 1, weight: 3 },
      { dx: 0, dy: 1, weight: 5 },
      { dx: 1, dy: 1, weight: 1 },
    ]);
  });

  it('the unrolled loops of every kernel give the same bits as the general ring loop', () => {
    const w = 97;
    const h = 61;
    const img = new Float32Array(w * h);
    let seed = 3;
    for (let i = 0; i < img.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      img[i] = i % 13 === 0 ? 0 : i % 17 === 0 ? 1 : seed / 2 ** 32;
    }
    for (const kernel of Object.values(KERNELS))
      for (const serpentine of [false, true])
        for (const strength of [1, 0.8]) {
          const fast = diffuse(img, w, h, kernel, { serpentine, strength });
          const general = diffuse(img, w, h, kernel, { serpentine, strength }, undefined, true);
          expect(Buffer.compare(fast, general), `${kernel.name} serpentine=${serpentine} strength=${strength}`).toBe(0);
        }
  });

  it('the unrolled Floyd–Steinberg loop gives the same bits as the generic loop', () => {
    // Same weights over 32 instead of 16: not recognised as FS, so it runs the generic loop.
    const generic = { name: 'fs-generic', divisor: 32, entries: KERNELS['floyd-steinberg'].entries.map((e) => ({ ...e, weight: 2 * e.weight })) };
    for (const [w, h, seed] of [
      [97, 41, 1],
      [1, 9, 2],
      [9, 1, 3],
    ]) {
      const img = noise(w, h, seed);
      for (const serpentine of [true, false]) {
        for (const strength of [1, 0.5, 0]) {
          const a = diffuse(img.data, w, h, KERNELS['floyd-steinberg'], { serpentine, strength });
          const b = diffuse(img.data, w, h, generic, { serpentine, strength });
          expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
        }
      }
    }
  });

  it('serpentine mirrors the kernel on right-to-left rows', () => {
    // Row 0 is black, so no error reaches row 1. Row 1 of a serpentine scan
    // (right to left) must then be the mirror of row 1 of a left-to-right
    // scan of the mirrored image.
    const w = 31;
    const src = noise(w, 2, 5);
    const img = gray(w, 2, (x, y) => (y === 0 ? 0 : src.data[w + x]));
    const mirrored = gray(w, 2, (x, y) => (y === 0 ? 0 : src.data[w + (w - 1 - x)]));
    let differs = 0;
    for (const kernel of Object.values(KERNELS)) {
      const s = diffuse(img.data, w, 2, kernel, { serpentine: true, strength: 1 });
      const m = diffuse(mirrored.data, w, 2, kernel, { serpentine: false, strength: 1 });
      const row = [...s.subarray(w)];
      expect(row).toEqual([...m.subarray(w)].reverse());
      // And the scan direction really matters.
      const plain = diffuse(img.data, w, 2, kernel, { serpentine: false, strength: 1 });
      if (row.some((v, x) => v !== plain[w + x])) differs++;
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('strength 0 is a plain threshold at 0.5 (white when above)', () => {
    const img = noise(16, 16, 9);
    img.data[0] = 0.5;
    const out = diffuse(img.data, 16, 16, KERNELS.stucki, { serpentine: true, strength: 0 });
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(img.data[i] > 0.5 ? 1 : 0);
  });

  it('writes into a given buffer and handles empty images', () => {
    const out = new Uint8Array(6).fill(7);
    expect(diffuse(new Float32Array(6).fill(1), 3, 2, KERNELS.burkes, { serpentine: false, strength: 1 }, out)).toBe(out);
    expect([...out]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(diffuse(new Float32Array(0), 0, 0, KERNELS.burkes, { serpentine: false, strength: 1 }).length).toBe(0);
  });

  it('rejects a kernel it cannot run', () => {
    expect(() => checkKernel({ name: 'back', divisor: 1, entries: [{ dx: -1, dy: 0, weight: 1 }] })).toThrow(
      'kernel back: entry (-1, 0) must be on a later row, or 1 or 2 pixels ahead on the same row',
    );
    expect(() => checkKernel({ name: 'hot', divisor: 1, entries: [{ dx: 1, dy: 0, weight: 2 }] })).toThrow('kernel hot: weights sum to more than the divisor');
  });
});

describe('ordered matrices', () => {
  it('Bayer 4 is the textbook matrix', () => {
    expect([...bayerMatrix(4)]).toEqual([0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]);
    expect([...bayerMatrix(2)]).toEqual([0, 2, 3, 1]);
  });

  it('Bayer n is a permutation of 0..n²-1 for every size', () => {
    for (const n of [2, 4, 8, 16]) expect([...bayerMatrix(n)].sort((a, b) => a - b)).toEqual([...Array(n * n).keys()]);
    expect(() => bayerMatrix(6)).toThrow('bayerMatrix: size must be a power of two, got 6');
  });

  it('thresholds are centred: (m + 0.5) / n²', () => {
    expect([...bayerThresholds(2)]).toEqual([0.125, 0.625, 0.875, 0.375]);
  });

  it('blue noise is a deterministic permutation of 0..n²-1, built well under a second', () => {
    const t0 = performance.now();
    const a = blueNoiseMatrix(64);
    const ms = performance.now() - t0;
    const b = blueNoiseMatrix(64);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(4096).keys()]);
    expect(ms).toBeLessThan(1000);
    // A different seed gives a different matrix.
    expect(Buffer.from(blueNoiseMatrix(16, 1).buffer).equals(Buffer.from(blueNoiseMatrix(16, 2).buffer))).toBe(false);
  });

  it('blue noise spreads its darkest ranks: no two of the first n²/16 touch (toroidally)', () => {
    const n = 64;
    const m = blueNoiseMatrix(n);
    const on = new Uint8Array(n * n);
    for (let i = 0; i < n * n; i++) if (m[i] < (n * n) / 16) on[i] = 1;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        if (!on[y * n + x]) continue;
        for (const [dx, dy] of [
          [1, 0],
          [0, 1],
          [1, 1],
          [1, -1],
        ]) {
          expect(on[((y + dy + n) % n) * n + ((x + dx) % n)]).toBe(0);
        }
      }
  });

  it('ordered: white where the value is above the threshold, strength pulls thresholds to 0.5', () => {
    const t = bayerThresholds(2);
    const img = new Float32Array([0.2, 0.2, 0.2, 0.2, 0.7, 0.7, 0.7, 0.7]);
    // Thresholds tile as 0.125 0.625 / 0.875 0.375.
    expect([...ordered(img, 4, 2, t, 2, 1)]).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    expect([...ordered(img, 4, 2, t, 2, 0)]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    // Odd widths and an unaligned output buffer take the byte-at-a-time path.
    const big = noise(37, 5, 3).data;
    const backing = new Uint8Array(37 * 5 + 1);
    const unaligned = ordered(big, 37, 5, t, 2, 1, backing.subarray(1));
    const aligned = ordered(big, 37, 5, t, 2, 1);
    expect(Buffer.from(unaligned).equals(Buffer.from(aligned))).toBe(true);
    for (let i = 0; i < aligned.length; i++) {
      const x = i % 37;
      const y = (i / 37) | 0;
      expect(aligned[i]).toBe(big[i] > t[(y % 2) * 2 + (x % 2)] ? 1 : 0);
    }
  });

  it('ordered: tiles of 2, 4 and 8 (thresholds in registers) give the same bits as the definition, at any width and alignment', () => {
    for (const size of [2, 4, 8, 16])
      for (const width of [1, 3, 8, 37, 64, 101]) {
        const t = bayerThresholds(size);
        const height = 11;
        const img = noise(width, height, size + width).data;
        const aligned = ordered(img, width, height, t, size, 0.7);
        const backing = new Uint8Array(width * height + 3);
        const unaligned = ordered(img, width, height, t, size, 0.7, backing.subarray(3));
        const f32 = new Float32Array(1);
        for (let i = 0; i < aligned.length; i++) {
          const x = i % width;
          const y = (i / width) | 0;
          f32[0] = 0.5 + 0.7 * (t[(y % size) * size + (x % size)] - 0.5);
          expect(aligned[i], `size ${size}, width ${width}, pixel ${i}`).toBe(img[i] > f32[0] ? 1 : 0);
        }
        expect(Buffer.from(unaligned).equals(Buffer.from(aligned)), `size ${size}, width ${width}`).toBe(true);
      }
  });
});

describe('dither plugin', () => {
  it('declares what it accepts and produces', () => {
    expect(dither.name).toBe('dither');
    expect(dither.accepts).toEqual({ channels: [1], range: ['unit'] });
    for (const space of ['linear', 'srgb'] as ColorSpace[]) {
      expect(dither.produces({ channels: 1, range: 'unit', space }, dither.defaults)).toEqual({ channels: 1, range: 'binary', space });
    }
  });

  it('describes every method in one line', () => {
    for (const m of DITHER_METHODS) {
      expect(describeMethod(m).length).toBeGreaterThan(10);
      expect(describeMethod(m)).not.toContain('\n');
    }
    expect(Object.keys(METHODS).sort()).toEqual([...DITHER_METHODS].sort());
  });

  it('leaves its input untouched and keeps the palette', async () => {
    const img = testCard(16, 12, 'srgb');
    const before = img.data.slice();
    const palette = { ink: { r: 0, g: 0, b: 0 }, paper: { r: 255, g: 255, b: 255 } };
    const out = await run({ ...img, palette }, {});
    expect(img.data).toEqual(before);
    expect(out.palette).toEqual(palette);
    expect(out).toMatchObject({ width: 16, height: 12, channels: 1, range: 'binary', space: 'srgb' });
  });

  it('rejects a tensor that is not one unit channel', async () => {
    const step = await dither.create(dither.defaults);
    const rgbImage: ToneTensor = { width: 1, height: 1, channels: 3, range: 'unit', space: 'srgb', data: new Float32Array(3) };
    expect(() => step.run(rgbImage, ctx)).toThrow('dither needs a 1-channel unit image but received 3 channel(s), range unit');
  });

  describe('options', () => {
    const accept: [unknown, Partial<DitherOptions>][] = [
      [undefined, {}],
      [{}, {}],
      [{ use: 'dither' }, {}],
      [{ method: 'atkinson' }, { method: 'atkinson' }],
      [{ method: 'blue-noise', strength: 0 }, { method: 'blue-noise', strength: 0 }],
      [{ strength: 1 }, { strength: 1 }],
      [{ strength: 0.25 }, { strength: 0.25 }],
      [{ serpentine: false }, { serpentine: false }],
      [{ space: 'srgb' }, { space: 'srgb' }],
    ];
    it.each(accept)('accepts %j', (input, expected) => {
      expect(dither.parseOptions(input, 'steps[0]')).toEqual({ ...dither.defaults, ...expected });
    });

    it('defaults are floyd-steinberg, serpentine, full strength, linear', () => {
      expect(dither.defaults).toEqual({
        method: 'floyd-steinberg',
        serpentine: true,
        strength: 1,
        space: 'linear',
        edgeAware: false,
        edgeStrength: 1,
        dbsSigma: 1.2,
        dbsIterations: 8,
        dbsTimeMs: 0,
      });
      expect(dither.parseOptions({}, 'x')).toEqual(dither.defaults);
      for (const [key, field] of Object.entries(ditherOptionsSchema)) expect(field.default).toEqual(dither.defaults[key as keyof DitherOptions]);
    });

    const methodList = DITHER_METHODS.map((m) => `"${m}"`).join(', ');
    const reject: [unknown, string][] = [
      [5, 'Expected an object of options for steps[0] but received 5'],
      [[], 'Expected an object of options for steps[0] but received an array ([])'],
      [{ method: 'floyd' }, `Expected one of ${methodList} for steps[0].method but received "floyd"`],
      [{ method: 3 }, `Expected one of ${methodList} for steps[0].method but received 3`],
      [{ strength: 1.5 }, 'Expected a number between 0 and 1 for steps[0].strength but received 1.5'],
      [{ strength: -0.1 }, 'Expected a number between 0 and 1 for steps[0].strength but received -0.1'],
      [{ strength: '1' }, 'Expected a number between 0 and 1 for steps[0].strength but received "1"'],
      [{ strength: Number.NaN }, 'Expected a number between 0 and 1 for steps[0].strength but received NaN'],
      [{ serpentine: 'yes' }, 'Expected a boolean for steps[0].serpentine but received "yes"'],
      [{ space: 'lab' }, 'Expected one of "linear", "srgb" for steps[0].space but received "lab"'],
      [{ metod: 'atkinson' }, 'Unknown option steps[0].metod (did you mean "method"?)'],
    ];
    it.each(reject)('rejects %j', (input, message) => {
      expect(() => dither.parseOptions(input, 'steps[0]')).toThrow(message);
      try {
        dither.parseOptions(input, 'steps[0]');
      } catch (e) {
        expect(e).toBeInstanceOf(PixelError);
        expect((e as PixelError).code).toBe('E_OPTION');
      }
    });

    it('suggests the closest method name', () => {
      try {
        dither.parseOptions({ method: 'bayer8' }, 'steps[0]');
        expect.unreachable();
      } catch (e) {
        expect((e as PixelError).message).toMatch(/^Expected one of .* for steps\[0\]\.method but received "bayer8" \(did you mean "bayer-8"\?\)$/);
      }
    });
  });
});
