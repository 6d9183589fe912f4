/**
 * Text found as boxes and drawn as a clean threshold on a SOLID ground.
 *
 * An OCR engine (and a reader) needs letters on a clean ground: a patterned
 * or dithered ground around them reads as more characters. So text is found
 * as regions, not pixels:
 *
 *   seeds   letter-like pieces of stroke cells (ink at least the contrast
 *           beyond the ground within 2 cells, dark or light, whatever third
 *           tone is near: stripes, shading), 3 px to a letter's height, thin;
 *   blobs   seeds merged over 2-px gaps into words and lines;
 *   again   in the rows of the boxes found, fainter strokes seed too (a word
 *           on a lighter patch of its line joins it);
 *   line    a blob that fails beside a text box, on the same line, is tried
 *           with that box's threshold (a short word, or one crossed by a
 *           third tone that breaks Otsu's split);
 *   boxes   a blob (or, failing that, its densest band of rows) is text when its bounding box is two-toned as a whole
 *           (Otsu's threshold splits it cleanly), the minority tone is a
 *           minority, and it falls into several letter-sized pieces, with
 *           thin strokes, in a box wider than high. Photo edges (one long
 *           piece), texture (not two-toned) and windows, leaves or shadows
 *           (blobs, not strokes) fail; on devbench no photo has a box.
 *
 * Each text box, padded, is drawn as its threshold with specks removed:
 * strokes one colour, the ground solid in the other, and the ground runs
 * across the picture along its rows (a banner: an OCR engine reads a line
 * across the whole picture, and a pattern beside the words reads as more
 * characters).
 *
 * Every test reads the WORKING resolution (the lines' resolution, a few
 * times the grid) through the grid's cells: a letter stroke one grid pixel
 * wide is a mixed, mid-gray cell at the grid but full contrast above it, so
 * contrast and Otsu's threshold are taken over the working pixels, and a
 * cell is stroke when enough of its working pixels are.
 */
import { dilate, dropShort, forEachPiece } from './kernels.js';

/** Coded gray at the working resolution (width × height) and the grid it maps to (gw × gh cells). */
export interface WorkPlane {
  data: Float32Array;
  width: number;
  height: number;
  gw: number;
  gh: number;
}

/** A rectangle of grid pixels, inclusive. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A text box: its strokes (1 = stroke, bw × bh), its ground colour (1 = paper), the threshold that drew them (coded gray) and its tallest letter (grid px). */
export interface TextBox extends Rect {
  strokes: Uint8Array;
  ground: 0 | 1;
  level: number;
  letter: number;
}

/** Seeds are merged into words and lines over gaps this wide (grid px). */
const MERGE = 2;
/** Ground kept solid around a box (grid px). */
const PAD = 2;
/**
 * Above and below, the solid ground is this share of the box's tallest
 * letter when that is more than PAD (a quiet zone between the lines and a
 * patterned scene, which the OCR engine otherwise reads as a line of its
 * own). Measured on the tuning text sets (seeds 4242 / 777; solid rows that
 * lines still crossed): 0.25 read 0.927 / 0.913 OCR characters against
 * 0.922 / 0.900 with PAD alone (0.5: 0.869 / 0.935; a fixed 3 or 4 px:
 * 0.893 / 0.920, 0.905 / 0.944), at 0.3 dB less tone PSNR. As drawn here
 * (rows solid ground, no lines across them): 0.951 / 0.910.
 */
const QUIET = 0.25;
/** Share of the box's variance that its two Otsu classes explain, at least (text on a plain or shaded ground). */
const SEPARATION = 0.7;
/** The strokes' share of the box, at most (letters are a minority of their box). */
const MAX_STROKES = 0.45;
const MIN_STROKES = 0.05;
/** Share of stroke pixels whose four neighbours are strokes too, at most (2-px strokes have none; windows and leaves are blobs). */
const MAX_INNER = 0.2;
/** Width over height of a text box, at least (words and lines run sideways); a box is at most half the picture high (at a 32-px grid a building's windows pass every other test). */
const MIN_ASPECT = 1.4;
/** Letter-sized pieces a text box has at least. */
const MIN_LETTERS = 3;
/**
 * Share of a cell's working pixels on the strokes' side from which the cell
 * is stroke (seeds and drawn strokes). Measured on the tuning text set: 0.25
 * and 0.45 read 0.79 / 0.86 OCR characters against 0.89 at 0.35.
 */
