/**
 * Ordered dithering: compare each pixel with a tiled threshold matrix. A
 * matrix is a rank map (a permutation of 0..n²-1); its thresholds are the
 * centred ranks (m + 0.5) / n², so n² + 1 tone levels come out evenly and a
 * flat v lights exactly the cells whose threshold is below it.
 */
import { mulberry32 } from '../../pipeline/random.js';

/**
 * Bayer's index matrix by the standard recursion
 *   M(2n) = [[4·M(n), 4·M(n) + 2], [4·M(n) + 3, 4·M(n) + 1]],  M(1) = [0]
 * B. E. Bayer, "An optimum method for two-level rendition of continuous-tone
 * pictures", IEEE ICC 1973, 26:11–15; the recursion as given by
 * R. Ulichney, "Digital Halftoning", MIT Press 1987, ch. 6.
 * `n` must be a power of two.
 */
export function bayerMatrix(n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`bayerMatrix: size must be a power of two, got ${n}`);
  let size = 1;
  let m = new Uint32Array([0]);
  while (size < n) {
    const next = new Uint32Array(4 * size * size);
    const s2 = size * 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = 4 * m[y * size + x];
        next[y * s2 + x] = v;
        next[y * s2 + x + size] = v + 2;
        next[(y + size) * s2 + x] = v + 3;
        next[(y + size) * s2 + x + size] = v + 1;
      }
    }
    m = next;
    size = s2;
  }
  return m;
}

/** Centred thresholds (m + 0.5) / n² for a rank matrix with n² cells. */
export function thresholdsFromRanks(ranks: ArrayLike<number>): Float32Array {
  const cells = ranks.length;
  const t = new Float32Array(cells);
  for (let i = 0; i < cells; i++) t[i] = (ranks[i] + 0.5) / cells;
  return t;
}

/** Centred thresholds of the n×n Bayer matrix. */
export function bayerThresholds(n: number): Float32Array {
  return thresholdsFromRanks(bayerMatrix(n));
}


export const BLUE_NOISE_SIZE = 64;
export const BLUE_NOISE_SEED = 0x5eed;
const BLUE_NOISE_SIGMA = 1.5;

/**
 * Blue-noise rank matrix by void-and-cluster: R. Ulichney, "The
 * void-and-cluster method for dither array generation", Proc. SPIE 1913,
 * Human Vision, Visual Processing, and Digital Display IV, 1993, pp. 332–343.
 *
 * Energy is a toroidal Gaussian (sigma 1.5) summed over the minority pixels;
 * the "tightest cluster" is the set pixel with the highest energy and the
 * "largest void" the empty pixel with the lowest. Every toggle updates the
 * energy map incrementally (one pass of the n×n toroidal kernel), never
 * recomputed from scratch. Ties go to the lowest index, so the result
 * depends only on `size` and `seed`.
 *
 * Phase 3 of the paper (ranks above n²/2: find the tightest cluster of
 * zeros) is the same choice as phase 2's largest void: on a torus the energy
 * of the zeros at a pixel is the total kernel sum minus the energy of the
 * ones, so the maximum of one is the minimum of the other. Phase 2 simply
 * runs on to n².
 */
