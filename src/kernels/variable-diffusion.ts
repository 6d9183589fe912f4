/**
 * Variable-coefficient error diffusion (Ostromoukhov 2001; Zhou & Fang 2003):
 * a three-neighbour kernel (right, down-left, down) whose weights are looked
 * up by the pixel's ORIGINAL input level, always on a serpentine
 * (boustrophedon) scan as both papers prescribe (mirrored on right-to-left
 * rows). Zhou–Fang add a random threshold 0.5 + u·amp(level) with u uniform
 * in [0, 1) from a fixed-seed generator, so the result is deterministic.
 * Tables: variable-coefficients.ts.
 *
 * Pure black (0) and pure white (1) inputs are written as themselves, their
 * error still passing on: with weights that sum to 1 and a threshold of 0.5
 * that changes nothing (the error stays in (-0.5, 0.5]), and with a
 * modulated threshold or an edge offset it keeps solid areas solid.
 */

export interface VariableDiffuseOptions {
  /** [r, dl, d] per level 0..255, flat; each triple sums to 1. */
  weights: Float64Array;
  /** Threshold amplitude per level (0.5 + u·amp); omitted: a fixed 0.5. */
  modulation?: Float64Array;
  /** Seed of the modulation noise (Mulberry32). */
  seed?: number;
  /** Fraction of the error diffused, 0..1. */
  strength: number;
  /** Scan right-to-left on odd rows (default true: the papers' scan). */
  serpentine?: boolean;
  /** Added to the error-adjusted value before the decision only (edge-aware mode); the error is not changed by it. */
  offset?: Float32Array;
}

export function diffuseVariable(gray: Float32Array, width: number, height: number, o: VariableDiffuseOptions, out: Uint8Array = new Uint8Array(width * height)): Uint8Array {
  if (gray.length < width * height || out.length < width * height) throw new RangeError('diffuseVariable: buffer smaller than width × height');
  const w = o.weights;
  const mod = o.modulation;
  const off = o.offset;
  const s = o.strength;
  const serpentine = o.serpentine ?? true;
  // Two error rows with one padding column each side (writes past the edges are dropped).
  let cur = new Float64Array(width + 2);
  let next = new Float64Array(width + 2);
  let a = (o.seed ?? 0x2003) >>> 0;
  for (let y = 0; y < height; y++) {
    const reverse = serpentine && (y & 1) === 1;
    const dir = reverse ? -1 : 1;
    const line = y * width;
    for (let i = 0, x = reverse ? width - 1 : 0; i < width; i++, x += dir) {
      const g = gray[line + x];
      const v = g + cur[x + 1];
      let level = (g * 255 + 0.5) | 0;
      level = level < 0 ? 0 : level > 255 ? 255 : level;
      let t = 0.5;
      if (mod !== undefined && mod[level] > 0) {
        // Mulberry32, inlined: u uniform in [0, 1).
        a = (a + 0x6d2b79f5) >>> 0;
        let z = Math.imul(a ^ (a >>> 15), a | 1);
        z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
        t += (((z ^ (z >>> 14)) >>> 0) / 4294967296) * mod[level];
      }
      const d = off === undefined ? v : v + off[line + x];
      const bit = g <= 0 ? 0 : g >= 1 ? 1 : d > t ? 1 : 0;
      out[line + x] = bit;
      const err = (v - bit) * s;
      const k = level * 3;
      cur[x + 1 + dir] += err * w[k];
      next[x + 1 - dir] += err * w[k + 1];
      next[x + 1] += err * w[k + 2];
    }
    const tmp = cur;
    cur = next;
    next = tmp;
    next.fill(0);
  }
  return out;
}
