/**
 * Binarisation kernels on 1-channel unit Float32Arrays. Output: Uint8Array,
 * 1 = paper (white), 0 = ink. Convention as OpenCV's THRESH_BINARY: a pixel is
 * paper when its value is strictly greater than the threshold.
 */
import { gaussianTaps } from '../../kernels/gaussian.js';

/** Global threshold: paper when v > level. */
export function thresholdFixed(data: Float32Array, level: number, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  for (let i = 0; i < data.length; i++) out[i] = +(data[i] > level); // unary + of a boolean: branch-free, 4x faster on noisy input
  return out;
}

/**
 * Otsu's threshold (N. Otsu, "A threshold selection method from gray-level
 * histograms", IEEE Trans. SMC 9(1), 1979): on a 256-bin histogram
 * (bin = round(v·255)) pick the split k maximising the between-class variance
 * ω0·ω1·(μ0−μ1)². Where several k tie (e.g. a two-valued image) the middle of
 * the tied range is used, so a pure black-and-white image splits at mid-gray.
 *
 * Returns a level for `thresholdFixed`: (k + 0.5)/255, the boundary between
 * bin k (ink) and bin k+1 (paper). A flat image has no split and returns 0.5.
 */
export function otsuLevel(data: Float32Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < data.length; i++) {
    let b = (data[i] * 255 + 0.5) | 0;
    b = b < 0 ? 0 : b > 255 ? 255 : b;
    hist[b]++;
  }
  const total = data.length;
  let sumAll = 0;
  for (let b = 0; b < 256; b++) sumAll += b * hist[b];
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let first = -1;
  let last = -1;
  for (let k = 0; k < 255; k++) {
    w0 += hist[k];
    sum0 += k * hist[k];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const d = sum0 / w0 - (sumAll - sum0) / w1;
    const between = w0 * w1 * d * d;
    // Relative tolerance so ties in exact arithmetic are ties here too.
    if (between > best * (1 + 1e-12)) {
      best = between;
      first = last = k;
    } else if (best > 0 && between >= best * (1 - 1e-12)) {
      last = k;
    }
  }
  if (first < 0) return 0.5;
  const k = Math.floor((first + last) / 2);
  return (k + 0.5) / 255;
}

export type AdaptiveWindow = 'mean' | 'gaussian';

export interface AdaptiveOptions {
  window: AdaptiveWindow;
  /** Window half-size in pixels: the window is (2·radius+1)² (gaussian: kernel size 2·radius+1). */
  radius: number;
  /** Paper when v > localMean − offset (OpenCV adaptiveThreshold's C). Positive offsets turn flat areas to paper. */
  offset: number;
}

/**
 * Local mean over a (2r+1)² window from a summed-area table (Crow 1984;
 * Viola & Jones 2001): O(1) per pixel whatever the radius. The table is built
 * over the image padded by r replicated pixels (OpenCV's BORDER_REPLICATE, as
 * the Gaussian window uses), so a window at the border is not one-sided and
 * an illumination gradient does not leave a line of ink along the edges.
 */
export function localMean(data: Float32Array, width: number, height: number, radius: number): Float64Array {
  const r = radius;
  const pw = width + 2 * r;
  const ph = height + 2 * r;
  const W1 = pw + 1;
  const sat = new Float64Array(W1 * (ph + 1));
  const lastX = width - 1;
  const lastY = height - 1;
  for (let py = 0; py < ph; py++) {
    const sy = py - r < 0 ? 0 : py - r > lastY ? lastY : py - r;
    const so = sy * width;
    const to = (py + 1) * W1;
    const po = py * W1;
    const left = data[so];
    const right = data[so + lastX];
    let row = 0;
    let px = 0;
    for (; px < r; px++) sat[to + px + 1] = sat[po + px + 1] + (row += left);
    for (let x = 0; x < width; x++, px++) sat[to + px + 1] = sat[po + px + 1] + (row += data[so + x]);
    for (; px < pw; px++) sat[to + px + 1] = sat[po + px + 1] + (row += right);
  }
  const mean = new Float64Array(width * height);
  const side = 2 * r + 1;
  const inv = 1 / (side * side);
  for (let y = 0; y < height; y++) {
    // Padded window rows y .. y+2r → table rows y and y+2r+1.
    const a = y * W1;
    const b = (y + side) * W1;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      mean[o + x] = (sat[b + x + side] - sat[b + x] - sat[a + x + side] + sat[a + x]) * inv;
    }
  }
  return mean;
}

/**
 * Normalised 1-D Gaussian of size 2r+1 with the sigma OpenCV derives from a
 * kernel size (getGaussianKernel: σ = 0.3·((ksize−1)/2 − 1) + 0.8; OpenCV
 * itself swaps in fixed tables for ksize ≤ 7, we always use the formula).
 */
export function gaussianKernel(radius: number, sigma = 0.3 * (radius - 1) + 0.8): Float64Array {
  return gaussianTaps(sigma, radius);
}

/**
 * Separable Gaussian blur of a 1-channel image, edges replicated (OpenCV
 * BORDER_REPLICATE). The kernel is symmetric, so mirrored taps are added
 * before multiplying (half the multiplies).
 */
export function gaussianBlur(data: Float32Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const r = (kernel.length - 1) >> 1;
  const k0 = kernel[r];
  const tmp = new Float64Array(width * height);
  const out = new Float64Array(width * height);
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const c = o + x;
      let acc = k0 * data[c];
      if (x >= r && x + r <= last) {
        for (let i = 1; i <= r; i++) acc += kernel[r + i] * (data[c - i] + data[c + i]);
      } else {
        for (let i = 1; i <= r; i++) {
          const a = x - i < 0 ? 0 : x - i;
          const b = x + i > last ? last : x + i;
          acc += kernel[r + i] * (data[o + a] + data[o + b]);
        }
      }
      tmp[c] = acc;
    }
  }
  const lastRow = height - 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = k0 * tmp[o + x];
    for (let i = 1; i <= r; i++) {
      const pa = (y - i < 0 ? 0 : y - i) * width;
      const pb = (y + i > lastRow ? lastRow : y + i) * width;
      const w = kernel[r + i];
      for (let x = 0; x < width; x++) out[o + x] += w * (tmp[pa + x] + tmp[pb + x]);
    }
  }
  return out;
}

/** Adaptive threshold (OpenCV adaptiveThreshold, THRESH_BINARY): paper when v > localMean − offset. */
export function thresholdAdaptive(data: Float32Array, width: number, height: number, options: AdaptiveOptions, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  const { window, radius, offset } = options;
  const mean = window === 'mean' ? localMean(data, width, height, radius) : gaussianBlur(data, width, height, gaussianKernel(radius));
  for (let i = 0; i < data.length; i++) out[i] = +(data[i] > mean[i] - offset);
  return out;
}