const COVER = 0.35;
/** A stroke is judged against the ground within this many cells. */
const REACH = 2;
/** Seed pieces taller than this (grid px, or half the grid's height) are not letters. */
const MAX_LETTER = 40;
/** Share of a seed piece's pixels with all four neighbours set, at most (letters are thin). */
const PIECE_INNER = 0.3;
/**
 * A blob that fails the tests is tried with the threshold and polarity of a
 * text box on its line (rows overlapping this share of the blob's height),
 * without the two-tone and aspect tests: the words of a line share their ink.
 * Measured on the tuning sets: 0.858 OCR characters on seed 777 against
 * 0.846 ("hill", 1.3 times as wide as high, and "EXIT", crossed by a dark
 * stripe, were lost); seed 4242 unchanged.
 */
const SAME_LINE = 0.5;
/**
 * In the rows of a text box, strokes are seeded from this share of the
 * contrast. Measured on two tuning text sets (seeds 4242 and 777): 0.5 read
 * 0.924 / 0.836 OCR characters against 0.892 / 0.826 without the second
 * pass (0.4: 0.884 / 0.832, 0.7: 0.882 / 0.856); devbench has no box, so no change there.
 */
const FAINT = 0.5;
/**
 * A blob that fails the tests is tried again as its densest band of rows
 * (mainLine): rows with at least this share of the peak row's seeds, a band
 * at least BAND_ASPECT times as wide as high and BAND_HEIGHT px high with
 * its margin. Measured on the tuning sets: 0.4 read 0.846 on seed 777
 * (0.836 without the band), 0.25 0.840 and put a box on a devbench photo;
 * seed 4242 is unchanged.
 */
const BAND_SHARE = 0.4;
const BAND_ASPECT = 3;
const BAND_HEIGHT = 9;

/** The working plane's pixels as cells: first index of each cell along a side (n + 1 entries). */
function cellStarts(size: number, cells: number): Int32Array {
  const start = new Int32Array(cells + 1);
  let c = 0;
  for (let x = 0; x < size; x++) {
    const cell = Math.min(cells - 1, Math.floor((x * cells) / size));
    while (c <= cell) start[c++] = x;
  }
  while (c <= cells) start[c++] = size;
  return start;
}

/**
 * Seeds of text at the grid: letter-like pieces of stroke cells, for dark
 * and for light text. A cell is a dark (light) stroke cell when COVER of its
 * working pixels are at least `contrast` darker (lighter) than the lightest
 * (darkest) working pixel within REACH cells: ink against its ground,
 * whatever else (stripes, shading, a third tone) is near. Its 8-connected
 * pieces are letters or words when they are 3 px to MAX_LETTER tall and
 * thin (at most PIECE_INNER of their pixels have all four neighbours set):
 * a text ground, a dark sky or a shadow is one big solid piece, a stripe
 * runs across the picture.
 */
export function textSeeds(work: WorkPlane, contrast: number): Uint8Array {
  const { data, width, gw, gh } = work;
  const xs = cellStarts(width, gw);
  const ys = cellStarts(work.height, gh);
  const lo = new Float32Array(gw * gh).fill(Infinity);
  const hi = new Float32Array(gw * gh).fill(-Infinity);
  for (let cy = 0; cy < gh; cy++)
    for (let y = ys[cy]; y < ys[cy + 1]; y++)
      for (let cx = 0; cx < gw; cx++) {
        const c = cy * gw + cx;
        for (let x = xs[cx]; x < xs[cx + 1]; x++) {
          const v = data[y * width + x];
          if (v < lo[c]) lo[c] = v;
          if (v > hi[c]) hi[c] = v;
        }
      }
  const seed = new Uint8Array(gw * gh);
  const area = (cx: number, cy: number) => (xs[cx + 1] - xs[cx]) * (ys[cy + 1] - ys[cy]);
  // The ground each cell is compared with: the brightest (for dark ink) or darkest cell within REACH.
  const ground = { dark: windowExtreme(hi, gw, gh, REACH, 1), light: windowExtreme(lo, gw, gh, REACH, -1) };
  for (const dark of [true, false]) {
    const cand = new Uint8Array(gw * gh);
    const refs = dark ? ground.dark : ground.light;
    // Ink is how far a pixel lies from the ground, towards dark or light: sign × (ground − v).
    const sign = dark ? 1 : -1;
    for (let cy = 0; cy < gh; cy++)
      for (let cx = 0; cx < gw; cx++) {
        const c = cy * gw + cx;
        const ref = refs[c];
        if (dark ? ref - lo[c] < contrast : hi[c] - ref < contrast) continue;
        let on = 0;
        for (let y = ys[cy]; y < ys[cy + 1]; y++)
          for (let x = xs[cx], i = y * width + x; x < xs[cx + 1]; x++, i++) if (sign * (ref - data[i]) >= contrast) on++;
        if (on >= COVER * area(cx, cy)) cand[c] = 1;
      }
    // Letter-like pieces: a few pixels to a letter's height, thin (few pixels with all four neighbours set).
    forEachPiece(cand, gw, gh, (piece) => {
      if (piece.length < 3) return;
      let y0 = gh, y1 = -1, inner = 0;
      for (const i of piece) {
        const x = i % gw, y = (i - x) / gw;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (x > 0 && x < gw - 1 && y > 0 && y < gh - 1 && cand[i - 1] && cand[i + 1] && cand[i - gw] && cand[i + gw]) inner++;
      }
      const ph = y1 - y0 + 1;
      if (ph < 3 || ph > Math.min(MAX_LETTER, gh / 2) || inner > PIECE_INNER * piece.length) return;
      for (const i of piece) seed[i] = 1;
    });
  }
  return seed;
}