export function blueNoiseMatrix(size = BLUE_NOISE_SIZE, seed = BLUE_NOISE_SEED, sigma = BLUE_NOISE_SIGMA): Uint32Array {
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`blueNoiseMatrix: size must be an integer >= 2, got ${size}`);
  const n = size;
  const cells = n * n;

  // Toroidal Gaussian, indexed by wrapped offset (dy·n + dx).
  const kernel = new Float64Array(cells);
  const inv = 1 / (2 * sigma * sigma);
  for (let dy = 0; dy < n; dy++) {
    const wy = Math.min(dy, n - dy);
    for (let dx = 0; dx < n; dx++) {
      const wx = Math.min(dx, n - dx);
      kernel[dy * n + dx] = Math.exp(-(wx * wx + wy * wy) * inv);
    }
  }

  const energy = new Float64Array(cells);
  const toggle = (bits: Uint8Array, e: Float64Array, p: number, on: boolean): void => {
    bits[p] = on ? 1 : 0;
    const py = (p / n) | 0;
    const px = p - py * n;
    const sign = on ? 1 : -1;
    for (let y = 0; y < n; y++) {
      const ky = ((y - py + n) % n) * n;
      const row = y * n;
      // Two runs so the inner loops need no modulo: x >= px, then x < px.
      for (let x = px, k = ky; x < n; x++, k++) e[row + x] += sign * kernel[k];
      for (let x = 0, k = ky + n - px; x < px; x++, k++) e[row + x] += sign * kernel[k];
    }
  };
  const tightestCluster = (bits: Uint8Array, e: Float64Array): number => {
    let best = -1;
    let bestE = -Infinity;
    for (let i = 0; i < cells; i++) if (bits[i] === 1 && e[i] > bestE) (bestE = e[i]), (best = i);
    return best;
  };
  const largestVoid = (bits: Uint8Array, e: Float64Array): number => {
    let best = -1;
    let bestE = Infinity;
    for (let i = 0; i < cells; i++) if (bits[i] === 0 && e[i] < bestE) (bestE = e[i]), (best = i);
    return best;
  };

  // Initial binary pattern: ~10% of the cells set at seeded random places.
  const bits = new Uint8Array(cells);
  const ones = Math.max(1, Math.floor(cells / 10));
  const random = mulberry32(seed);
  for (let placed = 0; placed < ones; ) {
    const p = Math.floor(random() * cells);
    if (bits[p] === 0) {
      toggle(bits, energy, p, true);
      placed++;
    }
  }
  // Spread it: move the tightest cluster into the largest void until the
  // pixel removed is the one that would be put back.
  for (let guard = 0; guard < cells * 4; guard++) {
    const c = tightestCluster(bits, energy);
    toggle(bits, energy, c, false);
    const v = largestVoid(bits, energy);
    toggle(bits, energy, v, true);
    if (v === c) break;
  }

  const rank = new Uint32Array(cells);
  // Phase 1: rank the initial pattern's pixels by removing tightest clusters.
  const bits1 = bits.slice();
  const energy1 = energy.slice();
  for (let r = ones - 1; r >= 0; r--) {
    const c = tightestCluster(bits1, energy1);
    toggle(bits1, energy1, c, false);
    rank[c] = r;
  }
  // Phases 2 and 3: fill the largest void, one rank at a time.
  for (let r = ones; r < cells; r++) {
    const v = largestVoid(bits, energy);
    toggle(bits, energy, v, true);
    rank[v] = r;
  }
  return rank;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Built on first use (from a plugin's create()), never at import time.
const blueNoiseCache = new Map<number, Uint32Array>();

/** The default-seed blue-noise ranks for `size`, built once per process. */
export function cachedBlueNoise(size = BLUE_NOISE_SIZE): Uint32Array {
  let m = blueNoiseCache.get(size);
  if (!m) {
    m = blueNoiseMatrix(size);
    blueNoiseCache.set(size, m);
  }
  return m;
}

/**
 * Ordered dither of a 1-channel unit image. `thresholds` is a size×size
 * tile; a pixel is white (1) when its value is above its threshold, after
 * the threshold is pulled towards 0.5 by `strength` (0 = plain threshold at
 * 0.5, 1 = the full matrix). Thresholds lie strictly inside (0, 1), so pure
 * black and pure white are kept.
 */
export function ordered(
  gray: Float32Array,
  width: number,
  height: number,
  thresholds: Float32Array,
  size: number,
  strength: number,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  if (thresholds.length !== size * size) throw new RangeError(`ordered: expected ${size * size} thresholds, got ${thresholds.length}`);
  if (gray.length < width * height || out.length < width * height) throw new RangeError('ordered: buffer smaller than width × height');
  const n = width * height;
  // `+(a > b)` compiles to a flag move, not a branch (a branch mispredicts
  // half the time on noisy images); four results go out as one 32-bit store.
  const words = LITTLE_ENDIAN && out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, n >> 2) : undefined;
  if (words && 8 % size === 0) return orderedInRegisters(gray, width, height, thresholds, size, strength, out, words);
  // Full-width threshold rows (size × width floats), so the inner loop reads
  // two arrays with one index and never wraps a column counter.
  const rows = thresholdRows(thresholds, size, strength, width);
  let i = 0;
  for (let y = 0; y < height; y++) {
    const b = (y % size) * width - i; // rows[b + i] is the threshold of pixel i
    const rowEnd = i + width;
    if (words) {
      for (; i < rowEnd && (i & 3) !== 0; i++) out[i] = +(gray[i] > rows[b + i]);
      for (; i + 3 < rowEnd; i += 4) {
        words[i >> 2] =
          +(gray[i] > rows[b + i]) |
          (+(gray[i + 1] > rows[b + i + 1]) << 8) |
          (+(gray[i + 2] > rows[b + i + 2]) << 16) |
          (+(gray[i + 3] > rows[b + i + 3]) << 24);
      }
    }
    for (; i < rowEnd; i++) out[i] = +(gray[i] > rows[b + i]);
  }
  return out;
}

