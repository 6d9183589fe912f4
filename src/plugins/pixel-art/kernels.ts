/**
 * The structure-first binarizer's kernels, each a plain function on planes
 * (row-major Float32Array / Uint8Array), so each is testable alone:
 *
 *   lineMap      dark lines at the working resolution (difference of
 *                Gaussians with hysteresis: a dark line is one ridge, and a
 *                step edge gives one line on its dark side, not two edges)
 *   toGrid       the line pixels as grid cells (any hit in the cell)
 *   thin         Zhang–Suen thinning to 1-px lines
 *   dropShort    line pieces shorter than a length removed (texture, noise)
 *   pixelPerfect L-shaped corners of 1-px lines removed
 *   patternFill  tone quantised to the pattern's levels by error diffusion,
 *                each level drawn with its phase-locked pattern; fixed
 *                pixels (lines, detail, outline, transparency) keep their
 *                value and hand their tone error to their neighbours
 *   removeOrphans pixels whose 8 neighbours all have the other colour flipped
 */
import { isOrphan } from '../../metrics/readability.js';
import type { FillPattern } from './patterns.js';
import { gaussianTaps } from '../../kernels/gaussian.js';

/**
 * Dark-line map at the working resolution: D = blur(S, σc) − blur(S, σs) on
 * sRGB-coded gray (lines are judged as the eye sees contrast). A pixel is a
 * line where −D ≥ `contrast`, or ≥ contrast / 2 and 8-connected to such a
 * pixel (hysteresis, as Canny). σ in pixels of this plane.
 */
export function lineMap(coded: Float32Array, width: number, height: number, sigmaCentre: number, sigmaSurround: number, contrast: number): Uint8Array {
  const n = width * height;
  const c = blur(coded, width, height, sigmaCentre);
  const s = surround(coded, width, height, sigmaSurround);
  // 2 = strong, 1 = weak candidate; a piece of candidates is a line when it holds a strong pixel.
  const cand = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = s[i] - c[i];
    cand[i] = r >= contrast ? 2 : r >= contrast / 2 ? 1 : 0;
  }
  const out = new Uint8Array(n);
  forEachPiece(cand, width, height, (piece) => {
    if (piece.some((i) => cand[i] === 2)) for (const i of piece) out[i] = 1;
  });
  return out;
}

/**
 * Separable Gaussian blur with clamped borders, taps to 3σ (the line finder
 * needs the shape, not QUALITY.md's exact scoring blur). Straight loops over
 * padded rows: a few ms for 512×384.
 */
export function blur(data: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = gaussianTaps(sigma, r);
  if (r === 0) return new Float32Array(data);
  const tmp = new Float32Array(width * height);
  const row = new Float32Array(width + 2 * r);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width + 2 * r; x++) row[x] = data[o + Math.min(width - 1, Math.max(0, x - r))];
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < k.length; t++) acc += k[t] * row[x + t];
      tmp[o + x] = acc;
    }
  }
  // Vertical pass row by row (each tap adds a whole clamped source row), so memory is read in order.
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let t = 0; t < k.length; t++) {
      const src = Math.min(height - 1, Math.max(0, y + t - r)) * width;
      const kt = k[t];
      for (let x = 0; x < width; x++) out[o + x] += kt * tmp[src + x];
    }
  }
  return out;
}

/**
 * The wide blur of the line finder, at half resolution when it is wide
 * enough (σ ≥ 2 px): 2×2 box down, blur σ/2, bilinear back up. A wide
 * Gaussian has nothing at the frequencies this drops, and it is 8× cheaper.
 */
function surround(data: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma < 2 || width < 4 || height < 4) return blur(data, width, height, sigma);
  const hw = width >> 1;
  const hh = height >> 1;
  const half = new Float32Array(hw * hh);
  for (let y = 0; y < hh; y++)
    for (let x = 0; x < hw; x++) {
      const i = 2 * y * width + 2 * x;
      half[y * hw + x] = (data[i] + data[i + 1] + data[i + width] + data[i + width + 1]) / 4;
    }
  const b = blur(half, hw, hh, sigma / 2);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    // Half-res pixel centres sit at 2j + 0.5 in full-res coordinates.
    const fy = Math.min(hh - 1, Math.max(0, (y - 0.5) / 2));
    const y0 = Math.floor(fy);
    const y1 = Math.min(hh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(hw - 1, Math.max(0, (x - 0.5) / 2));
      const x0 = Math.floor(fx);
      const x1 = Math.min(hw - 1, x0 + 1);
      const wx = fx - x0;
      const top = b[y0 * hw + x0] * (1 - wx) + b[y0 * hw + x1] * wx;
      const bottom = b[y1 * hw + x0] * (1 - wx) + b[y1 * hw + x1] * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Grid cells (gw × gh) that contain at least one set pixel of a w × h map. */
export function toGrid(map: Uint8Array, width: number, height: number, gw: number, gh: number): Uint8Array {
  const out = new Uint8Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(gh - 1, Math.floor((y * gh) / height));
    for (let x = 0; x < width; x++) if (map[y * width + x]) out[gy * gw + Math.min(gw - 1, Math.floor((x * gw) / width))] = 1;
  }
  return out;
}

