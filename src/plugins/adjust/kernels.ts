/**
 * Tone kernels for `adjust`. Point operations are folded into one 65536-entry
 * lookup table on the sRGB-coded value (the resolution of color.ts's LUTs),
 * so the per-pixel cost is one table read whatever the options.
 */
import { srgbToLinearExact } from '../../image/color.js';
import { gaussianTaps } from '../../kernels/gaussian.js';

export { luminance } from '../../image/color.js';

export interface ToneCurve {
  black: number;
  white: number;
  gamma: number;
  brightness: number;
  contrast: number;
  invert: boolean;
  /** Fold the sRGB → linear decode into the table (the last stage). */
  toLinear: boolean;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** One point operation on a coded value, in the documented order: levels → gamma → brightness → contrast → invert. */
export function toneValue(v: number, t: Omit<ToneCurve, 'toLinear'>): number {
  v = clamp01((v - t.black) / (t.white - t.black));
  // Levels gamma as in Photoshop/GIMP: out = in^(1/gamma); gamma > 1 lightens mid-tones.
  if (t.gamma !== 1) v = Math.pow(v, 1 / t.gamma);
  v = clamp01(v + t.brightness);
  if (t.contrast !== 0) {
    // GIMP's brightness-contrast slope, tan((c+1)·π/4), pivoting on mid-gray:
    // c = 0 → 1, c → 1 → a step at 0.5, c = −1 → flat gray.
    const slope = Math.tan(((t.contrast + 1) * Math.PI) / 4);
    v = clamp01((v - 0.5) * slope + 0.5);
  }
  if (t.invert) v = 1 - v;
  return v;
}

/** The curve as a table indexed by round(coded · 65535). */
export function toneTable(t: ToneCurve): Float32Array {
  const lut = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) {
    const v = toneValue(i / 65535, t);
    lut[i] = t.toLinear ? srgbToLinearExact(v) : v;
  }
  return lut;
}

/** Applies a 65536-entry table (values clamped to 0..1 before lookup). */
export function applyTable(data: Float32Array, lut: Float32Array, out: Float32Array = new Float32Array(data.length)): Float32Array {
  for (let i = 0; i < data.length; i++) {
    let j = (data[i] * 65535 + 0.5) | 0;
    j = j < 0 ? 0 : j > 65535 ? 65535 : j;
    out[i] = lut[j];
  }
  return out;
}

/**
 * Auto levels: the values below which and above which `clip` of the samples
 * lie (as GIMP's and Photoshop's auto levels "clip" percentage; 1024-bin histogram of all channels together, so hue is kept). Returns
 * undefined for an image with no spread (nothing to stretch).
 */
export function autoLevelsRange(data: Float32Array, clip: number): { black: number; white: number } | undefined {
  const BINS = 1024;
  const hist = new Uint32Array(BINS);
  for (let i = 0; i < data.length; i++) {
    let b = (data[i] * (BINS - 1) + 0.5) | 0;
    b = b < 0 ? 0 : b > BINS - 1 ? BINS - 1 : b;
    hist[b]++;
  }
  const limit = clip * data.length;
  let lo = 0;
  for (let acc = 0; lo < BINS - 1; lo++) {
    acc += hist[lo];
    if (acc > limit) break;
  }
  let hi = BINS - 1;
  for (let acc = 0; hi > 0; hi--) {
    acc += hist[hi];
    if (acc > limit) break;
  }
  if (hi <= lo) return undefined;
  // The inner edges of the two end bins, so every sample in them clips to pure
  // black / white (with clip 0 the darkest value becomes 0 and the lightest 1).
  if (hi - lo >= 2) return { black: (lo + 0.5) / (BINS - 1), white: (hi - 0.5) / (BINS - 1) };
  return { black: lo / (BINS - 1), white: hi / (BINS - 1) };
}

/**
 * Unsharp mask (as GIMP's and Photoshop's): out = v + amount·(v − blur(v))
 * where |v − blur(v)| > threshold, blur a Gaussian of the given sigma, edges
 * replicated. Along an outline the dark side gets darker and the light side
 * lighter, so a thin line keeps its ink after thresholding. Interleaved
 * channels are sharpened independently.
 */
export function unsharpMask(data: Float32Array, width: number, height: number, channels: number, amount: number, sigma: number, threshold: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = gaussianTaps(sigma, r);

  const c = channels;
  const rowLen = width * c;
  const tmp = new Float64Array(data.length);
  for (let y = 0; y < height; y++) {
    const o = y * rowLen;
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= width ? width - 1 : x + i;
          acc += k[i + r] * data[o + xx * c + ch];
        }
        tmp[o + x * c + ch] = acc;
      }
    }
  }
  const out = new Float32Array(data.length);
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let i = -r; i <= r; i++) {
      const yy = y + i < 0 ? 0 : y + i >= height ? height - 1 : y + i;
      const w = k[i + r];
      const p = yy * rowLen;
      for (let q = 0; q < rowLen; q++) acc[q] += w * tmp[p + q];
    }
    const o = y * rowLen;
    for (let q = 0; q < rowLen; q++) {
      const v = data[o + q];
      const d = v - acc[q];
      out[o + q] = d > threshold || -d > threshold ? clamp01(v + amount * d) : v;
    }
  }
  return out;
}
