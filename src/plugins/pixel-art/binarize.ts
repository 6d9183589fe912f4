/**
 * The structure-first binarizer as one function: working-resolution gray in,
 * grid-sized 1-bit image out. Order of decisions (later ones win):
 *
 *   1. tone: the gray area-averaged to the grid (linear light), coded in the
 *      chosen tone space, optionally smoothed edge-preservingly;
 *   2. text: letter-like pieces of strokes, found at the working
 *      resolution, grouped into boxes that fall into letter-sized pieces,
 *      drawn as a clean threshold on a solid ground (text.ts: strokes, not
 *      dots, and nothing around them for the eye or an OCR engine to
 *      misread), and the rest of their rows solid ground as well;
 *   3. lines: dark lines found at the working resolution, mapped to the
 *      grid, thinned to continuous 1-px lines, short pieces dropped, L
 *      corners removed; they are ink;
 *   4. silhouette: transparent pixels are paper, the opaque pixels touching
 *      them are ink (the sprite's outline);
 *   5. everything else is filled from the tone with the pattern table, by
 *      error diffusion of the level, so the fixed pixels' tone is accounted for;
 *   6. cleanup (option): pixels whose 8 neighbours all differ are flipped
 *      (not lines or outline, which are meant).
 */
import { convertSpace } from '../../image/color.js';
import type { ColorSpace } from '../../pipeline/types.js';
import { resizeBox } from '../../kernels/resize.js';
import { bilateral, dropShort, FREE, INK_ALONE, PAPER_ALONE, lineMap, patternFill, pixelPerfect, removeOrphans, thin, toGrid } from './kernels.js';
import type { FillPattern } from './patterns.js';
import { drawTextBoxes, findText } from './text.js';

export interface PixelArtParams {
  space: ColorSpace;
  pattern: FillPattern;
  /** Strong threshold of the line response (coded gray); 0 turns lines off. */
  lineContrast: number;
  /** Line pieces shorter than this many grid pixels are dropped. */
  minLine: number;
  /** Text: least contrast of a stroke against its ground (coded gray); 0 turns text boxes off. */
  detailContrast: number;
  /** Range σ of the edge-preserving smoothing (coded gray); 0 turns it off. */
  smooth: number;
  outline: boolean;
  cleanup: boolean;
  screen: number;
  /** Tones within this of paper or ink are solid, with no error carried (0 = off). */
  solid: number;
}

export interface PixelArtResult {
  data: Uint8Array;
  width: number;
  height: number;
  mask?: Uint8Array;
}

/** Line-finder scales in grid pixels: the centre sees a line, the surround its background. */
const SIGMA_CENTRE = 0.4;
const SIGMA_SURROUND = 1.2;
/**
 * `gray` is linear-light luminance at the working resolution (w × h), which is
 * `scale` times the grid (the grid is w / scale × h / scale, rounded). `mask`
 * (1 = opaque) is at the working resolution too.
 */
export function binarizePixelArt(gray: Float32Array, w: number, h: number, scale: number, params: PixelArtParams, mask?: Uint8Array): PixelArtResult {
  const gw = Math.max(1, Math.round(w / scale));
  const gh = Math.max(1, Math.round(h / scale));
  const n = gw * gh;
  const k = w / gw;

  // 1. tone at the grid.
  const linear = gw === w && gh === h ? gray : resizeBox(gray, w, h, 1, gw, gh);
  const coded = convertSpace(linear, 'linear', 'srgb');
  const spaced = params.space === 'srgb' ? coded : linear;
  const tone = params.smooth > 0 ? bilateral(spaced, gw, gh, params.space === 'srgb' ? params.smooth : params.smooth * 0.5) : spaced;

  const fixed = new Uint8Array(n).fill(FREE);

  // 2. text: letter-like pieces of strokes found at the working resolution,
  // merged into boxes that are tested as text (text.ts); each text box is
  // drawn as a clean threshold on a solid ground, taking no part in the
  // fill's error diffusion, and the rest of its rows are solid ground too. Per-pixel
  // adaptive thresholding (the first rule) read 0.41 OCR characters on the
  // tuning text set against 0.67 for boxes: the OCR engine reads a
  // patterned ground between letters as more letters.
  // Coded gray at the working resolution, for text and lines.
  const codedHi = gw === w && gh === h ? coded : convertSpace(gray, 'linear', 'srgb');
  if (params.detailContrast > 0) {
    const work = { data: codedHi, width: w, height: h, gw, gh };
    drawTextBoxes(findText(work, params.detailContrast), fixed, gw, gh, PAPER_ALONE, INK_ALONE, FREE);
  }

  // 3. lines.
  let lines: Uint8Array | undefined;
  if (params.lineContrast > 0) {
    const hi = lineMap(codedHi, w, h, SIGMA_CENTRE * k, SIGMA_SURROUND * k, params.lineContrast);
    lines = toGrid(hi, w, h, gw, gh);
    thin(lines, gw, gh);
    dropShort(lines, gw, gh, params.minLine);
    pixelPerfect(lines, gw, gh);
    // Inside the detail zone the adaptive threshold has drawn the strokes already.
    for (let i = 0; i < n; i++) if (lines[i] && fixed[i] === FREE) fixed[i] = 0;
  }

  // 4. silhouette.
  let gridMask: Uint8Array | undefined;
  const keep = new Uint8Array(n);
  if (lines) keep.set(lines);
  if (mask) {
    gridMask = gw === w && gh === h ? new Uint8Array(mask) : maskToGrid(mask, w, h, gw, gh);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        const i = y * gw + x;
        if (!gridMask[i]) {
          fixed[i] = PAPER_ALONE;
          continue;
        }
        if (!params.outline) continue;
        const edge = (x > 0 && !gridMask[i - 1]) || (x < gw - 1 && !gridMask[i + 1]) || (y > 0 && !gridMask[i - gw]) || (y < gh - 1 && !gridMask[i + gw]);
        if (edge) {
          fixed[i] = 0;
          keep[i] = 1;
        }
      }
    }
    for (let i = 0; i < n; i++) if (!gridMask[i]) keep[i] = 1;
  }

  // 5. fill, 6. cleanup.
  let data = patternFill(tone, fixed, gw, gh, params.pattern, params.screen, params.solid);
  if (params.cleanup) data = removeOrphans(data, gw, gh, keep);
  return gridMask ? { data, width: gw, height: gh, mask: gridMask } : { data, width: gw, height: gh };
}

/** A working-resolution mask at the grid: opaque when at least half the cell is. */
function maskToGrid(mask: Uint8Array, w: number, h: number, gw: number, gh: number): Uint8Array {
  const cover = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) cover[i] = mask[i];
  const small = resizeBox(cover, w, h, 1, gw, gh);
  const out = new Uint8Array(gw * gh);
  for (let i = 0; i < out.length; i++) out[i] = small[i] >= 0.5 ? 1 : 0;
  return out;
}