/** Zhang–Suen thinning in place (1 = set); outside the image counts as unset. */
export function thin(m: Uint8Array, width: number, height: number): Uint8Array {
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : m[y * width + x]);
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!m[y * width + x]) continue;
          // P2..P9 clockwise from north.
          const p2 = at(x, y - 1), p3 = at(x + 1, y - 1), p4 = at(x + 1, y), p5 = at(x + 1, y + 1);
          const p6 = at(x, y + 1), p7 = at(x - 1, y + 1), p8 = at(x - 1, y), p9 = at(x - 1, y - 1);
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (b < 2 || b > 6) continue;
          const a = +(!p2 && p3) + +(!p3 && p4) + +(!p4 && p5) + +(!p5 && p6) + +(!p6 && p7) + +(!p7 && p8) + +(!p8 && p9) + +(!p9 && p2);
          if (a !== 1) continue;
          if (pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) remove.push(y * width + x);
        }
      }
      for (const i of remove) m[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  return m;
}

/** Calls `visit` with each 8-connected piece of set pixels (raster order of first pixel). */
export function forEachPiece(m: Uint8Array, width: number, height: number, visit: (piece: number[]) => void): void {
  const seen = new Uint8Array(m.length);
  for (let s = 0; s < m.length; s++) {
    if (!m[s] || seen[s]) continue;
    const piece = [s];
    seen[s] = 1;
    for (let k = 0; k < piece.length; k++) {
      const i = piece[k];
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (m[j] && !seen[j]) {
            seen[j] = 1;
            piece.push(j);
          }
        }
      }
    }
    visit(piece);
  }
}

/** Removes 8-connected pieces with fewer than `min` pixels, in place. */
export function dropShort(m: Uint8Array, width: number, height: number, min: number): Uint8Array {
  if (min <= 1) return m;
  forEachPiece(m, width, height, (piece) => {
    if (piece.length < min) for (const i of piece) m[i] = 0;
  });
  return m;
}

/**
 * "Pixel-perfect" lines, in place: a pixel at the corner of an L (two
 * orthogonal 4-neighbours set, the diagonal between them not) is removed
 * when it is simple, i.e. its set neighbours form one 8-connected group
 * (Yokoi's connectivity number is 1), so the line stays joined diagonally
 * and nothing else is cut off. Raster order, so the result is deterministic.
 */
export function pixelPerfect(m: Uint8Array, width: number, height: number): Uint8Array {
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : m[y * width + x]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!m[y * width + x]) continue;
      // Ring E, NE, N, NW, W, SW, S, SE.
      const r = [at(x + 1, y), at(x + 1, y - 1), at(x, y - 1), at(x - 1, y - 1), at(x - 1, y), at(x - 1, y + 1), at(x, y + 1), at(x + 1, y + 1)];
      const corner = (r[0] && r[2] && !r[1]) || (r[2] && r[4] && !r[3]) || (r[4] && r[6] && !r[5]) || (r[6] && r[0] && !r[7]);
      if (!corner) continue;
      let n8 = 0;
      for (let k = 0; k < 8; k += 2) n8 += 1 - r[k] - (1 - r[k]) * (1 - r[(k + 1) % 8]) * (1 - r[(k + 2) % 8]);
      if (n8 === 1) m[y * width + x] = 0;
    }
  }
  return m;
}

/** No fixed value: the pixel is filled from the tone. */
export const FREE = 255;
/** Fixed paper / ink that take no part in the error diffusion. */
export const PAPER_ALONE = 2;
export const INK_ALONE = 3;

/**
 * The fill, by serpentine Floyd–Steinberg error diffusion in one of two ways.
 * `screen` > 0: binary error diffusion whose threshold is the pattern's
 * (0.5 + screen · (pattern threshold − 0.5)): a flat tone at a pattern level
 * comes out as that pattern, and the diffusion keeps the local tone exact in
 * between. `screen` 0: the tone quantised to the pattern levels by diffusing
 * the LEVEL error, each pixel drawn from its level's pattern (purer
 * patterns, coarser tone). Tones within `solid` of paper or ink are drawn
 * solid and stop the error there. `fixed[i]` is 0 or 1 for a
 * pixel whose value is decided (its error tone − value still diffuses, so
 * lines do not darken the picture), 2 / 3 for paper / ink that takes no
 * part in the diffusion (outside the silhouette; the detail zone, whose
 * error would pile up and spill at the zone's edge as a dark rim), or FREE.
 */
