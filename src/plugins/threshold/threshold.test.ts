import { describe, expect, it } from 'vitest';
import { expectGolden, flat, gray, noise, rng, testCard, whiteShare } from '../../../test/helpers.js';
import type { BinaryTensor, ImageTensor, StepContext } from '../../pipeline/types.js';
import { gaussianKernel, localMean, otsuLevel, threshold, thresholdAdaptive, thresholdFixed, type ThresholdOptions } from './index.js';

const ctx: StepContext = { warn: () => {} };

async function run(input: unknown, image: ImageTensor): Promise<BinaryTensor> {
  const step = await threshold.create(threshold.parseOptions(input, 'steps[0]'));
  return (await step.run(image, ctx)) as BinaryTensor;
}

/** Dark strokes (a grid of lines and a diagonal) under light falling off from left to right. */
function unevenPage(width = 48, height = 32) {
  return gray(width, height, (x, y) => {
    const light = 0.95 - 0.83 * (x / (width - 1));
    const ink = x % 9 === 4 || y % 7 === 3 || Math.abs(x - 1.5 * y) < 1 ? 0.35 : 1;
    return light * ink;
  }, 'linear');
}

/** Two noisy populations: a disc around 0.25 on a field around 0.7 (sRGB-coded). */
function bimodal(width = 40, height = 30) {
  const next = rng(7);
  return gray(width, height, (x, y) => {
    const base = Math.hypot(x - width / 2, y - height / 2) < height / 3 ? 0.25 : 0.7;
    return Math.min(1, Math.max(0, base + (next() - 0.5) * 0.3));
  }, 'srgb');
}

