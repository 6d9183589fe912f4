/**
 * Edge-aware binarisation support: a per-pixel decision offset computed at
 * grid resolution from a 3×3 neighbourhood, so thin lines stay on their side
 * of the threshold and step edges come out clean instead of fringed.
 *
 * With c = g − mean₃ₓ₃ (local contrast) and S = |Sobel gradient| (I. Sobel,
 * G. Feldman, "A 3×3 isotropic gradient operator", 1968):
 *
 *   line(x) = sign(c)·max(0, |c| − S/12 − LINE_MIN)   a 1-px line or dot:
 *             S ≈ 0 at its centre and |c| ≈ 2/3 of its contrast (8/9 for a
 *             dot); on a step edge |c| ≈ S/12, so 0; faint texture (|c| below
 *             LINE_MIN) is left alone
 *   edge(x) = min(1, S / (4·EDGE_FULL))     step-edge strength (a unit step gives S = 4)
 *   offset  = strength · (LINE_GAIN·line + EDGE_GAIN·edge·c)
 *
 * The line term pushes a thin dark line's pixels firmly towards ink (a light
 * line's towards paper), so error arriving from the background no longer
 * breaks it into dashes (crossings of two lines have less contrast and may
 * still show a gap). The edge term (negative gain) damps the fringe of
 * isolated dots that plain error diffusion leaves along step edges. Error
 * diffusion adds the offset to the decision only, never to the diffused
 * error (threshold modulation as in R. Eschbach, K. T. Knox,
 * "Error-diffusion algorithm with edge enhancement", JOSA A 8(12):1844–1850,
 * 1991), so the average tone is kept. Flat areas get 0. Borders replicate.
 * The gains were tuned on devbench as a whole (bench/quality-methods.ts).
 */

export const LINE_GAIN = 4;
/** Line contrast below this is left alone (texture in photos); above it the line term grows fast. */
export const LINE_MIN = 0.15;
export const EDGE_GAIN = -1;
/** Gray step (0..1) whose Sobel response counts as a full-strength edge. */
export const EDGE_FULL = 0.1;

export function edgeOffset(
  gray: Float32Array,
  width: number,
  height: number,
  strength: number,
  lineGain = LINE_GAIN,
  edgeGain = EDGE_GAIN,
  lineMin = LINE_MIN,
): Float32Array {
  const off = new Float32Array(width * height);
  if (strength === 0 || width === 0 || height === 0) return off;
  const norm = 1 / (4 * EDGE_FULL);
  const kl = strength * lineGain;
  const ke = strength * edgeGain;
  const lastX = width - 1;
  const lastY = height - 1;
  for (let y = 0; y < height; y++) {
    const r0 = (y === 0 ? 0 : y - 1) * width;
    const r1 = y * width;
    const r2 = (y === lastY ? lastY : y + 1) * width;
    for (let x = 0; x < width; x++) {
      const xl = x === 0 ? 0 : x - 1;
      const xr = x === lastX ? lastX : x + 1;
      const a = gray[r0 + xl], b = gray[r0 + x], c = gray[r0 + xr];
      const d = gray[r1 + xl], e = gray[r1 + x], f = gray[r1 + xr];
      const g = gray[r2 + xl], h = gray[r2 + x], i = gray[r2 + xr];
      const gx = c + 2 * f + i - (a + 2 * d + g);
      const gy = g + 2 * h + i - (a + 2 * b + c);
      const s = Math.sqrt(gx * gx + gy * gy);
      const contrast = e - (a + b + c + d + e + f + g + h + i) / 9;
      const excess = Math.abs(contrast) - s / 12 - lineMin;
      const line = excess > 0 ? (contrast > 0 ? excess : -excess) : 0;
      const edge = s * norm > 1 ? 1 : s * norm;
      off[r1 + x] = kl * line + ke * edge * contrast;
    }
  }
  return off;
}