/** The maximum (sign 1) or minimum (−1) of `v` over each cell's (2r+1)² window, clipped at the edges: along rows, then along columns. */
function windowExtreme(v: Float32Array, w: number, h: number, r: number, sign: 1 | -1): Float32Array {
  const pick = sign > 0 ? Math.max : Math.min;
  const rows = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) extreme1d(v, rows, y * w, 1, w, r, pick);
  for (let x = 0; x < w; x++) extreme1d(rows, out, x, w, h, r, pick);
  return out;
}

/** One line (start, stride, n) of windowExtreme: each element's extreme within r of it. */
function extreme1d(src: Float32Array, dst: Float32Array, start: number, stride: number, n: number, r: number, pick: (a: number, b: number) => number): void {
  for (let i = 0; i < n; i++) {
    let m = src[start + i * stride];
    for (let j = Math.max(0, i - r); j <= Math.min(n - 1, i + r); j++) m = pick(m, src[start + j * stride]);
    dst[start + i * stride] = m;
  }
}

/**
 * Text boxes: seeds at `contrast` grouped into boxes, then, in the rows of
 * the boxes found, seeds at FAINT × `contrast` too (a word on a lighter
 * patch of its line), grouped and tested again; a box of the second pass
 * replaces the first-pass boxes it covers.
 */
export function findText(work: WorkPlane, contrast: number): TextBox[] {
  const seeds = textSeeds(work, contrast);
  const boxes = findTextBoxes(work, seeds, contrast);
  if (boxes.length === 0) return boxes;
  const faint = textSeeds(work, contrast * FAINT);
  for (const b of boxes) for (let i = b.y0 * work.gw; i < (b.y1 + 1) * work.gw; i++) if (faint[i]) seeds[i] = 1;
  const failed: Rect[] = [];
  const wider = findTextBoxes(work, seeds, contrast, failed);
  const covered = (b: TextBox) => wider.some((m) => m.x0 <= b.x0 && m.x1 >= b.x1 && m.y0 <= b.y0 && m.y1 >= b.y1);
  const found = [...wider, ...boxes.filter((b) => !covered(b))];
  return [...found, ...sameLine(work, failed, found, contrast)];
}

/** The failed blobs (`failed`) that are text with the threshold of a box on their line (SAME_LINE), and touch no box. */
export function sameLine(work: WorkPlane, failed: readonly Rect[], boxes: readonly TextBox[], contrast: number): TextBox[] {
  const xs = cellStarts(work.width, work.gw);
  const ys = cellStarts(work.height, work.gh);
  const out: TextBox[] = [];
  for (const f of failed) {
    if (boxes.some((b) => b.x0 <= f.x1 && b.x1 >= f.x0 && b.y0 <= f.y1 && b.y1 >= f.y0)) continue;
    const line = boxes.find((b) => Math.min(b.y1, f.y1) - Math.max(b.y0, f.y0) + 1 >= SAME_LINE * (f.y1 - f.y0 + 1));
    const box = line && textBox(work, xs, ys, f.x0, f.y0, f.x1, f.y1, contrast, line);
    if (box) out.push(box);
  }
  return out;
}

/**
 * Text boxes at the grid. `seed` (gw × gh) marks the high-contrast,
 * two-toned cells; `contrast` is the least difference between the box's
 * two class means. The blobs (or the parts of them beside their densest
 * band) that are not text go to `failed`.
 */
