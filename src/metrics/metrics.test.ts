import { describe, expect, it } from 'vitest';
import { linearToSrgbExact, srgbToLinearExact } from '../image/color.js';
import { binaryTensor } from '../pipeline/types.js';
import { flat, gray, noise, rgb } from '../../test/helpers.js';
import {
  PSNR_CAP,
  evaluate,
  gaussianBlur,
  gaussianKernel,
  gaussianRadius,
  psnr,
  referenceFrom,
  reflectIndex,
  scoreBinary,
  ssim,
} from './index.js';

// ---------- independent reference code: naive, non-separable, explicit reflection ----------

/** Half-sample symmetric reflection by repeated folding (scipy 'reflect'). */
function naiveReflect(i: number, n: number): number {
  while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
  return i;
}

/** 2D Gaussian convolution written directly from the definition. */
function naiveBlur(src: ArrayLike<number>, w: number, h: number, sigma: number, truncate = 4): number[] {
  const r = Math.floor(truncate * sigma + 0.5);
  let norm = 0;
  for (let k = -r; k <= r; k++) norm += Math.exp(-(k * k) / (2 * sigma * sigma));
  const out: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (norm * norm);
          s += g * src[naiveReflect(y + dy, h) * w + naiveReflect(x + dx, w)];
        }
      out.push(s);
    }
  return out;
}

function naivePsnr(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(1 / (s / a.length));
}

/** Wang et al. 2004 SSIM: 11x11 Gaussian windows (σ 1.5) lying fully inside the image, population statistics. */
function naiveSsim(a: ArrayLike<number>, b: ArrayLike<number>, w: number, h: number): number {
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const win: number[][] = [];
  let total = 0;
  for (let dy = -5; dy <= 5; dy++) {
    const row: number[] = [];
    for (let dx = -5; dx <= 5; dx++) {
      const g = Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
      row.push(g);
      total += g;
    }
    win.push(row);
  }
  let sum = 0;
  let count = 0;
  for (let y = 5; y < h - 5; y++)
    for (let x = 5; x < w - 5; x++) {
      let mx = 0, my = 0;
      for (let dy = -5; dy <= 5; dy++)
        for (let dx = -5; dx <= 5; dx++) {
          const g = win[dy + 5][dx + 5] / total;
          mx += g * a[(y + dy) * w + x + dx];
          my += g * b[(y + dy) * w + x + dx];
        }
      let vx = 0, vy = 0, cxy = 0;
      for (let dy = -5; dy <= 5; dy++)
        for (let dx = -5; dx <= 5; dx++) {
          const g = win[dy + 5][dx + 5] / total;
          const p = a[(y + dy) * w + x + dx] - mx;
          const q = b[(y + dy) * w + x + dx] - my;
          vx += g * p * p;
          vy += g * q * q;
          cxy += g * p * q;
        }
      sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count++;
    }
  return sum / count;
}