/** The tile's rows repeated to `span` columns (size × span), each threshold pulled towards 0.5 by `strength`. */
function thresholdRows(thresholds: Float32Array, size: number, strength: number, span: number): Float32Array {
  const rows = new Float32Array(size * span);
  for (let r = 0; r < size; r++) for (let x = 0; x < span; x++) rows[r * span + x] = 0.5 + strength * (thresholds[r * size + (x % size)] - 0.5);
  return rows;
}

/**
 * `ordered` for tiles of 2, 4 or 8 (the Bayer sizes most used): a row's eight
 * thresholds live in locals, so a pixel is one load and one compare (about
 * 0.8 ns against 1.2 with the threshold rows on this machine). The thresholds
 * are the same Float32 values and the comparisons the same, so the output is
 * identical (tested).
 */
function orderedInRegisters(gray: Float32Array, width: number, height: number, thresholds: Float32Array, size: number, strength: number, out: Uint8Array, words: Uint32Array): Uint8Array {
  // Row r's thresholds for x mod 8 = 0..7 at t8[8r .. 8r + 7].
  const t8 = thresholdRows(thresholds, size, strength, 8);
  for (let y = 0; y < height; y++) {
    const t = (y % size) * 8;
    const start = y * width;
    const end = start + width;
    let i = start;
    // Single pixels until the 32-bit stores are aligned.
    for (; i < end && (i & 3) !== 0; i++) out[i] = +(gray[i] > t8[t + ((i - start) & 7)]);
    const x = i - start;
    const a0 = t8[t + (x & 7)];
    const a1 = t8[t + ((x + 1) & 7)];
    const a2 = t8[t + ((x + 2) & 7)];
    const a3 = t8[t + ((x + 3) & 7)];
    const a4 = t8[t + ((x + 4) & 7)];
    const a5 = t8[t + ((x + 5) & 7)];
    const a6 = t8[t + ((x + 6) & 7)];
    const a7 = t8[t + ((x + 7) & 7)];
    for (; i + 7 < end; i += 8) {
      words[i >> 2] = +(gray[i] > a0) | (+(gray[i + 1] > a1) << 8) | (+(gray[i + 2] > a2) << 16) | (+(gray[i + 3] > a3) << 24);
      words[(i >> 2) + 1] = +(gray[i + 4] > a4) | (+(gray[i + 5] > a5) << 8) | (+(gray[i + 6] > a6) << 16) | (+(gray[i + 7] > a7) << 24);
    }
    for (; i < end; i++) out[i] = +(gray[i] > t8[t + ((i - start) & 7)]);
  }
  return out;
}
