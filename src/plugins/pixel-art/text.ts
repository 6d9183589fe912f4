/**
 * Text found as boxes and drawn as a clean threshold on a SOLID ground.
 *
 * An OCR engine (and a reader) needs letters on a clean ground: a patterned
 * or dithered ground around them reads as more characters. So text is found
 * as regions, not pixels: seeds where the 3×3 contrast is high and the 5×5
 * neighbourhood two-toned, merged into word / line blobs; a blob is text
 * when its bounding box is two-toned as a whole (Otsu's threshold splits it
 * cleanly), the minority tone is a minority, and it falls into several
 * letter-sized pieces, with thin strokes, in a box wider than high. Photo
 * edges (one long piece), texture (not two-toned) and windows, leaves or
 * shadows (blobs, not strokes) fail these tests; on devbench no photo has a box. Each text box, padded, is drawn
 * as its Otsu threshold with specks removed: strokes one colour, the ground
 * solid in the other.
 */
import { dilate, dropShort, forEachPiece } from './kernels.js';

/** A rectangle of grid pixels, inclusive, with the threshold that splits it and its ground colour (1 = paper). */
export interface TextBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  level: number;
  ground: 0 | 1;
}

/** Seeds are merged into words and lines over gaps this wide (grid px). */
const MERGE = 2;
/** Ground kept solid around a box (grid px). */
const PAD = 2;
/** Share of the box's variance that its two Otsu classes explain, at least (text on a plain or shaded ground). */
const SEPARATION = 0.7;
/** The strokes' share of the box, at most (letters are a minority of their box). */
const MAX_STROKES = 0.45;
const MIN_STROKES = 0.05;
/** Share of stroke pixels whose four neighbours are strokes too, at most (2-px strokes have none; windows and leaves are blobs). */
const MAX_INNER = 0.2;
/** Width over height of a text box, at least (words and lines run sideways). */
const MIN_ASPECT = 1.4;
/** Letter-sized pieces a text box has at least. */
const MIN_LETTERS = 3;

/**
 * Text boxes in a coded-gray grid plane. `seed` marks the high-contrast,
 * two-toned pixels; `contrast` is the least difference between the box's
 * two class means.
 */
export function findTextBoxes(coded: Float32Array, seed: Uint8Array, width: number, height: number, contrast: number): TextBox[] {
  const grown = dilate(seed, width, height, MERGE);
  const boxes: TextBox[] = [];
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let s = 0; s < grown.length; s++) {
    if (!grown[s] || seen[s]) continue;
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    stack.push(s);
    seen[s] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && grown[i - 1] && !seen[i - 1]) (seen[i - 1] = 1), stack.push(i - 1);
      if (x < width - 1 && grown[i + 1] && !seen[i + 1]) (seen[i + 1] = 1), stack.push(i + 1);
      if (y > 0 && grown[i - width] && !seen[i - width]) (seen[i - width] = 1), stack.push(i - width);
      if (y < height - 1 && grown[i + width] && !seen[i + width]) (seen[i + width] = 1), stack.push(i + width);
    }
    const box = textBox(coded, width, x0, y0, x1, y1, contrast);
    if (box) boxes.push(box);
  }
  return boxes;
}

/** The box as text (its level and ground), or undefined when it is not text. */
function textBox(coded: Float32Array, width: number, x0: number, y0: number, x1: number, y1: number, contrast: number): TextBox | undefined {
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  if (bh < 5 || bw < MIN_ASPECT * bh) return undefined;
  const values: number[] = [];
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) values.push(coded[y * width + x]);
  const { level, separation, lowMean, highMean, lowShare } = otsu(values);
  if (separation < SEPARATION || highMean - lowMean < contrast) return undefined;
  // The minority class is the strokes; the ground takes the other colour.
  const dark = lowShare <= 0.5;
  const strokeShare = dark ? lowShare : 1 - lowShare;
  if (strokeShare < MIN_STROKES || strokeShare > MAX_STROKES) return undefined;
  const strokes = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) strokes[y * bw + x] = coded[(y + y0) * width + x + x0] <= level === dark ? 1 : 0;
  // Letters: 8-connected stroke pieces of at least 3 px whose height is at most 0.9 of the box and at least a quarter of the tallest.
  const heights = pieceHeights(strokes, bw, bh).filter((h) => h >= 2);
  const tallest = heights.reduce((a, h) => Math.max(a, h), 0);
  const letters = heights.filter((h) => h >= tallest / 4 && h < 0.9 * bh + 1).length;
  if (letters < MIN_LETTERS) return undefined;
  // Strokes are thin: few stroke pixels have all four neighbours stroke too (windows, leaves and shadows are blobs).
  let inner = 0, total = 0;
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (strokes[i]) {
        total++;
        if (x > 0 && x < bw - 1 && y > 0 && y < bh - 1 && strokes[i - 1] && strokes[i + 1] && strokes[i - bw] && strokes[i + bw]) inner++;
      }
    }
  if (inner > MAX_INNER * total) return undefined;
  return { x0, y0, x1, y1, level, ground: dark ? 1 : 0 };
}