function checkerboard(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (x + y) & 1;
  return out;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

// ------------------------------------------------------------------------------------------

describe('gaussian kernel and reflection', () => {
  it('uses scipy radius floor(truncate·σ + 0.5) and normalised taps', () => {
    expect(gaussianRadius(1.5)).toBe(6);
    expect(gaussianRadius(1)).toBe(4);
    expect(gaussianRadius(1.5, 3.5)).toBe(5);
    const k = gaussianKernel(1.5);
    expect(k.length).toBe(7);
    let s = k[0];
    for (let i = 1; i < k.length; i++) s += 2 * k[i];
    expect(s).toBeCloseTo(1, 15);
    expect(k[1] / k[0]).toBeCloseTo(Math.exp(-1 / (2 * 2.25)), 15);
  });

  it('reflects half-sample symmetrically: d c b a | a b c d | d c b a', () => {
    const n = 4;
    const idx = [];
    for (let i = -4; i < 8; i++) idx.push(reflectIndex(i, n));
    expect(idx).toEqual([3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0]);
    // Periodic beyond one reflection (radius larger than the image).
    for (let i = -20; i < 20; i++) expect(reflectIndex(i, 3)).toBe(naiveReflect(i, 3));
  });

  it('blurs a 5x1 impulse into the normalised kernel (hand-computed, σ 0.5 → r 2)', () => {
    const e1 = Math.exp(-1 / (2 * 0.25)); // exp(-2)
    const e2 = Math.exp(-4 / (2 * 0.25)); // exp(-8)
    const sum = 1 + 2 * e1 + 2 * e2;
    const out = gaussianBlur(new Float64Array([0, 0, 1, 0, 0]), 5, 1, 0.5, new Float64Array(5));
    const expected = [e2, e1, 1, e1, e2].map((v) => v / sum);
    for (let i = 0; i < 5; i++) expect(out[i]).toBeCloseTo(expected[i], 15);
    // Impulse on the edge: the mirrored copy folds back onto the image.
    const edge = gaussianBlur(new Float64Array([1, 0, 0, 0, 0]), 5, 1, 0.5, new Float64Array(5));
    const edgeExpected = [1 + e1, e1 + e2, e2, 0, 0].map((v) => v / sum);
    for (let i = 0; i < 5; i++) expect(edge[i]).toBeCloseTo(edgeExpected[i], 15);
  });

  it('preserves the mean of a flat image and of a corner impulse (reflected borders)', () => {
    const w = 9;
    const h = 7;
    const f = new Float32Array(w * h).fill(0.37);
    for (const v of gaussianBlur(f, w, h, 1.5)) expect(v).toBeCloseTo(Math.fround(0.37), 6);
    const imp = new Float64Array(w * h);
    imp[0] = 1;
    const b = gaussianBlur(imp, w, h, 1.5, new Float64Array(w * h));
    expect(mean(b)).toBeCloseTo(1 / (w * h), 15);
    // Radius 6 exceeds the 3-pixel side: the periodic reflection still conserves the sum.
    const tiny = new Float64Array(6);
    tiny[5] = 1;
    expect(mean(gaussianBlur(tiny, 3, 2, 1.5, new Float64Array(6)))).toBeCloseTo(1 / 6, 15);
  });

  it('matches the naive 2D convolution on noise, and may blur in place', () => {
    const w = 17;
    const h = 11;
    const src = noise(w, h, 7).data;
    for (const sigma of [1, 1.5, 2.5]) {
      const expected = naiveBlur(src, w, h, sigma);
      const got = gaussianBlur(src, w, h, sigma, new Float64Array(w * h));
      for (let i = 0; i < w * h; i++) expect(got[i]).toBeCloseTo(expected[i], 12);
      const inPlace = Float64Array.from(src);
      gaussianBlur(inPlace, w, h, sigma, inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(got));
    }
    expect(gaussianBlur(src, w, h, 1.5)).toBeInstanceOf(Float32Array);
  });

  it('rejects a bad sigma', () => {
    expect(() => gaussianBlur(new Float32Array(4), 2, 2, -1)).toThrow('gaussian sigma must be a finite number >= 0, got -1');
    expect(() => gaussianBlur(new Float32Array(4), 2, 2, NaN)).toThrow('gaussian sigma must be a finite number >= 0, got NaN');
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = noise(24, 20, 3).data;
    expect(ssim(a, a, 24, 20)).toBeCloseTo(1, 12);
  });

  it('matches the flat-image formula (2μxμy + C1)/(μx² + μy² + C1)', () => {
    const x = Math.fround(0.3);
    const y = Math.fround(0.55);
    const c1 = 0.0001;
    const got = ssim(flat(16, 12, 0.3).data, flat(16, 12, 0.55).data, 16, 12);
    expect(got).toBeCloseTo((2 * x * y + c1) / (x * x + y * y + c1), 10);
  });

  it('matches a naive windowed SSIM over the valid region', () => {
    const w = 26;
    const h = 19;
    const a = noise(w, h, 11).data;
    const b = gray(w, h, (px, py) => 0.5 + 0.4 * Math.sin(px / 3) * Math.cos(py / 4)).data;
    expect(ssim(a, b, w, h)).toBeCloseTo(naiveSsim(a, b, w, h), 10);
  });

  it('still scores images smaller than the 11x11 window', () => {
    const v = ssim(noise(6, 5, 1).data, noise(6, 5, 2).data, 6, 5);
    expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});

describe('scoreBinary', () => {
  it('gives the PSNR cap, SSIM 1 and bias 0 for identical images', () => {
    const w = 20;
    const h = 16;
    const bin = checkerboard(w, h);
    const s = scoreBinary(Float32Array.from(bin), bin, w, h);
    expect(s.tonePsnr15).toBe(PSNR_CAP);
    expect(s.tonePsnr10).toBe(PSNR_CAP);
    expect(s.ssim).toBeCloseTo(1, 12);
    expect(s.toneBias).toBe(0);
  });

  it('gives −20·log10(d) and bias d for flat images a constant d apart', () => {
    const w = 15;
    const h = 13;
    for (const [v, white] of [[0.3, 1], [0.8, 1], [0.25, 0], [0.9, 0]] as const) {
      const ref = flat(w, h, v).data;
      const bin = new Uint8Array(w * h).fill(white);
      const d = white - Math.fround(v);
      const s = scoreBinary(ref, bin, w, h);
      expect(s.tonePsnr15).toBeCloseTo(-20 * Math.log10(Math.abs(d)), 9);
      expect(s.tonePsnr10).toBeCloseTo(-20 * Math.log10(Math.abs(d)), 9);
      expect(s.toneBias).toBeCloseTo(d, 12);
      const y = Math.fround(v);
      expect(s.ssim).toBeCloseTo((2 * y * white + 0.0001) / (y * y + white * white + 0.0001), 9);
    }
  });

  it('scores a checkerboard against flat 0.5 as the naive 2D convolution does', () => {
    const w = 21;
    const h = 14;
    const ref = flat(w, h, 0.5).data;
    const bin = checkerboard(w, h);
    const s = scoreBinary(ref, bin, w, h);
    for (const [sigma, got] of [[1.5, s.tonePsnr15], [1, s.tonePsnr10]] as const) {
      const expected = naivePsnr(naiveBlur(ref, w, h, sigma), naiveBlur(bin, w, h, sigma));
      expect(Math.abs(got - expected)).toBeLessThan(1e-6);
    }
    const expectedSsim = naiveSsim(naiveBlur(ref, w, h, 1.5), naiveBlur(bin, w, h, 1.5), w, h);
    expect(s.ssim).toBeCloseTo(expectedSsim, 9);
    expect(s.toneBias).toBeCloseTo(mean(bin) - 0.5, 12);
    // Interior of the blurred checkerboard is ~0.5: the mirrored edges carry the error.
    const blurred = gaussianBlur(Float32Array.from(bin), w, h, 1.5);
    expect(blurred[7 * w + 10]).toBeCloseTo(0.5, 4);
  });

  it('ranks a checkerboard above a threshold (all white) rendering of flat 0.5', () => {
    const w = 32;
    const h = 24;
    const ref = flat(w, h, 0.5).data;
    const dithered = scoreBinary(ref, checkerboard(w, h), w, h);
    const thresholded = scoreBinary(ref, new Uint8Array(w * h).fill(1), w, h);
    expect(thresholded.tonePsnr15).toBeCloseTo(-20 * Math.log10(0.5), 9);
    expect(dithered.tonePsnr15).toBeGreaterThan(thresholded.tonePsnr15 + 10);
    expect(dithered.tonePsnr10).toBeGreaterThan(thresholded.tonePsnr10 + 10);
    expect(dithered.ssim).toBeGreaterThan(thresholded.ssim);
  });

  it('rejects mismatched sizes', () => {
    expect(() => scoreBinary(new Float32Array(6), new Uint8Array(5), 3, 2)).toThrow(
      'scoreBinary: expected 6 reference and binary values for 3x2 but received 6 and 5',
    );
  });

  it('agrees with psnr() on pre-blurred planes', () => {
    const w = 12;
    const h = 10;
    const ref = noise(w, h, 5).data;
    const bin = checkerboard(w, h);
    const got = scoreBinary(ref, bin, w, h).tonePsnr15;
    const a = gaussianBlur(ref, w, h, 1.5, new Float64Array(w * h));
    const b = gaussianBlur(Float64Array.from(bin), w, h, 1.5, new Float64Array(w * h));
    expect(got).toBeCloseTo(psnr(a, b), 12);
  });
});

describe('referenceFrom', () => {
  it('takes Rec. 709 luminance of linear values, coded for srgb', () => {
    const img = rgb(3, 1, (x) => (x === 0 ? [1, 0, 0] : x === 1 ? [0.5, 0.5, 0.5] : [0.2, 0.6, 0.9]));
    const lin = referenceFrom(img, 'linear');
    const cod = referenceFrom(img, 'srgb');
    const y3 = 0.2126 * srgbToLinearExact(0.2) + 0.7152 * srgbToLinearExact(0.6) + 0.0722 * srgbToLinearExact(0.9);
    expect(lin[0]).toBeCloseTo(0.2126, 6);
    expect(lin[1]).toBeCloseTo(srgbToLinearExact(0.5), 4);
    expect(lin[2]).toBeCloseTo(y3, 4);
    expect(cod[0]).toBeCloseTo(linearToSrgbExact(0.2126), 4);
    expect(cod[1]).toBeCloseTo(0.5, 4);
    expect(cod[2]).toBeCloseTo(linearToSrgbExact(y3), 4);
  });

  it('copies one-channel input in its own space and converts otherwise', () => {
    const g = gray(4, 1, (x) => x / 3, 'linear');
    expect(Array.from(referenceFrom(g, 'linear'))).toEqual(Array.from(g.data));
    const coded = referenceFrom(g, 'srgb');
    for (let i = 0; i < 4; i++) expect(coded[i]).toBeCloseTo(linearToSrgbExact(g.data[i]), 4);
  });
});

describe('evaluate', () => {
  it('scores the binary image against both references', () => {
    const w = 24;
    const h = 18;
    const src = rgb(w, h, (x, y) => [x / (w - 1), y / (h - 1), 0.5]);
    const bin = binaryTensor(w, h);
    bin.data.set(checkerboard(w, h));
    const e = evaluate(src, bin);
    expect(e.linear).toEqual(scoreBinary(referenceFrom(src, 'linear'), bin.data, w, h));
    expect(e.srgb).toEqual(scoreBinary(referenceFrom(src, 'srgb'), bin.data, w, h));
    // A checkerboard is 50% light: lighter than a dark linear mean, darker than the coded one.
    expect(e.linear.toneBias).toBeGreaterThan(e.srgb.toneBias);
  });

  it('rejects a source that is not at the grid size', () => {
    expect(() => evaluate(flat(4, 4, 0.5), binaryTensor(3, 4))).toThrow('evaluate: expected a 3x4 source but received 4x4');
  });
});