describe('threshold kernels', () => {
  it('fixed: paper strictly above the level', () => {
    expect(Array.from(thresholdFixed(new Float32Array([0.5, 0.50001, 0, 1, 0.49]), 0.5))).toEqual([0, 1, 0, 1, 0]);
  });

  it('otsu: hand-checked levels', () => {
    // Two values: every split between them ties; the middle of the tie (127) is used.
    expect(otsuLevel(new Float32Array([0, 1, 0, 1]))).toBe(127.5 / 255);
    expect(otsuLevel(new Float32Array([0.2, 0.8, 0.8]))).toBe(127.5 / 255);
    // Bins 10 ×5, 20 ×5, 200 ×10: best split is between 20 and 200 (ties k = 20..199 → 109).
    const v = new Float32Array(20);
    v.fill(10 / 255, 0, 5);
    v.fill(20 / 255, 5, 10);
    v.fill(200 / 255, 10, 20);
    expect(otsuLevel(v)).toBe(109.5 / 255);
    // Flat image: no split, falls back to mid-gray.
    expect(otsuLevel(new Float32Array(9).fill(0.3))).toBe(0.5);
  });

  it('otsu matches a brute-force between-class variance search', () => {
    const data = bimodal().data;
    const bins = new Array(256).fill(0);
    for (const x of data) bins[Math.round(x * 255)]++;
    const between: number[] = [];
    for (let k = 0; k < 255; k++) {
      let n0 = 0, s0 = 0, n1 = 0, s1 = 0;
      for (let b = 0; b <= k; b++) (n0 += bins[b]), (s0 += b * bins[b]);
      for (let b = k + 1; b < 256; b++) (n1 += bins[b]), (s1 += b * bins[b]);
      if (!n0 || !n1) continue;
      between[k] = n0 * n1 * (s0 / n0 - s1 / n1) ** 2;
    }
    // Ties (empty bins between the populations) resolve to the middle of the tied range.
    const best = Math.max(...between.filter((v) => v !== undefined));
    const tied = between.flatMap((v, k) => (v !== undefined && Math.abs(v - best) <= best * 1e-9 ? [k] : []));
    expect(tied.length).toBeGreaterThan(1);
    expect(otsuLevel(data)).toBe((Math.floor((tied[0] + tied[tied.length - 1]) / 2) + 0.5) / 255);
  });

  it('adaptive mean: window mean equals a brute-force mean (borders replicated)', () => {
    const { data, width, height } = noise(20, 15, 4);
    const r = 3;
    const mean = localMean(data, width, height, r);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let s = 0, n = 0;
        const c = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
        for (let yy = y - r; yy <= y + r; yy++)
          for (let xx = x - r; xx <= x + r; xx++) (s += data[c(yy, height) * width + c(xx, width)]), n++;
        expect(mean[y * width + x]).toBeCloseTo(s / n, 12);
      }
  });

  it('adaptive: flat areas are paper for a positive offset and ink for a negative one', () => {
    const f = flat(12, 9, 0.4).data;
    for (const window of ['mean', 'gaussian'] as const) {
      expect(Array.from(thresholdAdaptive(f, 12, 9, { window, radius: 2, offset: 0.02 })).every((v) => v === 1)).toBe(true);
      expect(Array.from(thresholdAdaptive(f, 12, 9, { window, radius: 2, offset: -0.02 })).every((v) => v === 0)).toBe(true);
    }
  });

  it('adaptive: a dot darker than its surroundings is ink, the rest paper', () => {
    const img = gray(9, 9, (x, y) => (x === 4 && y === 4 ? 0.6 : 0.8));
    for (const window of ['mean', 'gaussian'] as const) {
      const out = thresholdAdaptive(img.data, 9, 9, { window, radius: 2, offset: 0.02 });
      expect(out.reduce((a, b) => a + b, 0)).toBe(80);
      expect(out[40]).toBe(0);
    }
  });

  it('gaussian kernel: OpenCV sigma formula, normalised', () => {
    const k = gaussianKernel(1);
    const e = Math.exp(-1 / (2 * 0.8 * 0.8));
    expect(k[0]).toBeCloseTo(e / (1 + 2 * e), 12);
    expect(gaussianKernel(7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('threshold step (golden, bit-exact)', () => {
  it('fixed, sRGB-coded gray (default)', async () => {
    expectGolden('threshold-fixed', await run({}, testCard()));
  });
  it('fixed, linear light', async () => {
    expectGolden('threshold-fixed-linear', await run({ space: 'linear', value: 0.5 }, testCard()));
  });
  it('otsu on a noisy two-population image', async () => {
    const out = await run({ mode: 'otsu' }, bimodal());
    expectGolden('threshold-otsu', out);
  });
  it('adaptive mean under uneven light', async () => {
    expectGolden('threshold-adaptive-mean', await run({ mode: 'adaptive', radius: 4 }, unevenPage()));
  });
  it('adaptive gaussian under uneven light', async () => {
    expectGolden('threshold-adaptive-gaussian', await run({ mode: 'adaptive', window: 'gaussian', radius: 4 }, unevenPage()));
  });

  it.each(['mean', 'gaussian'])('adaptive %s on noise (radius 2)', async (window) => {
    expectGolden(`threshold-adaptive-${window}-noise`, await run({ mode: 'adaptive', window, radius: 2, offset: 0 }, noise(32, 16, 11)));
  });

  it('adaptive keeps strokes that a fixed level loses in the dark', async () => {
    const page = unevenPage();
    const fixed = await run({}, page);
    const adaptive = await run({ mode: 'adaptive', radius: 4 }, page);
    // Dimmest columns (44..47): fixed turns them all ink, adaptive keeps the paper between strokes.
    const share = (img: BinaryTensor) => {
      let n = 0, w = 0;
      for (let y = 0; y < img.height; y++) for (let x = 44; x < 48; x++) (n++), (w += img.data[y * img.width + x]);
      return w / n;
    };
    expect(share(fixed)).toBeLessThan(0.05);
    expect(share(adaptive)).toBeGreaterThan(0.5);
  });

  it('space: the same pixel is paper in sRGB and ink in linear light', async () => {
    const px = flat(1, 1, 0.3, 'linear'); // sRGB-coded ≈ 0.584
    expect((await run({}, px)).data[0]).toBe(1);
    expect((await run({ space: 'linear' }, px)).data[0]).toBe(0);
  });

  it('pure black stays ink and pure white stays paper in every mode', async () => {
    const bw = gray(8, 8, (x) => (x < 4 ? 0 : 1));
    for (const o of [{}, { mode: 'otsu' }, { mode: 'adaptive' }, { mode: 'adaptive', window: 'gaussian' }, { value: 0 }, { value: 0.999 }]) {
      const out = await run(o, bw);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(out.data[y * 8 + x]).toBe(x < 4 ? 0 : 1);
    }
  });

  it('flat mid-gray: fixed at 0.5 in sRGB makes sRGB 0.6 paper and 0.4 ink', async () => {
    expect(whiteShare(await run({}, flat(4, 4, 0.6, 'srgb')))).toBe(1);
    expect(whiteShare(await run({}, flat(4, 4, 0.4, 'srgb')))).toBe(0);
  });

  it('output is a binary tensor and keeps the palette', async () => {
    const palette = { ink: { r: 1, g: 2, b: 3 }, paper: { r: 250, g: 250, b: 240 } };
    const out = await run({}, { ...flat(3, 2, 1), palette });
    expect(out).toMatchObject({ width: 3, height: 2, channels: 1, range: 'binary', palette });
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(threshold.accepts).toEqual({ channels: [1], range: ['unit'] });
    expect(threshold.produces({ channels: 1, range: 'unit', space: 'srgb' }, threshold.defaults)).toEqual({ channels: 1, range: 'binary', space: 'linear' });
  });
});

describe('threshold options', () => {
  const accept: [unknown, Partial<ThresholdOptions>][] = [
    [undefined, { mode: 'fixed', value: 0.5, space: 'srgb', window: 'mean', radius: 7, offset: 0.02 }],
    [{ use: 'threshold', mode: 'otsu' }, { mode: 'otsu' }],
    [{ value: 0 }, { value: 0 }],
    [{ value: 1, space: 'linear' }, { value: 1, space: 'linear' }],
    [{ mode: 'adaptive', window: 'gaussian', radius: 1, offset: -1 }, { window: 'gaussian', radius: 1, offset: -1 }],
  ];
  it.each(accept)('accepts %j', (input, expected) => {
    expect(threshold.parseOptions(input, 'steps[1]')).toMatchObject(expected);
  });

  const reject: [unknown, string][] = [
    [{ mode: 'otsu2' }, 'Expected one of "fixed", "otsu", "adaptive" for steps[1].mode but received "otsu2"'],
    [{ value: 1.5 }, 'Expected a number between 0 and 1 for steps[1].value but received 1.5'],
    [{ value: -0.1 }, 'Expected a number between 0 and 1 for steps[1].value but received -0.1'],
    [{ value: '0.5' }, 'Expected a number between 0 and 1 for steps[1].value but received "0.5"'],
    [{ space: 'rgb' }, 'Expected one of "srgb", "linear" for steps[1].space but received "rgb"'],
    [{ window: 'box' }, 'Expected one of "mean", "gaussian" for steps[1].window but received "box"'],
    [{ radius: 0 }, 'Expected an integer >= 1 for steps[1].radius but received 0'],
    [{ radius: 2.5 }, 'Expected an integer >= 1 for steps[1].radius but received 2.5'],
    [{ offset: 2 }, 'Expected a number between -1 and 1 for steps[1].offset but received 2'],
    [{ levle: 0.5 }, 'Unknown option steps[1].levle'],
    [{ vaule: 0.5 }, 'Unknown option steps[1].vaule (did you mean "value"?)'],
  ];
  it.each(reject)('rejects %j', (input, message) => {
    expect(() => threshold.parseOptions(input, 'steps[1]')).toThrow(message);
  });
});
