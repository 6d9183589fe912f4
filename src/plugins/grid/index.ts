/**
 * grid: recovers the logical pixels of "fake" pixel art (upscaled, blurred,
 * JPEG-compressed or AI-made images whose cells are not on a clean grid).
 *
 * Detection: the edge strength between neighbouring columns (and rows) is
 * summed into a profile; for a cell size p the profile's phase coherence
 *   R(p) = |Σ g[x]·e^(2πi·x/p)| / Σ g[x]
 * is 1 when every edge sits on one grid of period p and near 0 for edges at
 * random places (a photo). Both axes share p (square cells). The angle of
 * the sum gives the phase: where the cell boundaries fall, to a fraction of
 * a pixel. Coherence alone is ambiguous (a grid of period P is as coherent at
 * P/2 when its edges are sharp, and art drawn with 2-px strokes is coherent
 * at 2P), so the peaks, multiples and fractions are compared by how well
 * one value per cell draws the image back: the largest size that does about
 * as well as the best is the cell.
 * Sampling: each cell becomes the per-channel median of its central half,
 * away from the blurred or ringing boundaries.
 *
 * The step reports the grid it found (or that it found none, and then leaves
 * the image as it is) through the run's notes.
 */
import { customField, enumField, numberField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type ImageTensor, type ToneTensor } from '../../pipeline/types.js';

export interface GridOptions {
  /** 'auto' detects the cell size; a number gives it (the phase is still detected). */
  size: 'auto' | number;
  /** Largest cell size searched, in pixels. */
  maxCell: number;
  /** Below this coherence the image is taken to have no grid. */
  minScore: number;
  /** How a cell becomes one pixel: the median of its central half, or its centre pixel. */
  sample: 'median' | 'center';
}

export const gridSchema: Schema<GridOptions> = {
  size: customField('Cell size in pixels, or "auto" to detect it', 'auto' as 'auto' | number, '"auto" or a number >= 2', (v) =>
    v === 'auto' || (typeof v === 'number' && Number.isFinite(v) && v >= 2) ? (v as 'auto' | number) : undefined,
  ),
  maxCell: numberField('Largest cell size searched, in pixels', 64, { min: 2, max: 1024 }),
  minScore: numberField('Edge coherence (0..1) below which the image has no grid and is left as it is', 0.3, { min: 0, max: 1 }),
  sample: enumField('How a cell becomes one pixel: median of its central half (robust to blur and JPEG) or its centre pixel', 'median', ['median', 'center'] as const),
};

export interface GridFit {
  /** Cell size in pixels (both axes). */
  size: number;
  /** Where the cell boundaries fall, in pixels from the left / top (0 ≤ phase < size). */
  phaseX: number;
  phaseY: number;
  /** Phase coherence of the edges at this size, 0..1. */
  score: number;
}

/** The gray (mean of the colour channels) of a tone image. */
function grayOf(image: ImageTensor): Float32Array {
  const { width, height, channels, data } = image;
  const n = width * height;
  if (channels === 1) return data as Float32Array;
  const c = Math.min(channels, 3);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += data[i * channels + k];
    out[i] = s / c;
  }
  return out;
}

/** Edge profiles: g[x] = Σ_y |L(x,y) − L(x−1,y)| is the edge at boundary x (between pixels x−1 and x). */
export function edgeProfiles(gray: Float32Array, width: number, height: number): { gx: Float64Array; gy: Float64Array } {
  const gx = new Float64Array(width + 1);
  const gy = new Float64Array(height + 1);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = gray[y * width + x];
      if (x > 0) gx[x] += Math.abs(v - gray[y * width + x - 1]);
      if (y > 0) gy[y] += Math.abs(v - gray[(y - 1) * width + x]);
    }
  return { gx, gy };
}

/** Σ g[x]·e^(2πi·x/p) as [re, im]. */
function fold(g: Float64Array, p: number): [number, number] {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI) / p;
  for (let x = 1; x < g.length; x++) {
    if (g[x] === 0) continue;
    re += g[x] * Math.cos(w * x);
    im += g[x] * Math.sin(w * x);
  }
  return [re, im];
}

const phaseOf = ([re, im]: [number, number], p: number) => ((((Math.atan2(im, re) / (2 * Math.PI)) * p) % p) + p) % p;

