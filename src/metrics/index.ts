/**
 * Quality metrics for a binary image against its continuous-tone source, as
 * defined in shared/design/QUALITY.md. Everything is scored at the logical
 * grid size: the caller passes the reference ALREADY resized to the binary
 * image's size (area average in linear light; resizing lives in the resize
 * plugin, not here).
 *
 * Definitions (Y = reference luminance, B = binary 0/1, both width × height):
 *
 * - Reference (`referenceFrom`): luminance in linear light, Y = 0.2126 R +
 *   0.7152 G + 0.0722 B on LINEAR values (Rec. 709 / sRGB weights, `LUMA` in
 *   image/color.ts; sRGB input decoded through the 16-bit LUT). For the
 *   secondary 'srgb' columns Y is the sRGB-coded value of that same
 *   luminance. One-channel input is taken as gray already; alpha is ignored.
 * - Low-pass (gaussian.ts): separable Gaussian as
 *   scipy.ndimage.gaussian_filter(mode='reflect', truncate=4): radius
 *   floor(4σ + 0.5) (σ 1.5 → 13 taps, σ 1.0 → 9 taps), normalised taps,
 *   half-sample symmetric borders `d c b a | a b c d | d c b a`.
 * - Tone PSNR (dB) = 10·log10(1 / MSE), MSE = mean over ALL pixels of
 *   (blur(Y) − blur(B))², for σ 1.5 (`tonePsnr15`) and σ 1.0
 *   (`tonePsnr10`). Identical low-passed images (MSE 0) would give +∞; the
 *   figure is capped at `PSNR_CAP` = 100 dB so averages stay finite.
 * - SSIM (ssim.ts) = mean SSIM of blur₁.₅(Y) and blur₁.₅(B): Wang et al.
 *   2004 with K1 0.01, K2 0.03, data range 1, 11×11 Gaussian window σ 1.5,
 *   population covariances, averaged over the valid region (5-pixel border
 *   cropped) exactly as skimage's structural_similarity(gaussian_weights=True,
 *   use_sample_covariance=False, data_range=1).
 * - Tone bias = mean(B) − mean(Y) over the unblurred images: > 0 means the
 *   output is lighter than the source.
 *
 * A binary image is the same in both spaces (0 and 1 code to themselves), so
 * `evaluate` scores the one binary plane against both references.
 * Internally the blur's linearity is used: blur(Y) − blur(B) = blur(Y − B).
 *
 * Speed (Node 20, one thread, shared 2-core dev box, best of 20×50 runs):
 * 128×96 `scoreBinary` ≈ 1.2 ms (3 blurs ≈ 0.16 ms each + fused SSIM
 * ≈ 0.65 ms); `evaluate` (both spaces) ≈ 2.5 ms. metrics.test.ts logs it.
 */
import { LUMA, linearToSrgbTable, srgbToLinearTable } from '../image/color.js';
import { PixelError } from '../pipeline/errors.js';
import type { BinaryTensor, ColorSpace, ToneTensor } from '../pipeline/types.js';
import { gaussianBlur } from './gaussian.js';
import type { Plane } from './gaussian.js';
import { ssim } from './ssim.js';
import { edgeF1, orphanRate } from './readability.js';

export { gaussianBlur, gaussianKernel, gaussianRadius, reflectIndex, DEFAULT_TRUNCATE } from './gaussian.js';
export type { Plane } from './gaussian.js';
export { edgeF1, edgeMap, orphanRate, EDGE_LEVEL, EDGE_SIGMA } from './readability.js';
export { ssim, SSIM_K1, SSIM_K2, SSIM_SIGMA, SSIM_TRUNCATE } from './ssim.js';

/** PSNR reported for identical images (MSE 0), in dB. */
export const PSNR_CAP = 100;
/** The eye-model blurs of QUALITY.md, in grid pixels. */
export const SIGMA_MAIN = 1.5;
export const SIGMA_FINE = 1.0;
/** The coarse blur of the pixel-art figures. */
export const SIGMA_COARSE = 2.0;

export interface Scores {
  /** Tone PSNR in dB after a σ 1.5 Gaussian on both images (capped at 100). */
  tonePsnr15: number;
  /** The same with σ 1.0. */
  tonePsnr10: number;
  /** Mean SSIM of the σ 1.5 low-passed pair. */
  ssim: number;
  /** mean(B) − mean(Y). */
  toneBias: number;
  /** Tone PSNR with σ 2 (pixel art may trade fine tone for structure, not coarse tone). */
  tonePsnr20: number;
  /** F1 of B's edges against Y's, 1-px tolerance (readability.ts). */
  edgeF1: number;
  /** Fraction of pixels whose 8 neighbours all have the other colour (the same in both spaces). */
  orphans: number;
  /** The same with the 4 edge neighbours (also counts 1-px diagonals and checkers). */
  orphans4: number;
}

export interface Evaluation {
  /** Primary figures: reference in linear light. */
  linear: Scores;
  /** Secondary figures: reference as sRGB-coded gray. */
  srgb: Scores;
}

const LUT_MAX = 65535;

/**
 * One-channel luminance of a tone tensor (same size) in the requested space:
 * Rec. 709 weights on linear values; for 'srgb' the coded value of that
 * luminance. Returns a new Float32Array of width × height values.
 */
