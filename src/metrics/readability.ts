/**
 * Readability figures for pixel art (issue 13), beside QUALITY.md's tone
 * figures. All at the grid, like the others:
 *
 * - Orphan rate: the fraction of pixels whose neighbours all have the other
 *   colour. `orphans` looks at the 8 neighbours (a lone pixel, what a pixel
 *   artist cleans up); `orphans4` at the 4 edge neighbours, as the issue
 *   words it, which also counts every pixel of a 1-px diagonal line and of
 *   a 50 % checker. Border pixels count the neighbours inside the image.
 * - Edge F1: the same edge detector on the reference Y and on the binary
 *   image B (Gaussian σ 1.5 grid px, QUALITY.md's eye model, so the output's
 *   region boundaries are those the eye sees, not every dot; Sobel gradient
 *   / 8, non-maximum suppression along the gradient, magnitude ≥ EDGE_LEVEL:
 *   a step of contrast 0.12 after the blur); an edge pixel of one counts as
 *   matched when the other has one within 1 px (8-neighbourhood).
 *   Precision = matched output edges / output edges, recall = matched source
 *   edges / source edges, F1 their harmonic mean (1 when neither has an
 *   edge). Dither dots that blur to noise give spurious edges; a line drawn
 *   one pixel off still matches; a blob that loses an outline loses recall.
 */
import { gaussianBlur, type Plane } from './gaussian.js';

/** The blur before edges are found (grid px), and the gradient (Sobel / 8, per pixel) that makes an edge: the peak slope of a 0.12 step after that blur. */
export const EDGE_SIGMA = 1.5;
export const EDGE_LEVEL = 0.12 / (EDGE_SIGMA * Math.sqrt(2 * Math.PI));

/** Whether the pixel at (x, y) differs from all its 4 or 8 neighbours inside the image (an orphan). */
export function isOrphan(b: Uint8Array, width: number, height: number, x: number, y: number, neighbours: 4 | 8 = 8): boolean {
  const v = b[y * width + x] ? 1 : 0;
  let count = 0;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
      if (neighbours === 4 && dx !== 0 && dy !== 0) continue;
      if ((b[yy * width + xx] ? 1 : 0) === v) return false;
      count++;
    }
  }
  return count > 0;
}

export function orphanRate(b: Uint8Array, width: number, height: number, neighbours: 4 | 8 = 8): number {
  let orphans = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (isOrphan(b, width, height, x, y, neighbours)) orphans++;
  return orphans / (width * height);
}

/** Thin edges (1 = edge) of a plane: σ EDGE_SIGMA blur, Sobel, non-maximum suppression, magnitude ≥ EDGE_LEVEL. */
export function edgeMap(plane: Plane, width: number, height: number): Uint8Array {
  const s = gaussianBlur(plane, width, height, EDGE_SIGMA, new Float64Array(width * height));
  const n = width * height;
  const gx = new Float64Array(n);
  const gy = new Float64Array(n);
  const mag = new Float64Array(n);
  const at = (x: number, y: number) => s[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = at(x - 1, y - 1), b = at(x, y - 1), c = at(x + 1, y - 1);
      const d = at(x - 1, y), f = at(x + 1, y);
      const g = at(x - 1, y + 1), h = at(x, y + 1), k = at(x + 1, y + 1);
      const i = y * width + x;
      gx[i] = (c + 2 * f + k - a - 2 * d - g) / 8;
      gy[i] = (g + 2 * h + k - a - 2 * b - c) / 8;
      mag[i] = Math.hypot(gx[i], gy[i]);
    }
  }
  const out = new Uint8Array(n);
  const m = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : mag[y * width + x]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = mag[i];
      if (v < EDGE_LEVEL) continue;
      // Gradient direction quantised to 0°, 45°, 90°, 135°.
      const ax = Math.abs(gx[i]);
      const ay = Math.abs(gy[i]);
      let dx: number, dy: number;
      if (ay <= ax * 0.4142) [dx, dy] = [1, 0];
      else if (ax <= ay * 0.4142) [dx, dy] = [0, 1];
      else [dx, dy] = gx[i] * gy[i] > 0 ? [1, 1] : [1, -1];
      // Ties go to the first pixel in scan order, so a plateau keeps one edge.
      if (v > m(x - dx, y - dy) && v >= m(x + dx, y + dy)) out[i] = 1;
    }
  }
  return out;
}

function matched(a: Uint8Array, b: Uint8Array, width: number, height: number): { count: number; hits: number } {
  let count = 0;
  let hits = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!a[y * width + x]) continue;
      count++;
      search: for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width && b[yy * width + xx]) {
            hits++;
            break search;
          }
        }
      }
    }
  }
  return { count, hits };
}

/** F1 of B's edges against Y's edges with 1-px tolerance (see the file comment). */
export function edgeF1(reference: Plane, binary: Uint8Array, width: number, height: number): number {
  const src = edgeMap(reference, width, height);
  const b = new Float64Array(width * height);
  for (let i = 0; i < b.length; i++) b[i] = binary[i] ? 1 : 0;
  const out = edgeMap(b, width, height);
  const p = matched(out, src, width, height);
  const r = matched(src, out, width, height);
  if (p.count === 0 && r.count === 0) return 1;
  if (p.count === 0 || r.count === 0) return 0;
  const precision = p.hits / p.count;
  const recall = r.hits / r.count;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
