/**
 * Direct Binary Search (DBS): M. Analoui, J. P. Allebach, "Model-based
 * halftoning using direct binary search", Proc. SPIE 1666, Human Vision,
 * Visual Processing, and Digital Display III, 1992, pp. 96–108; the
 * efficient update by D. J. Lieberman, J. P. Allebach, "Efficient model based
 * halftoning using direct binary search", Proc. IEEE ICIP 1997, and
 * "A dual interpretation for direct binary search and its implications for
 * tone reproduction and texture quality", IEEE Trans. Image Process.
 * 9(11):1950–1963, 2000.
 *
 * The halftone b (0/1) is scored by E = ‖p ∗ (b − g)‖², p a Gaussian model of
 * the eye (σ in grid pixels). With e = b − g, the filter autocorrelation
 * c_pp = p ⋆ p and the cross-correlation c_pe = c_pp ∗ e, E = Σ e·c_pe and a
 * trial change a_m at pixel m (and a_n = −a_m at a neighbour n, a swap)
 * changes it by
 *   toggle: ΔE = 2·a_m·c_pe[m] + c_pp[0]
 *   swap:   ΔE = 2·a_m·c_pe[m] + 2·a_n·c_pe[n] + 2·c_pp[0] + 2·a_m·a_n·c_pp[n − m]
 * so a trial costs O(1) and an accepted change updates c_pe over one window
 * (never re-filtering the image). Pixels are visited in raster order; at each
 * the best of the toggle and the 8 swaps is taken if it lowers E. Passes
 * repeat until one makes no change, `iterations` passes have run, or
 * `timeMs` has elapsed (checked once per row: a time cap that is hit makes
 * the result depend on the machine's speed; with the cap unhit the result is
 * deterministic). The image is zero-padded (error 0 outside). Pixels whose
 * input is pure 0 or 1 are never changed. The search starts from the given
 * halftone (the plugin passes Floyd–Steinberg's).
 */
import { gaussianTaps } from '../../kernels/gaussian.js';

export interface DbsOptions {
  /** σ of the Gaussian eye model, in grid pixels. */
  sigma: number;
  /** Maximum number of passes over the image. */
  iterations: number;
  /** Wall-clock cap in ms (0: none). */
  timeMs: number;
}

export interface DbsStats {
  passes: number;
  changes: number;
  timedOut: boolean;
}

/** c_pp = p ⋆ p for the discrete normalised Gaussian p (radius ceil(4σ)), truncated to radius ceil(3·σ·√2). Returns [table, radius]. */
export function gaussianAutocorrelation(sigma: number): { cpp: Float64Array; radius: number } {
  const r = Math.max(1, Math.ceil(4 * sigma));
  const size = 2 * r + 1;
  const p1 = gaussianTaps(sigma, r);
  // p is separable, so c_pp is too: a1(d) = Σ_i p1(i)·p1(i + d).
  const R = Math.min(2 * r, Math.max(1, Math.ceil(3 * sigma * Math.SQRT2)));
  const a1 = new Float64Array(2 * R + 1);
  for (let d = -R; d <= R; d++) {
    let acc = 0;
    for (let i = 0; i < size; i++) {
      const j = i + d;
      if (j >= 0 && j < size) acc += p1[i] * p1[j];
    }
    a1[d + R] = acc;
  }
  const side = 2 * R + 1;
  const cpp = new Float64Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) cpp[y * side + x] = a1[y] * a1[x];
  return { cpp, radius: R };
}

const DX = [-1, 0, 1, -1, 1, -1, 0, 1];
const DY = [-1, -1, -1, 0, 0, 1, 1, 1];

/**
 * Improves the halftone `b` (0/1, modified in place) of `gray` by DBS.
 * Returns what it did.
 */
export function directBinarySearch(gray: Float32Array, width: number, height: number, b: Uint8Array, options: DbsOptions): DbsStats {
  const n = width * height;
  if (gray.length < n || b.length < n) throw new RangeError('directBinarySearch: buffer smaller than width × height');
  const stats: DbsStats = { passes: 0, changes: 0, timedOut: false };
  if (n === 0) return stats;
  const { cpp, radius: R } = gaussianAutocorrelation(options.sigma);
  const side = 2 * R + 1;
  const c0 = cpp[R * side + R];
  // c_pe = c_pp ∗ e, by direct correlation (c_pp is symmetric).
  const cpe = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = b[i] - gray[i];
    if (e !== 0) addWindow(cpe, width, height, i % width, (i / width) | 0, e, cpp, R);
  }
  const start = options.timeMs > 0 ? performance.now() : 0;
  for (let pass = 0; pass < options.iterations; pass++) {
    let changed = 0;
    for (let y = 0; y < height; y++) {
      if (options.timeMs > 0 && performance.now() - start > options.timeMs) {
        stats.timedOut = true;
        stats.changes += changed;
        stats.passes = pass + 1;
        return stats;
      }
      for (let x = 0; x < width; x++) {
        const m = y * width + x;
        const gm = gray[m];
        if (gm <= 0 || gm >= 1) continue;
        const am = b[m] ? -1 : 1;
        const cm = cpe[m];
        let best = 2 * am * cm + c0; // toggle
        let bestN = -1;
        for (let k = 0; k < 8; k++) {
          const xx = x + DX[k];
          const yy = y + DY[k];
          if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
          const q = yy * width + xx;
          if (b[q] === b[m]) continue;
          const gq = gray[q];
          if (gq <= 0 || gq >= 1) continue;
          // a_n = −a_m, so 2·a_n·c_pe[n] = −2·a_m·c_pe[n] and 2·a_m·a_n·c_pp = −2·c_pp.
          const d = 2 * am * (cm - cpe[q]) + 2 * c0 - 2 * cpp[(DY[k] + R) * side + DX[k] + R];
          if (d < best) {
            best = d;
            bestN = q;
          }
        }
        // A small negative margin keeps rounding noise from flipping pixels back and forth.
        if (!(best < -1e-12)) continue;
        b[m] = b[m] ? 0 : 1;
        addWindow(cpe, width, height, x, y, am, cpp, R);
        if (bestN >= 0) {
          b[bestN] = b[bestN] ? 0 : 1;
          addWindow(cpe, width, height, bestN % width, (bestN / width) | 0, -am, cpp, R);
        }
        changed++;
      }
    }
    stats.passes = pass + 1;
    stats.changes += changed;
    if (changed === 0) break;
  }
  return stats;
}

/** cpe[window around (x, y)] += a · c_pp, clipped to the image. */
function addWindow(cpe: Float64Array, width: number, height: number, x: number, y: number, a: number, cpp: Float64Array, R: number): void {
  const side = 2 * R + 1;
  const y0 = y - R < 0 ? 0 : y - R;
  const y1 = y + R >= height ? height - 1 : y + R;
  const x0 = x - R < 0 ? 0 : x - R;
  const x1 = x + R >= width ? width - 1 : x + R;
  for (let yy = y0; yy <= y1; yy++) {
    const row = yy * width;
    const k = (yy - y + R) * side - x + R;
    for (let xx = x0; xx <= x1; xx++) cpe[row + xx] += a * cpp[k + xx];
  }
}
