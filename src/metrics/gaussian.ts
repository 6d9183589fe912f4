/**
 * Separable Gaussian blur on a one-channel plane, matching
 * `scipy.ndimage.gaussian_filter(x, sigma, mode='reflect', truncate=4.0)`:
 *
 * - Kernel: w[k] = exp(−k² / (2σ²)) for k = −r..r, divided by its sum
 *   (scipy.ndimage._filters._gaussian_kernel1d).
 * - Radius r = floor(truncate·σ + 0.5), scipy's rule (`int(truncate * sd + 0.5)`).
 *   For the σ used by the metrics it equals ceil(4σ): σ 1.5 → r 6 (13 taps),
 *   σ 1.0 → r 4 (9 taps).
 * - Borders: scipy 'reflect' = half-sample symmetric, the edge pixel repeated:
 *   `d c b a | a b c d | d c b a`. It extends periodically (period 2n), so
 *   it stays defined when the radius exceeds the image size.
 *
 * Arithmetic is in float64 (JS numbers, float64 scratch); the output is
 * rounded only when `out` is a Float32Array. Kernels up to radius 6 (all σ
 * ≤ 1.5 at truncate 4) run a hand-unrolled path, larger ones a tap loop;
 * both give the same sums in the same order.
 */

export type Plane = Float32Array | Float64Array;

/** scipy's default truncation of the Gaussian, in standard deviations. */
export const DEFAULT_TRUNCATE = 4;

const kernels = new Map<string, Float64Array>();

/** Radius of the truncated kernel, as scipy.ndimage computes it. */
export function gaussianRadius(sigma: number, truncate = DEFAULT_TRUNCATE): number {
  return Math.floor(truncate * sigma + 0.5);
}

/**
 * The half kernel w[0..r] (w[−k] = w[k]), normalised so that the full
 * 2r+1 taps sum to 1. Cached per (σ, truncate).
 */
export function gaussianKernel(sigma: number, truncate = DEFAULT_TRUNCATE): Float64Array {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`gaussian sigma must be a finite number >= 0, got ${sigma}`);
  if (!(truncate > 0) || !Number.isFinite(truncate)) throw new RangeError(`gaussian truncate must be a finite number > 0, got ${truncate}`);
  const key = `${sigma}/${truncate}`;
  let half = kernels.get(key);
  if (half) return half;
  const r = sigma === 0 ? 0 : gaussianRadius(sigma, truncate);
  half = new Float64Array(r + 1);
  let sum = 0;
  for (let k = 0; k <= r; k++) {
    const v = sigma === 0 ? 1 : Math.exp((-0.5 * k * k) / (sigma * sigma));
    half[k] = v;
    sum += k === 0 ? v : 2 * v;
  }
  for (let k = 0; k <= r; k++) half[k] /= sum;
  kernels.set(key, half);
  return half;
}

/** scipy 'reflect' (half-sample symmetric) index for any integer i and size n ≥ 1. */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return (m < n ? m : period - 1 - m) | 0; // | 0: no −0 from the remainder
}

// Scratch reused between calls (grown on demand): blur allocates nothing per call
// once warm. Single-threaded JS, and nothing here re-enters, so sharing is safe.
let line = new Float64Array(0);
let tmp = new Float64Array(0);
let colTable: Int32Array = new Int32Array(0);
let rowTable: Int32Array = new Int32Array(0);

/** t[i + r] = reflectIndex(i, n) for i in −r..n+r−1 (t is reused when long enough). */
export function reflectTable(t: Int32Array, n: number, r: number): Int32Array {
  if (t.length < n + 2 * r) t = new Int32Array(n + 2 * r);
  for (let i = -r; i < n + r; i++) t[i + r] = reflectIndex(i, n);
  return t;
}

/** Radius of the hand-unrolled fast path; kernels up to it are zero-padded to it. */
const FAST_RADIUS = 6;
const padded = new Float64Array(FAST_RADIUS + 1);

/**
 * Gaussian blur of a `width × height` plane into `out` (default: a new
 * Float32Array). `out` may be `data` itself.
 */