/** Detects the grid of an image; undefined when the edges show none (score < minScore). */
export function detectGrid(image: ImageTensor, options: Partial<GridOptions> = {}): GridFit | undefined {
  const { width, height } = image;
  const { gx, gy } = edgeProfiles(grayOf(image), width, height);
  const total = gx.reduce((a, b) => a + b, 0) + gy.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined; // a flat image
  const score = (p: number) => {
    const [fx, fy] = [fold(gx, p), fold(gy, p)];
    return { s: (Math.hypot(...fx) + Math.hypot(...fy)) / total, fx, fy };
  };
  const fitAt = (p: number): GridFit => {
    const { s, fx, fy } = score(p);
    return { size: p, phaseX: phaseOf(fx, p), phaseY: phaseOf(fy, p), score: s };
  };
  const minScore = options.minScore ?? 0.3;
  if (typeof options.size === 'number') {
    const fit = fitAt(options.size);
    return fit.score >= minScore ? fit : undefined;
  }
  // Candidate sizes from 2 px up, at steps finer than the width of a coherence peak (≈ p²/length).
  const length = Math.max(width, height);
  const maxCell = Math.min(options.maxCell ?? 64, Math.min(width, height) / 2);
  const ps: number[] = [];
  const ss: number[] = [];
  for (let p = 2; p <= maxCell; p += Math.max(0.005, (p * p) / (8 * length))) {
    ps.push(p);
    ss.push(score(p).s);
  }
  if (ps.length === 0) return undefined;
  const best = Math.max(...ss);
  if (best < minScore) return undefined;
  // Refine a peak near p: golden-section search between the neighbouring candidate sizes.
  const refine = (p: number) => {
    let lo = p * (1 - 0.5 / Math.max(4, length / p));
    let hi = p * (1 + 0.5 / Math.max(4, length / p));
    for (let k = 0; k < 30; k++) {
      const a = hi - (hi - lo) * 0.618;
      const b = lo + (hi - lo) * 0.618;
      if (score(a).s >= score(b).s) hi = b;
      else lo = a;
    }
    return fitAt((lo + hi) / 2);
  };
  // Candidates: the coherence peaks, and the multiples and fractions of the
  // best one (a grid of period P is as coherent at P/2 … when its edges are
  // sharp, and at 2P when the art has 2-px strokes).
  const peaks: number[] = [];
  for (let i = 0; i < ps.length; i++)
    if (ss[i] >= 0.5 * best && (i === 0 || ss[i] >= ss[i - 1]) && (i === ps.length - 1 || ss[i] > ss[i + 1])) peaks.push(i);
  peaks.sort((a, b) => ss[b] - ss[a]);
  const top = ps[peaks[0] ?? ss.indexOf(best)];
  const sizes = [...peaks.slice(0, 10).map((i) => ps[i]), ...[2, 3, 4].flatMap((k) => [top / k, top * k])].filter((p) => p >= 2 && p <= maxCell * 1.01);
  const fits: GridFit[] = [];
  for (const p of sizes) {
    const f = refine(p);
    if (f.score >= 0.5 * best && !fits.some((g) => Math.abs(g.size - f.size) < 0.01 * f.size)) fits.push(f);
  }
  // The cell is the largest size that explains the image about as well as the best: the
  // image drawn back from one value per cell differs from it no more than 10 % more than
  // the best candidate's (a finer grid always fits as well; a wrong or too coarse one does not).
  const gray = grayOf(image);
  const errors = fits.map((f) => reconstructionError(gray, width, height, f));
  const least = Math.min(...errors);
  let fit = fits[errors.indexOf(least)];
  fits.forEach((f, i) => {
    if (errors[i] <= 1.1 * least + 0.002 && f.size > fit.size) fit = f;
  });
  // A size within 1 % of a whole number is that number when that costs no coherence
  // (integer upscales are the common case; 1024 px over 24 cells is 42.67, not 43).
  const round = fitAt(Math.round(fit.size));
  return Math.abs(fit.size - round.size) < 0.01 * fit.size && round.score >= 0.995 * fit.score ? round : fit;
}