export function patternFill(tone: Float32Array, fixed: Uint8Array, width: number, height: number, pattern: FillPattern, screen = 0, solid = 0): Uint8Array {
  const levels = new Set(pattern.ranks).size;
  const out = new Uint8Array(width * height);
  let cur = new Float32Array(width + 2);
  let next = new Float32Array(width + 2);
  for (let y = 0; y < height; y++) {
    const ltr = (y & 1) === 0;
    const dir = ltr ? 1 : -1;
    const py = (y % pattern.height) * pattern.width;
    for (let k = 0; k < width; k++) {
      const x = ltr ? k : width - 1 - k;
      const i = y * width + x;
      const f = fixed[i];
      if (f === 2 || f === 3) {
        out[i] = f === 2 ? 1 : 0;
        continue;
      }
      let v = tone[i] + cur[x + 1];
      v = v < -0.5 ? -0.5 : v > 1.5 ? 1.5 : v;
      let err: number;
      if (f === FREE && solid > 0 && (tone[i] >= 1 - solid || tone[i] <= solid)) {
        // Near paper or near ink: solid, and the error stops here (no stray dots in white or black fills).
        out[i] = tone[i] >= 1 - solid ? 1 : 0;
        err = 0;
      } else if (f === FREE && screen > 0) {
        const t = 0.5 + screen * ((levels - pattern.ranks[py + (x % pattern.width)] - 0.5) / levels - 0.5);
        out[i] = v > t ? 1 : 0;
        err = v - out[i];
      } else if (f === FREE) {
        let j = Math.round(v * levels);
        j = j < 0 ? 0 : j > levels ? levels : j;
        err = v - j / levels;
        out[i] = pattern.ranks[py + (x % pattern.width)] < levels - j ? 0 : 1;
      } else {
        out[i] = f;
        err = v - f;
      }
      cur[x + 1 + dir] += (err * 7) / 16;
      next[x + 1 - dir] += (err * 3) / 16;
      next[x + 1] += (err * 5) / 16;
      next[x + 1 + dir] += err / 16;
    }
    const t = cur;
    cur = next;
    next = t;
    next.fill(0);
  }
  return out;
}

/**
 * Flips pixels whose 8 neighbours all have the other colour (decided on the
 * input, so the order does not matter), except where `keep` is set. Pixels
 * on the border count only the neighbours inside the image.
 */
export function removeOrphans(b: Uint8Array, width: number, height: number, keep?: Uint8Array): Uint8Array {
  const out = new Uint8Array(b);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!keep?.[i] && isOrphan(b, width, height, x, y)) out[i] = 1 - b[i];
    }
  return out;
}

/**
 * Edge-preserving smoothing (a bilateral filter over a 5×5 window, spatial
 * σ 1.5 px, range σ `range`): flat areas become flat, so they take one
 * pattern instead of a mix; edges stay where they are.
 */
export function bilateral(data: Float32Array, width: number, height: number, range: number): Float32Array {
  const out = new Float32Array(data.length);
  const r = 2;
  const spatial: number[] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) spatial.push(Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5)));
  // Range weights from a table over |difference| in steps of 1/1024 (tone is in 0..1).
  const STEPS = 1024;
  const rangeWeight = new Float64Array(STEPS + 1);
  for (let j = 0; j <= STEPS; j++) rangeWeight[j] = Math.exp(-((j / STEPS) ** 2) / (2 * range * range));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = data[y * width + x];
      let sw = 0;
      let sv = 0;
      let k = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = Math.min(height - 1, Math.max(0, y + dy));
        for (let dx = -r; dx <= r; dx++, k++) {
          const xx = Math.min(width - 1, Math.max(0, x + dx));
          const v = data[yy * width + xx];
          const d = v > c ? v - c : c - v;
          const wgt = spatial[k] * rangeWeight[d >= 1 ? STEPS : (d * STEPS + 0.5) | 0];
          sw += wgt;
          sv += wgt * v;
        }
      }
      out[y * width + x] = sv / sw;
    }
  }
  return out;
}

/** Marks in `dst` every pixel of one line (start, stride, n) within `r` of a set pixel of `src`: two sweeps, distance to the nearest on each side. */
function grow1d(src: Uint8Array, dst: Uint8Array, start: number, stride: number, n: number, r: number): void {
  let prev = -Infinity;
  for (let k = 0; k < n; k++) {
    if (src[start + k * stride]) prev = k;
    if (k - prev <= r) dst[start + k * stride] = 1;
  }
  let next = Infinity;
  for (let k = n - 1; k >= 0; k--) {
    if (src[start + k * stride]) next = k;
    if (next - k <= r) dst[start + k * stride] = 1;
  }
}

/** Set pixels grown by `r` pixels (square neighbourhood), as a new map. */
export function dilate(m: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return new Uint8Array(m);
  // Separable: grow along every row, then along every column of that.
  const rows = new Uint8Array(m.length);
  for (let y = 0; y < height; y++) grow1d(m, rows, y * width, 1, width, r);
  const out = new Uint8Array(m.length);
  for (let x = 0; x < width; x++) grow1d(rows, out, x, width, height, r);
  return out;
}