export function gaussianBlur<T extends Plane = Float32Array>(
  data: Plane,
  width: number,
  height: number,
  sigma: number,
  out?: T,
  truncate = DEFAULT_TRUNCATE,
): T {
  const n = width * height;
  if (data.length < n) throw new RangeError(`gaussianBlur: data has ${data.length} values, ${width}x${height} needs ${n}`);
  const dst = (out ?? new Float32Array(n)) as T;
  if (dst.length < n) throw new RangeError(`gaussianBlur: out has ${dst.length} values, ${width}x${height} needs ${n}`);
  if (n === 0) return dst;
  const w = gaussianKernel(sigma, truncate);
  if (w.length === 1) {
    if (dst !== data) for (let i = 0; i < n; i++) dst[i] = data[i];
    return dst;
  }
  if (w.length <= FAST_RADIUS + 1) {
    // Zero taps add exact zeros, so padding the kernel changes no result.
    padded.fill(0);
    padded.set(w);
    blur6(data, width, height, padded, dst);
  } else {
    blurGeneric(data, width, height, w, dst);
  }
  return dst;
}

/** Radius-6 separable pass pair, fully unrolled (≈2× the generic loop in V8). */
function blur6(data: Plane, width: number, height: number, w: Float64Array, dst: Plane): void {
  const r = FAST_RADIUS;
  if (line.length < width + 2 * r) line = new Float64Array(width + 2 * r);
  if (tmp.length < width * height) tmp = new Float64Array(width * height);
  // Locals, not module `let`s, inside the loops: V8 keeps them in registers.
  const ln = line;
  const tm = tmp;
  const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6];

  // Horizontal: pad each row by reflection, then convolve (one multiply per tap pair).
  const cols = (colTable = reflectTable(colTable, width, r));
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let i = 0; i < width + 2 * r; i++) ln[i] = data[base + cols[i]];
    for (let x = 0; x < width; x++) {
      const c = x + r;
      tm[base + x] =
        w0 * ln[c] +
        w1 * (ln[c - 1] + ln[c + 1]) +
        w2 * (ln[c - 2] + ln[c + 2]) +
        w3 * (ln[c - 3] + ln[c + 3]) +
        w4 * (ln[c - 4] + ln[c + 4]) +
        w5 * (ln[c - 5] + ln[c + 5]) +
        w6 * (ln[c - 6] + ln[c + 6]);
    }
  }

  // Vertical: reflected row offsets, inner loop along memory.
  const rows = (rowTable = reflectTable(rowTable, height, r));
  for (let y = 0; y < height; y++) {
    const c = y * width;
    const m1 = rows[y + 5] * width, p1 = rows[y + 7] * width;
    const m2 = rows[y + 4] * width, p2 = rows[y + 8] * width;
    const m3 = rows[y + 3] * width, p3 = rows[y + 9] * width;
    const m4 = rows[y + 2] * width, p4 = rows[y + 10] * width;
    const m5 = rows[y + 1] * width, p5 = rows[y + 11] * width;
    const m6 = rows[y] * width, p6 = rows[y + 12] * width;
    for (let x = 0; x < width; x++) {
      dst[c + x] =
        w0 * tm[c + x] +
        w1 * (tm[m1 + x] + tm[p1 + x]) +
        w2 * (tm[m2 + x] + tm[p2 + x]) +
        w3 * (tm[m3 + x] + tm[p3 + x]) +
        w4 * (tm[m4 + x] + tm[p4 + x]) +
        w5 * (tm[m5 + x] + tm[p5 + x]) +
        w6 * (tm[m6 + x] + tm[p6 + x]);
    }
  }
}

/** Any radius: the same two passes with a loop over taps. */
function blurGeneric(data: Plane, width: number, height: number, w: Float64Array, dst: Plane): void {
  const r = w.length - 1;
  if (line.length < width + 2 * r) line = new Float64Array(width + 2 * r);
  if (tmp.length < width * height) tmp = new Float64Array(width * height);
  const ln = line;
  const tm = tmp;
  const w0 = w[0];
  const cols = (colTable = reflectTable(colTable, width, r));
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let i = 0; i < width + 2 * r; i++) ln[i] = data[base + cols[i]];
    for (let x = 0; x < width; x++) {
      const c = x + r;
      let s = w0 * ln[c];
      for (let k = 1; k <= r; k++) s += w[k] * (ln[c - k] + ln[c + k]);
      tm[base + x] = s;
    }
  }
  const rows = (rowTable = reflectTable(rowTable, height, r));
  for (let y = 0; y < height; y++) {
    const c = y * width;
    for (let x = 0; x < width; x++) {
      let s = w0 * tm[c + x];
      for (let k = 1; k <= r; k++) s += w[k] * (tm[rows[y + r - k] * width + x] + tm[rows[y + r + k] * width + x]);
      dst[c + x] = s;
    }
  }
}