/**
 * Draws the boxes into `fixed` (2 = paper, 3 = ink, no part in the error
 * diffusion): inside, the box's threshold with specks under 3 px turned to
 * ground; a PAD-px ring of solid ground around it.
 */
export function drawTextBoxes(boxes: TextBox[], coded: Float32Array, fixed: Uint8Array, width: number, height: number, paper: number, ink: number): void {
  for (const b of boxes) {
    const ground = b.ground ? paper : ink;
    const stroke = b.ground ? ink : paper;
    const px0 = Math.max(0, b.x0 - PAD), px1 = Math.min(width - 1, b.x1 + PAD);
    const py0 = Math.max(0, b.y0 - PAD), py1 = Math.min(height - 1, b.y1 + PAD);
    const bw = b.x1 - b.x0 + 1;
    const bh = b.y1 - b.y0 + 1;
    const strokes = new Uint8Array(bw * bh);
    for (let y = 0; y < bh; y++)
      for (let x = 0; x < bw; x++) strokes[y * bw + x] = (coded[(y + b.y0) * width + x + b.x0] <= b.level) === (b.ground === 1) ? 1 : 0;
    dropShort(strokes, bw, bh, 3);
    for (let y = py0; y <= py1; y++)
      for (let x = px0; x <= px1; x++) {
        const inside = x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
        fixed[y * width + x] = inside && strokes[(y - b.y0) * bw + x - b.x0] ? stroke : ground;
      }
  }
}

/** Otsu's threshold of a list of values in 0..1 (256 bins), with how well it splits them. */
function otsu(values: number[]): { level: number; separation: number; lowMean: number; highMean: number; lowShare: number } {
  const bins = new Float64Array(256);
  let sum = 0, sum2 = 0;
  for (const v of values) {
    bins[Math.min(255, Math.max(0, Math.floor(v * 256)))]++;
    sum += v;
    sum2 += v * v;
  }
  const n = values.length;
  const mean = sum / n;
  const total = sum2 / n - mean * mean;
  let best = -1, level = 0.5, w0 = 0, s0 = 0, bestW = 0, bestLow = 0, bestHigh = 1;
  for (let t = 0; t < 255; t++) {
    w0 += bins[t];
    s0 += bins[t] * ((t + 0.5) / 256);
    if (w0 === 0 || w0 === n) continue;
    const m0 = s0 / w0;
    const m1 = (sum - s0) / (n - w0);
    const between = (w0 / n) * (1 - w0 / n) * (m1 - m0) ** 2;
    if (between > best) {
      best = between;
      level = (t + 1) / 256;
      bestW = w0 / n;
      bestLow = m0;
      bestHigh = m1;
    }
  }
  return { level, separation: total > 0 ? best / total : 0, lowMean: bestLow, highMean: bestHigh, lowShare: bestW };
}

/** Heights of the 8-connected pieces of set pixels with at least 3 pixels. */
function pieceHeights(m: Uint8Array, width: number, height: number): number[] {
  const out: number[] = [];
  forEachPiece(m, width, height, (piece) => {
    if (piece.length < 3) return;
    let lo = height, hi = -1;
    for (const i of piece) {
      const y = Math.floor(i / width);
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    out.push(hi - lo + 1);
  });
  return out;
}