/** Mean |gray − its cell's value| over the image, cells sampled as sampleGrid does (median of the central half). */
export function reconstructionError(gray: Float32Array, width: number, height: number, fit: GridFit): number {
  const cells = sampleGrid({ width, height, channels: 1, range: 'unit', space: 'linear', data: gray }, fit);
  const index = (length: number, phase: number, n: number) => {
    const first = cellCentres(length, fit.size, phase)[0];
    const k0 = Math.round((first - phase) / fit.size - 0.5);
    return Int32Array.from({ length }, (_, x) => Math.max(0, Math.min(n - 1, Math.floor((x + 0.5 - phase) / fit.size) - k0)));
  };
  const ix = index(width, fit.phaseX, cells.width);
  const iy = index(height, fit.phaseY, cells.height);
  let sum = 0;
  for (let y = 0; y < height; y++) {
    const row = iy[y] * cells.width;
    for (let x = 0; x < width; x++) sum += Math.abs(gray[y * width + x] - cells.data[row + ix[x]]);
  }
  return sum / (width * height);
}

/** Cell centres along one axis: cells [phase + k·size, …) with at least half of the cell inside. */
export function cellCentres(length: number, size: number, phase: number): number[] {
  const out: number[] = [];
  for (let k = -1; phase + k * size < length; k++) {
    const start = phase + k * size;
    const inside = Math.min(length, start + size) - Math.max(0, start);
    if (inside >= size / 2) out.push(start + size / 2);
  }
  return out;
}

/** One pixel per cell: the per-channel median of the cell's central half (or its centre pixel). */
export function sampleGrid(image: ToneTensor, fit: GridFit, sample: GridOptions['sample'] = 'median'): ToneTensor {
  const { width, height, channels, data } = image;
  const xs = cellCentres(width, fit.size, fit.phaseX);
  const ys = cellCentres(height, fit.size, fit.phaseY);
  const out = new Float32Array(xs.length * ys.length * channels);
  const half = sample === 'center' ? 0 : fit.size / 4;
  const span = (c: number, limit: number) => {
    const a = Math.max(0, Math.min(limit - 1, Math.round(c - 0.5 - half + 0.25)));
    const b = Math.max(a, Math.min(limit - 1, Math.round(c - 0.5 + half - 0.25)));
    return [a, b];
  };
  const values: number[] = [];
  let mask: Uint8Array | undefined;
  if (image.mask) mask = new Uint8Array(xs.length * ys.length);
  ys.forEach((cy, j) => {
    const [y0, y1] = span(cy, height);
    xs.forEach((cx, i) => {
      const [x0, x1] = span(cx, width);
      const o = j * xs.length + i;
      for (let k = 0; k < channels; k++) {
        values.length = 0;
        for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) values.push(data[(y * width + x) * channels + k]);
        values.sort((a, b) => a - b);
        out[o * channels + k] = values[values.length >> 1];
      }
      if (mask) mask[o] = image.mask![Math.min(height - 1, Math.floor(cy)) * width + Math.min(width - 1, Math.floor(cx))];
    });
  });
  const result: ToneTensor = { ...image, width: xs.length, height: ys.length, data: out };
  if (mask) result.mask = mask;
  else delete result.mask;
  return result;
}

export const grid = definePlugin<GridOptions>({
  name: 'grid',
  role: 'grid',
  description: 'Recover the cells of upscaled or blurred pixel art: detect the cell size and phase, one pixel per cell',
  options: gridSchema,
  accepts: { range: ['unit'] },
  produces: (input) => ({ ...input }),
  create(options) {
    return {
      run(image, ctx) {
        const fit = detectGrid(image, options);
        if (!fit) {
          ctx.warn(`grid: no pixel grid found (edges show no common cell size up to ${options.maxCell} px); the image is left at ${image.width}×${image.height}`);
          return image;
        }
        const out = sampleGrid(image as ToneTensor, fit, options.sample);
        ctx.warn(
          `grid: ${fit.size.toFixed(2)} px cells, boundaries at x ≡ ${fit.phaseX.toFixed(1)}, y ≡ ${fit.phaseY.toFixed(1)} (score ${fit.score.toFixed(2)}): ${image.width}×${image.height} → ${out.width}×${out.height}`,
        );
        return out;
      },
    };
  },
});