export function referenceFrom(tone: ToneTensor, space: ColorSpace): Float32Array {
  const n = tone.width * tone.height;
  const c = tone.channels;
  const src = tone.data;
  const out = new Float32Array(n);
  if (c === 1) {
    if (tone.space === space) {
      out.set(src.subarray(0, n));
      return out;
    }
    const table = space === 'linear' ? srgbToLinearTable() : linearToSrgbTable();
    for (let i = 0; i < n; i++) out[i] = table[lutIndex(src[i])];
    return out;
  }
  const decode = tone.space === 'srgb' ? srgbToLinearTable() : undefined;
  const encode = space === 'srgb' ? linearToSrgbTable() : undefined;
  const wr = LUMA.r;
  const wg = LUMA.g;
  const wb = LUMA.b;
  for (let i = 0, j = 0; i < n; i++, j += c) {
    let r = src[j];
    let g = src[j + 1];
    let b = src[j + 2];
    if (decode) {
      r = decode[lutIndex(r)];
      g = decode[lutIndex(g)];
      b = decode[lutIndex(b)];
    }
    const y = wr * r + wg * g + wb * b;
    out[i] = encode ? encode[lutIndex(y)] : y;
  }
  return out;
}

/** LUT slot of a unit value, clamped (NaN → 0), as color.ts rounds. */
function lutIndex(v: number): number {
  const i = (v * LUT_MAX + 0.5) | 0;
  return i < 0 ? 0 : i > LUT_MAX ? LUT_MAX : i;
}

/** 10·log10(1 / mean((a − b)²)) over the first `length` values, capped at PSNR_CAP. */
export function psnr(a: Plane, b: Plane, length = Math.min(a.length, b.length)): number {
  let s = 0;
  for (let i = 0; i < length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return capPsnr(s / length);
}

function capPsnr(mse: number): number {
  const db = -10 * Math.log10(mse); // +∞ when mse is 0
  return db > PSNR_CAP ? PSNR_CAP : db;
}

// Float64 scratch shared by all calls (grown on demand).
let diff = new Float64Array(0);
let e15 = new Float64Array(0);
let e10 = new Float64Array(0);
let x15 = new Float64Array(0);
let e20 = new Float64Array(0);

/**
 * The blur is linear, so blur(Y) − blur(B) = blur(Y − B): each PSNR costs one
 * blur of the difference, and blur(B) for SSIM is blur(Y) − blur(Y − B).
 * Three blurs plus the fused SSIM pass per score.
 */
function scoreCore(reference: Plane, binary: Uint8Array, width: number, height: number): Scores {
  const n = width * height;
  if (diff.length < n) {
    diff = new Float64Array(n);
    e15 = new Float64Array(n);
    e10 = new Float64Array(n);
    x15 = new Float64Array(n);
    e20 = new Float64Array(n);
  }
  const d = diff;
  let sumY = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const y = reference[i];
    const b = binary[i] ? 1 : 0;
    sumY += y;
    ones += b;
    d[i] = y - b;
  }
  const a15 = gaussianBlur(d, width, height, SIGMA_MAIN, e15);
  const a10 = gaussianBlur(d, width, height, SIGMA_FINE, e10);
  const a20 = gaussianBlur(d, width, height, SIGMA_COARSE, e20);
  let s15 = 0;
  let s10 = 0;
  let s20 = 0;
  for (let i = 0; i < n; i++) {
    s15 += a15[i] * a15[i];
    s10 += a10[i] * a10[i];
    s20 += a20[i] * a20[i];
  }
  const x = gaussianBlur(reference, width, height, SIGMA_MAIN, x15);
  for (let i = 0; i < n; i++) d[i] = x[i] - a15[i]; // blur(B), reusing the scratch
  return {
    tonePsnr15: capPsnr(s15 / n),
    tonePsnr10: capPsnr(s10 / n),
    ssim: ssim(x, d, width, height),
    toneBias: (ones - sumY) / n,
    tonePsnr20: capPsnr(s20 / n),
    edgeF1: edgeF1(reference, binary, width, height),
    orphans: orphanRate(binary, width, height, 8),
    orphans4: orphanRate(binary, width, height, 4),
  };
}

function checkSizes(what: string, reference: ArrayLike<number>, binary: ArrayLike<number>, width: number, height: number): void {
  const n = width * height;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new PixelError('E_INTERNAL', `${what}: expected a positive integer size but received ${width}x${height}`);
  if (reference.length !== n || binary.length !== n)
    throw new PixelError(
      'E_INTERNAL',
      `${what}: expected ${n} reference and binary values for ${width}x${height} but received ${reference.length} and ${binary.length}`,
      { hint: 'resize the reference to the binary image size before scoring' },
    );
}

/**
 * The QUALITY.md figures for one binary image. `reference` is Y in the
 * space the caller wants scored (unit values, same size as `binary`).
 */
export function scoreBinary(reference: Float32Array, binary: Uint8Array, width: number, height: number): Scores {
  checkSizes('scoreBinary', reference, binary, width, height);
  return scoreCore(reference, binary, width, height);
}

/** Linear-light (primary) and sRGB-coded (secondary) figures of `binary` against `source` (already at its size). */
export function evaluate(source: ToneTensor, binary: BinaryTensor): Evaluation {
  const { width, height } = binary;
  if (source.width !== width || source.height !== height)
    throw new PixelError(
      'E_INTERNAL',
      `evaluate: expected a ${width}x${height} source but received ${source.width}x${source.height}`,
      { hint: 'resize the source to the binary grid size before scoring' },
    );
  const linearY = referenceFrom(source, 'linear');
  const srgbY = referenceFrom(source, 'srgb');
  checkSizes('evaluate', linearY, binary.data, width, height);
  return {
    linear: scoreCore(linearY, binary.data, width, height),
    srgb: scoreCore(srgbY, binary.data, width, height),
  };
}