export function findTextBoxes(work: WorkPlane, seed: Uint8Array, contrast: number, failed?: Rect[]): TextBox[] {
  const { gw: width, gh: height } = work;
  const grown = dilate(seed, width, height, MERGE);
  const boxes: TextBox[] = [];
  const xs = cellStarts(work.width, width);
  const ys = cellStarts(work.height, height);
  forEachPiece4(grown, width, height, (x0, y0, x1, y1) => {
    const whole = textBox(work, xs, ys, x0, y0, x1, y1, contrast);
    if (whole) return void boxes.push(whole);
    const band = mainLine(work, xs, ys, seed, x0, y0, x1, y1, contrast);
    if (!band) return void failed?.push({ x0, y0, x1, y1 });
    boxes.push(band);
    // What the band leaves of the blob, above and below it (a word of the next line that grew into it).
    if (band.y0 > y0) failed?.push({ x0, y0, x1, y1: band.y0 - 1 });
    if (band.y1 < y1) failed?.push({ x0, y0: band.y1 + 1, x1, y1 });
  });
  return boxes;
}

/**
 * A blob that is not text as a whole may be a line of text that grew into
 * its surroundings (stripes, a shape): its densest band of seed rows (rows
 * with at least BAND_SHARE of the peak row's seeds), tested as a box of its
 * own.
 */
function mainLine(work: WorkPlane, xs: Int32Array, ys: Int32Array, seed: Uint8Array, x0: number, y0: number, x1: number, y1: number, contrast: number): TextBox | undefined {
  const gw = work.gw;
  const rows: number[] = [];
  for (let y = y0; y <= y1; y++) {
    let c = 0;
    for (let x = x0; x <= x1; x++) c += seed[y * gw + x];
    rows.push(c);
  }
  let peak = 0;
  for (let r = 1; r < rows.length; r++) if (rows[r] > rows[peak]) peak = r;
  const least = BAND_SHARE * rows[peak];
  let top = peak, bottom = peak;
  while (top > 0 && rows[top - 1] >= least) top--;
  while (bottom < rows.length - 1 && rows[bottom + 1] >= least) bottom++;
  if (top === 0 && bottom === rows.length - 1) return undefined;
  // The band's columns: those with a seed in it.
  let bx0 = x1, bx1 = x0;
  for (let y = y0 + top; y <= y0 + bottom; y++) for (let x = x0; x <= x1; x++) if (seed[y * gw + x]) (bx0 = Math.min(bx0, x)), (bx1 = Math.max(bx1, x));
  // A line: several words wide, tall enough for letters (at a 32-px grid a building's windows make 6-px bands).
  if (bx1 < bx0 || bx1 - bx0 + 1 < BAND_ASPECT * (bottom - top + 1) || bottom - top + 1 + 2 * MERGE < BAND_HEIGHT) return undefined;
  return textBox(work, xs, ys, Math.max(0, bx0 - MERGE), Math.max(0, y0 + top - MERGE), Math.min(gw - 1, bx1 + MERGE), Math.min(work.gh - 1, y0 + bottom + MERGE), contrast);
}

/** Calls `visit` with the bounding box of each 4-connected piece of set pixels. */
function forEachPiece4(m: Uint8Array, width: number, height: number, visit: (x0: number, y0: number, x1: number, y1: number) => void): void {
  const seen = new Uint8Array(m.length);
  const stack: number[] = [];
  for (let s = 0; s < m.length; s++) {
    if (!m[s] || seen[s]) continue;
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
      if (x > 0 && m[i - 1] && !seen[i - 1]) (seen[i - 1] = 1), stack.push(i - 1);
      if (x < width - 1 && m[i + 1] && !seen[i + 1]) (seen[i + 1] = 1), stack.push(i + 1);
      if (y > 0 && m[i - width] && !seen[i - width]) (seen[i - width] = 1), stack.push(i - width);
      if (y < height - 1 && m[i + width] && !seen[i + width]) (seen[i + width] = 1), stack.push(i + width);
    }
    visit(x0, y0, x1, y1);
  }
}

/**
 * The box as text (its strokes and ground), or undefined when it is not
 * text. With `line` (a text box on the same line) its threshold and
 * polarity are taken instead of Otsu's, and a short word may be narrow.
 */
