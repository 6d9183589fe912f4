/**
 * Degraded renders of 1-bit icons: the gray, blurred, shifted, noisy image a
 * scan or an anti-aliased render of an icon would be, at a few times its
 * grid. Pairs of (render → the icon itself) train and score the icon-style
 * model (scripts/icon-pairs.ts, scripts/icon-style-eval.ts).
 *
 * Everything happens in sRGB-coded 8-bit gray, as a renderer or a scanner
 * writes it: area coverage of the icon's cells (4×4 samples per output
 * pixel, the icon moved by a sub-pixel shift), a Gaussian blur, ink and
 * paper levels that are neither black nor white, Gaussian noise. Seeded, so
 * a seed gives the same bytes everywhere.
 */
import { mulberry32 } from '../pipeline/random.js';

export interface Degradation {
  /** Output pixels per icon cell (24 · scale a whole number for 24-px icons). */
  scale: number;
  /** Shift of the drawing in icon cells (sub-pixel). */
  dx: number;
  dy: number;
  /** Gaussian blur σ in icon cells. */
  blur: number;
  /** Ink and paper levels, sRGB-coded 0..1. */
  ink: number;
  paper: number;
  /** Noise σ, sRGB-coded 0..1. */
  noise: number;
}

/** Upsampling factors: 24 × each is a whole number of pixels. */
export const RENDER_SCALES: readonly number[] = [2, 2.5, 3, 3.5, 4];

/** A random degradation with the given scale (a scan or anti-aliased render, fairly clean to rough). */
export function randomDegradation(next: () => number, scale: number): Degradation {
  const u = (a: number, b: number) => a + (b - a) * next();
  return { scale, dx: u(-0.35, 0.35), dy: u(-0.35, 0.35), blur: u(0.15, 0.6), ink: u(0.02, 0.4), paper: u(0.62, 0.97), noise: u(0, 0.05) };
}

function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Separable blur, borders clamped (paper continues past the edge). */
function blur(plane: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0) return plane;
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) >> 1;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * plane[y * w + Math.min(w - 1, Math.max(0, x + i))];
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
      out[y * w + x] = s;
    }
  return out;
}

/**
 * Renders `bits` (width × height cells, 1 = ink) degraded by `d`: an 8-bit
 * sRGB-coded gray image of round(width·scale) × round(height·scale) pixels.
 * `seed` drives the noise.
 */
export function renderIcon(bits: Uint8Array, width: number, height: number, d: Degradation, seed: number): { width: number; height: number; gray: Uint8Array } {
  const W = Math.round(width * d.scale);
  const H = Math.round(height * d.scale);
  const S = 4;
  const cover = new Float32Array(W * H);
  for (let Y = 0; Y < H; Y++)
    for (let X = 0; X < W; X++) {
      let ink = 0;
      for (let j = 0; j < S; j++) {
        const v = Math.floor((Y + (j + 0.5) / S) / d.scale - d.dy);
        if (v < 0 || v >= height) continue;
        for (let i = 0; i < S; i++) {
          const u = Math.floor((X + (i + 0.5) / S) / d.scale - d.dx);
          if (u >= 0 && u < width && bits[v * width + u]) ink++;
        }
      }
      cover[Y * W + X] = ink / (S * S);
    }
  const soft = blur(cover, W, H, d.blur * d.scale);
  const next = mulberry32(seed);
  const gray = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    // Box–Muller: one normal value per pixel.
    const n = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const v = d.paper + (d.ink - d.paper) * soft[i] + d.noise * n;
    gray[i] = Math.round(255 * Math.min(1, Math.max(0, v)));
  }
  return { width: W, height: H, gray };
}

/** Icons side by side, `cols` to a row (grid × grid each; missing cells are paper). */
export function mosaic(icons: readonly Uint8Array[], grid: number, cols: number, rows: number): Uint8Array {
  const w = grid * cols;
  const out = new Uint8Array(w * grid * rows);
  icons.slice(0, cols * rows).forEach((bits, k) => {
    const ox = (k % cols) * grid;
    const oy = Math.floor(k / cols) * grid;
    for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) out[(oy + y) * w + ox + x] = bits[y * grid + x];
  });
  return out;
}

/**
 * The held-out test renders: every icon at every scale of RENDER_SCALES, each
 * with its own seeded degradation (seeded by icon index and scale, so the
 * set is the same whatever else changes).
 */
export function testRenders(icons: readonly Uint8Array[], grid: number, scales: readonly number[] = RENDER_SCALES): { icon: number; scale: number; width: number; height: number; gray: Uint8Array }[] {
  const out = [];
  for (let i = 0; i < icons.length; i++)
    for (let k = 0; k < scales.length; k++) {
      const seed = (0x7e57 + i * 64 + k) >>> 0;
      const d = randomDegradation(mulberry32(seed), scales[k]);
      out.push({ icon: i, scale: scales[k], ...renderIcon(icons[i], grid, grid, d, seed ^ 0x5eed) });
    }
  return out;
}

/** Fraction of pixels where a result (1 = ink) matches the icon (1 = ink). */
export function pixelAccuracy(ink: Uint8Array, icon: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < icon.length; i++) if (ink[i] === icon[i]) same++;
  return same / icon.length;
}
