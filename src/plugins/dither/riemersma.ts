/**
 * Riemersma dithering: T. Riemersma, "A Balanced Dithering Technique",
 * C/C++ Users Journal, Dec. 1998. The image is walked along a Hilbert curve;
 * each pixel gets a correction from the errors of the last Q = 16 pixels on
 * the curve, weighted exponentially from 1 (newest) down to 1/16 (oldest,
 * ratio r = 1/16), then is thresholded at 0.5. As in the article, the stored
 * error is the pixel's own value minus its output (not including the
 * correction) and the weights are the article's rounded integers
 * round(16^(i/15)) / 16, i = 0..15, so the correction is a weighted sum, not
 * an average.
 *
 * Sizes that are not a power of two: the curve is drawn over the enclosing
 * 2^k square and the points outside the image are skipped, so every pixel is
 * visited exactly once (the walk jumps where the curve leaves the image).
 */

export const RIEMERSMA_QUEUE = 16;
export const RIEMERSMA_RATIO = 16; // newest weight / oldest weight

/** Weights for queue slots oldest (0) .. newest (15), on the unit scale. */
export function riemersmaWeights(size = RIEMERSMA_QUEUE, ratio = RIEMERSMA_RATIO): Float64Array {
  const w = new Float64Array(size);
  const m = Math.exp(Math.log(ratio) / (size - 1));
  let v = 1;
  for (let i = 0; i < size; i++, v *= m) w[i] = Math.floor(v + 0.5) / ratio;
  return w;
}

/**
 * Pixel indices of a w×h image in Hilbert-curve order (the curve over the
 * smallest enclosing 2^k square, points outside the image skipped).
 * The standard index-to-(x, y) conversion (e.g. Hacker's Delight, 2nd ed., §16).
 */
export function hilbertOrder(width: number, height: number): Uint32Array {
  let side = 1;
  while (side < width || side < height) side *= 2;
  const order = new Uint32Array(width * height);
  let k = 0;
  const total = side * side;
  for (let d = 0; d < total; d++) {
    let x = 0;
    let y = 0;
    let t = d;
    for (let s = 1; s < side; s *= 2) {
      const rx = 1 & (t >>> 1);
      const ry = 1 & (t ^ rx);
      if (ry === 0) {
        if (rx === 1) {
          x = s - 1 - x;
          y = s - 1 - y;
        }
        const tmp = x;
        x = y;
        y = tmp;
      }
      x += s * rx;
      y += s * ry;
      t >>>= 2;
    }
    if (x < width && y < height) order[k++] = y * width + x;
  }
  return order;
}

let cachedKey = '';
let cachedOrder: Uint32Array = new Uint32Array(0);

export function riemersma(
  gray: Float32Array,
  width: number,
  height: number,
  strength: number,
  out: Uint8Array = new Uint8Array(width * height),
  offset?: Float32Array,
  weights: Float64Array = riemersmaWeights(),
): Uint8Array {
  const n = width * height;
  if (gray.length < n || out.length < n) throw new RangeError('riemersma: buffer smaller than width × height');
  const key = `${width}x${height}`;
  if (key !== cachedKey) {
    cachedOrder = hilbertOrder(width, height);
    cachedKey = key;
  }
  const order = cachedOrder;
  const q = weights.length;
  const ring = new Float64Array(q); // ring[(head + i) % q] is slot i (0 = oldest)
  let head = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    let c = 0;
    for (let j = 0, r = head; j < q; j++, r = r + 1 === q ? 0 : r + 1) c += ring[r] * weights[j];
    const g = gray[i];
    const v = g + c * strength;
    const d = offset === undefined ? v : v + offset[i];
    const bit = g <= 0 ? 0 : g >= 1 ? 1 : d > 0.5 ? 1 : 0;
    out[i] = bit;
    // Drop the oldest, append the newest: the slot at head becomes the newest.
    ring[head] = g - bit;
    head = head + 1 === q ? 0 : head + 1;
  }
  return out;
}
