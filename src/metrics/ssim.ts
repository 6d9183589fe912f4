/**
 * Mean SSIM (Wang, Bovik, Sheikh, Simoncelli 2004, "Image quality
 * assessment: from error visibility to structural similarity", IEEE TIP 13)
 * with the conventions of scikit-image's
 * `structural_similarity(a, b, data_range=1, gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False)`:
 *
 * - Local statistics weighted by a normalised Gaussian, σ 1.5, truncate 3.5
 *   → radius floor(3.5·1.5 + 0.5) = 5, the 11×11 window of Wang et al.
 * - Population (co)variances: v = G*(x²) − (G*x)², no N/(N−1) factor.
 * - C1 = (0.01·1)², C2 = (0.03·1)².
 * - The SSIM map is averaged over the "valid" region only: skimage crops
 *   (win − 1)/2 = 5 pixels from every side, so every averaged value used a
 *   window lying fully inside the image and the border mode never matters.
 *   skimage refuses images smaller than the window; here an axis shorter
 *   than 11 pixels is not cropped and its window is completed by scipy
 *   'reflect' borders (the same blur as gaussian.ts), so tiny images still
 *   get a figure.
 */
import { gaussianKernel, reflectTable } from './gaussian.js';
import type { Plane } from './gaussian.js';

export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;
export const SSIM_SIGMA = 1.5;
/** skimage sets truncate 3.5 with gaussian_weights so that σ 1.5 gives 11 taps. */
export const SSIM_TRUNCATE = 3.5;
const R = 5; // floor(3.5 · 1.5 + 0.5): the window is 2R + 1 = 11 wide

// Horizontal window sums of x, y, x², y², xy (float64 scratch, grown on demand).
let hx = new Float64Array(0);
let hy = new Float64Array(0);
let hxx = new Float64Array(0);
let hyy = new Float64Array(0);
let hxy = new Float64Array(0);
let lx = new Float64Array(0);
let ly = new Float64Array(0);
let lxx = new Float64Array(0);
let lyy = new Float64Array(0);
let lxy = new Float64Array(0);
let colTable: Int32Array = new Int32Array(0);
let rowTable: Int32Array = new Int32Array(0);

/**
 * Mean SSIM of two `width × height` planes with values in 0..1 (data range 1).
 * The five Gaussian-weighted moments are computed in one fused separable
 * pass (radius 5, unrolled), the vertical half only where the map is averaged.
 */
