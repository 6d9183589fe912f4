/**
 * The contact sheet of an evaluation: a row per source (its job-sized gray
 * reference first), a column per method, every binary image scaled up by
 * the same whole factor with nearest neighbour so grid pixels stay crisp.
 */
import { basename } from 'node:path';
import { contactSheet, type SheetRow } from '../image/sheet.js';
import type { EvalResult } from './evaluate.js';

export const SHEET_GAP = 8;
export const SHEET_LABEL_HEIGHT = 18;

/** The whole-number upscale that makes a cell's long side at least 256 px (1 for big images). */
export function sheetScale(longSide: number): number {
  return Math.max(1, Math.floor(256 / longSide));
}

/** Cell size for the kept images: the largest binary size times the scale. */
export function sheetCellSize(result: EvalResult): { cellWidth: number; cellHeight: number; scale: number } {
  const scale = sheetScale(result.job.longSide);
  let w = 1;
  let h = 1;
  for (const k of result.kept) {
    for (const o of [k.reference, ...k.outputs]) {
      w = Math.max(w, o.width);
      h = Math.max(h, o.height);
    }
  }
  return { cellWidth: w * scale, cellHeight: h * scale, scale };
}

/** Rows for contactSheet: `source` then one cell per column (or the named ones), labelled with its σ1.5 tone PSNR (linear). */
export function sheetRows(result: EvalResult, columns?: readonly string[]): SheetRow[] {
  const picked = result.columns.flatMap((c, i) => (!columns || columns.includes(c.name) ? [i] : []));
  return result.kept.map((k) => {
    const image = result.images.find((i) => i.file === k.file);
    const scores = image && !image.skipped ? image.results : {};
    return {
      label: k.file,
      cells: [
        { image: k.reference, label: basename(k.file) },
        ...picked.map((i) => {
          const out = k.outputs[i];
          const name = result.columns[i].name;
          const s = scores[name]?.linear ?? scores[name]?.srgb;
          return { image: out, label: s ? `${name} ${s.tonePsnr15.toFixed(1)}dB` : name };
        }),
      ],
    };
  });
}

/** The sheet as PNG bytes; width = gap + columns·(cell + gap), height = gap + rows·(cell + label + gap). */
export async function evalSheet(result: EvalResult, options: { columns?: readonly string[] } = {}): Promise<Buffer> {
  if (result.kept.length === 0) throw new Error('evalSheet: no images were kept (pass keep > 0 to evaluateSet)');
  const { cellWidth, cellHeight } = sheetCellSize(result);
  return contactSheet(sheetRows(result, options.columns), { cellWidth, cellHeight, gap: SHEET_GAP, labelHeight: SHEET_LABEL_HEIGHT });
}