function textBox(work: WorkPlane, xs: Int32Array, ys: Int32Array, x0: number, y0: number, x1: number, y1: number, contrast: number, line?: TextBox): TextBox | undefined {
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  if (bh < 5 || (!line && bw < MIN_ASPECT * bh) || bh > work.gh / 2) return undefined;
  const { data, width } = work;
  let level: number, dark: boolean;
  if (line) {
    level = line.level;
    dark = line.ground === 1;
  } else {
    const bins = new Float64Array(256);
    for (let y = ys[y0]; y < ys[y1 + 1]; y++) for (let x = xs[x0]; x < xs[x1 + 1]; x++) bins[Math.min(255, Math.max(0, Math.floor(data[y * width + x] * 256)))]++;
    const split = otsu(bins);
    if (split.separation < SEPARATION || split.highMean - split.lowMean < contrast) return undefined;
    level = split.level;
    // The minority class is the strokes; the ground takes the other colour.
    dark = split.lowShare <= 0.5;
  }
  const strokes = new Uint8Array(bw * bh);
  let strokeCells = 0;
  for (let cy = 0; cy < bh; cy++)
    for (let cx = 0; cx < bw; cx++) {
      let on = 0;
      const gx = cx + x0, gy = cy + y0;
      for (let y = ys[gy]; y < ys[gy + 1]; y++) for (let x = xs[gx]; x < xs[gx + 1]; x++) if (data[y * width + x] <= level === dark) on++;
      if (on > 0 && on >= COVER * (xs[gx + 1] - xs[gx]) * (ys[gy + 1] - ys[gy])) {
        strokes[cy * bw + cx] = 1;
        strokeCells++;
      }
    }
  const strokeShare = strokeCells / (bw * bh);
  if (strokeShare < MIN_STROKES || strokeShare > MAX_STROKES) return undefined;
  // Letters: 8-connected stroke pieces of at least 3 px whose height is at most 0.9 of the box and at least a quarter of the tallest.
  const heights = pieceHeights(strokes, bw, bh).filter((h) => h >= 2);
  const tallest = heights.reduce((a, h) => Math.max(a, h), 0);
  const letters = heights.filter((h) => h >= tallest / 4 && h < 0.9 * bh + 1).length;
  if (letters < MIN_LETTERS) return undefined;
  // Strokes are thin: few stroke pixels have all four neighbours stroke too (windows, leaves and shadows are blobs).
  let inner = 0;
  for (let y = 1; y < bh - 1; y++)
    for (let x = 1; x < bw - 1; x++) {
      const i = y * bw + x;
      if (strokes[i] && strokes[i - 1] && strokes[i + 1] && strokes[i - bw] && strokes[i + bw]) inner++;
    }
  if (inner > MAX_INNER * strokeCells) return undefined;
  return { x0, y0, x1, y1, strokes, ground: dark ? 1 : 0, level, letter: tallest };
}

/**
 * Draws the boxes into `fixed` (gw × gh; `paper` / `ink`: values that take
 * no part in the error diffusion): inside, the box's strokes with specks
 * under 3 px turned to ground; solid ground PAD px beside it and QUIET of its
 * tallest letter (at least PAD) above and below; and the rest of those rows,
 * across the picture, solid ground too where nothing else is drawn.
 */
export function drawTextBoxes(boxes: TextBox[], fixed: Uint8Array, width: number, height: number, paper: number, ink: number, free: number): void {
  const quiet = (b: TextBox) => Math.max(PAD, Math.round(QUIET * b.letter));
  for (const b of boxes) {
    const ground = b.ground ? paper : ink;
    const stroke = b.ground ? ink : paper;
    const px0 = Math.max(0, b.x0 - PAD), px1 = Math.min(width - 1, b.x1 + PAD);
    const py0 = Math.max(0, b.y0 - quiet(b)), py1 = Math.min(height - 1, b.y1 + quiet(b));
    const bw = b.x1 - b.x0 + 1;
    const strokes = dropShort(new Uint8Array(b.strokes), bw, b.y1 - b.y0 + 1, 3);
    for (let y = py0; y <= py1; y++)
      for (let x = px0; x <= px1; x++) {
        const inside = x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
        fixed[y * width + x] = inside && strokes[(y - b.y0) * bw + x - b.x0] ? stroke : ground;
      }
  }
  // After every box is drawn, so one box's rows never cover another's strokes or ring.
  for (const b of boxes) {
    const ground = b.ground ? paper : ink;
    for (let y = Math.max(0, b.y0 - quiet(b)); y <= Math.min(height - 1, b.y1 + quiet(b)); y++)
      for (let i = y * width; i < (y + 1) * width; i++) if (fixed[i] === free) fixed[i] = ground;
  }
}

/** Otsu's threshold of a 256-bin histogram of values in 0..1, with how well it splits them. */
function otsu(bins: Float64Array): { level: number; separation: number; lowMean: number; highMean: number; lowShare: number } {
  let n = 0, sum = 0, sum2 = 0;
  for (let t = 0; t < 256; t++) {
    const v = (t + 0.5) / 256;
    n += bins[t];
    sum += bins[t] * v;
    sum2 += bins[t] * v * v;
  }
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