export function ssim(a: Plane, b: Plane, width: number, height: number): number {
  const n = width * height;
  if (a.length < n || b.length < n) throw new RangeError(`ssim: planes must hold ${width}x${height} = ${n} values`);
  if (n === 0) return 1;
  const px = width >= 2 * R + 1 ? R : 0;
  const py = height >= 2 * R + 1 ? R : 0;
  if (hx.length < n) {
    hx = new Float64Array(n);
    hy = new Float64Array(n);
    hxx = new Float64Array(n);
    hyy = new Float64Array(n);
    hxy = new Float64Array(n);
  }
  if (lx.length < width + 2 * R) {
    lx = new Float64Array(width + 2 * R);
    ly = new Float64Array(width + 2 * R);
    lxx = new Float64Array(width + 2 * R);
    lyy = new Float64Array(width + 2 * R);
    lxy = new Float64Array(width + 2 * R);
  }
  const Hx = hx, Hy = hy, Hxx = hxx, Hyy = hyy, Hxy = hxy;
  const Lx = lx, Ly = ly, Lxx = lxx, Lyy = lyy, Lxy = lxy;
  const w = gaussianKernel(SSIM_SIGMA, SSIM_TRUNCATE);
  const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];

  // Horizontal pass over every row (the vertical window reaches the border
  // rows) but only for the columns that are averaged.
  const cols = (colTable = reflectTable(colTable, width, R));
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let i = 0; i < width + 2 * R; i++) {
      const u = a[base + cols[i]];
      const v = b[base + cols[i]];
      Lx[i] = u;
      Ly[i] = v;
      Lxx[i] = u * u;
      Lyy[i] = v * v;
      Lxy[i] = u * v;
    }
    for (let x = px; x < width - px; x++) {
      const c = x + R;
      const o = base + x;
      Hx[o] = w0 * Lx[c] + w1 * (Lx[c - 1] + Lx[c + 1]) + w2 * (Lx[c - 2] + Lx[c + 2]) + w3 * (Lx[c - 3] + Lx[c + 3]) + w4 * (Lx[c - 4] + Lx[c + 4]) + w5 * (Lx[c - 5] + Lx[c + 5]);
      Hy[o] = w0 * Ly[c] + w1 * (Ly[c - 1] + Ly[c + 1]) + w2 * (Ly[c - 2] + Ly[c + 2]) + w3 * (Ly[c - 3] + Ly[c + 3]) + w4 * (Ly[c - 4] + Ly[c + 4]) + w5 * (Ly[c - 5] + Ly[c + 5]);
      Hxx[o] = w0 * Lxx[c] + w1 * (Lxx[c - 1] + Lxx[c + 1]) + w2 * (Lxx[c - 2] + Lxx[c + 2]) + w3 * (Lxx[c - 3] + Lxx[c + 3]) + w4 * (Lxx[c - 4] + Lxx[c + 4]) + w5 * (Lxx[c - 5] + Lxx[c + 5]);
      Hyy[o] = w0 * Lyy[c] + w1 * (Lyy[c - 1] + Lyy[c + 1]) + w2 * (Lyy[c - 2] + Lyy[c + 2]) + w3 * (Lyy[c - 3] + Lyy[c + 3]) + w4 * (Lyy[c - 4] + Lyy[c + 4]) + w5 * (Lyy[c - 5] + Lyy[c + 5]);
      Hxy[o] = w0 * Lxy[c] + w1 * (Lxy[c - 1] + Lxy[c + 1]) + w2 * (Lxy[c - 2] + Lxy[c + 2]) + w3 * (Lxy[c - 3] + Lxy[c + 3]) + w4 * (Lxy[c - 4] + Lxy[c + 4]) + w5 * (Lxy[c - 5] + Lxy[c + 5]);
    }
  }

  // Vertical pass fused with the SSIM formula: the moments are never stored.
  const c1 = (SSIM_K1 * 1) ** 2;
  const c2 = (SSIM_K2 * 1) ** 2;
  const rows = (rowTable = reflectTable(rowTable, height, R));
  let sum = 0;
  for (let y = py; y < height - py; y++) {
    const c = y * width;
    const m1 = rows[y + 4] * width, p1 = rows[y + 6] * width;
    const m2 = rows[y + 3] * width, p2 = rows[y + 7] * width;
    const m3 = rows[y + 2] * width, p3 = rows[y + 8] * width;
    const m4 = rows[y + 1] * width, p4 = rows[y + 9] * width;
    const m5 = rows[y] * width, p5 = rows[y + 10] * width;
    for (let x = px; x < width - px; x++) {
      const ux = w0 * Hx[c + x] + w1 * (Hx[m1 + x] + Hx[p1 + x]) + w2 * (Hx[m2 + x] + Hx[p2 + x]) + w3 * (Hx[m3 + x] + Hx[p3 + x]) + w4 * (Hx[m4 + x] + Hx[p4 + x]) + w5 * (Hx[m5 + x] + Hx[p5 + x]);
      const uy = w0 * Hy[c + x] + w1 * (Hy[m1 + x] + Hy[p1 + x]) + w2 * (Hy[m2 + x] + Hy[p2 + x]) + w3 * (Hy[m3 + x] + Hy[p3 + x]) + w4 * (Hy[m4 + x] + Hy[p4 + x]) + w5 * (Hy[m5 + x] + Hy[p5 + x]);
      const uxx = w0 * Hxx[c + x] + w1 * (Hxx[m1 + x] + Hxx[p1 + x]) + w2 * (Hxx[m2 + x] + Hxx[p2 + x]) + w3 * (Hxx[m3 + x] + Hxx[p3 + x]) + w4 * (Hxx[m4 + x] + Hxx[p4 + x]) + w5 * (Hxx[m5 + x] + Hxx[p5 + x]);
      const uyy = w0 * Hyy[c + x] + w1 * (Hyy[m1 + x] + Hyy[p1 + x]) + w2 * (Hyy[m2 + x] + Hyy[p2 + x]) + w3 * (Hyy[m3 + x] + Hyy[p3 + x]) + w4 * (Hyy[m4 + x] + Hyy[p4 + x]) + w5 * (Hyy[m5 + x] + Hyy[p5 + x]);
      const uxy = w0 * Hxy[c + x] + w1 * (Hxy[m1 + x] + Hxy[p1 + x]) + w2 * (Hxy[m2 + x] + Hxy[p2 + x]) + w3 * (Hxy[m3 + x] + Hxy[p3 + x]) + w4 * (Hxy[m4 + x] + Hxy[p4 + x]) + w5 * (Hxy[m5 + x] + Hxy[p5 + x]);
      // Population (co)variances, as Wang et al. 2004 (no N/(N−1)).
      const vx = uxx - ux * ux;
      const vy = uyy - uy * uy;
      const vxy = uxy - ux * uy;
      sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
  }
  return sum / ((width - 2 * px) * (height - 2 * py));
}
