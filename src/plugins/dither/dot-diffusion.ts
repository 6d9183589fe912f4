/**
 * Dot diffusion: D. E. Knuth, "Digital halftones by dot diffusion", ACM
 * Trans. Graph. 6(4):245–273, 1987. Pixels are visited class by class in the
 * order of an 8×8 class matrix tiled over the image; each pixel is
 * thresholded at 0.5 and its error is shared among its 8 neighbours of a
 * HIGHER class only (weight 2 for the 4 orthogonal neighbours, 1 for the
 * diagonal ones, normalised over the neighbours that qualify). A pixel with
 * no such neighbour (a "baron") drops its error, as in the paper. Knuth's
 * optional sharpening pre-pass is not applied.
 */

/** Knuth's class matrix (the paper's Fig. 4; "two barons" variant, classes 0..63). */
// prettier-ignore
export const KNUTH_CLASS_MATRIX: readonly number[] = [
  34, 48, 40, 32, 29, 15, 23, 31,
  42, 58, 56, 53, 21,  5,  7, 10,
  50, 62, 61, 45, 13,  1,  2, 18,
  38, 46, 54, 37, 25, 17,  9, 26,
  28, 14, 22, 30, 35, 49, 41, 33,
  20,  4,  6, 11, 43, 59, 57, 52,
  12,  0,  3, 19, 51, 63, 60, 44,
  24, 16,  8, 27, 39, 47, 55, 36,
];

const NX = [-1, 0, 1, -1, 1, -1, 0, 1];
const NY = [-1, -1, -1, 0, 0, 1, 1, 1];
const NW = [1, 2, 1, 2, 2, 1, 2, 1];

/**
 * Dithers `gray` (working space, 0..1) to 0/1 in `out`. `strength` scales the
 * diffused error; `offset` (edge-aware mode) shifts the decision only.
 * Pure 0 and 1 inputs are written as themselves (their error, 0, is passed on).
 */
export function dotDiffuse(
  gray: Float32Array,
  width: number,
  height: number,
  strength: number,
  out: Uint8Array = new Uint8Array(width * height),
  offset?: Float32Array,
  classes: readonly number[] = KNUTH_CLASS_MATRIX,
): Uint8Array {
  const n = width * height;
  if (gray.length < n || out.length < n) throw new RangeError('dotDiffuse: buffer smaller than width × height');
  // Class of every pixel, then the pixels in class order (counting sort; raster order within a class).
  const cls = new Uint8Array(n);
  const count = new Int32Array(65);
  for (let y = 0; y < height; y++) {
    const row = (y & 7) * 8;
    for (let x = 0; x < width; x++) {
      const c = classes[row + (x & 7)];
      cls[y * width + x] = c;
      count[c + 1]++;
    }
  }
  for (let c = 0; c < 64; c++) count[c + 1] += count[c];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[count[cls[i]]++] = i;
  const err = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const x = i % width;
    const y = (i - x) / width;
    const g = gray[i];
    const v = g + err[i];
    const d = offset === undefined ? v : v + offset[i];
    const bit = g <= 0 ? 0 : g >= 1 ? 1 : d > 0.5 ? 1 : 0;
    out[i] = bit;
    const e = (v - bit) * strength;
    if (e === 0) continue;
    const c = cls[i];
    let sum = 0;
    for (let j = 0; j < 8; j++) {
      const xx = x + NX[j];
      const yy = y + NY[j];
      if (xx >= 0 && xx < width && yy >= 0 && yy < height && cls[yy * width + xx] > c) sum += NW[j];
    }
    if (sum === 0) continue; // a baron: its error is dropped
    const f = e / sum;
    for (let j = 0; j < 8; j++) {
      const xx = x + NX[j];
      const yy = y + NY[j];
      if (xx >= 0 && xx < width && yy >= 0 && yy < height) {
        const q = yy * width + xx;
        if (cls[q] > c) err[q] += f * NW[j];
      }
    }
  }
  return out;
}
