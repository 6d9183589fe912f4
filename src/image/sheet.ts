/**
 * Contact sheets: sources in rows, methods or presets in columns, each cell
 * scaled with nearest-neighbour so pixels stay crisp, with text labels.
 * Used by scripts/contact-sheet.ts and `pixel eval --sheet`.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { ImageTensor } from '../pipeline/types.js';

export interface SheetCell {
  image: ImageTensor;
  label: string;
}

export interface SheetRow {
  label?: string;
  cells: SheetCell[];
}

/** RGB bytes of a tensor (binary ones through their palette). */
export function tensorToRgb(image: ImageTensor): Buffer {
  const n = image.width * image.height;
  const out = Buffer.alloc(n * 3);
  if (image.range === 'binary') {
    const ink = image.palette?.ink ?? { r: 0, g: 0, b: 0 };
    const paper = image.palette?.paper ?? { r: 255, g: 255, b: 255 };
    const accent = image.palette?.accent ?? { r: 255, g: 0, b: 0 };
    for (let i = 0; i < n; i++) {
      const c = image.accent?.[i] ? accent : image.data[i] ? paper : ink; // three-colour images show their third ink
      out[i * 3] = c.r;
      out[i * 3 + 1] = c.g;
      out[i * 3 + 2] = c.b;
    }
    return out;
  }
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * image.channels + (image.channels === 1 ? 0 : c)];
      out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** The largest k (≤ 16) such that the image is made of uniform k×k blocks. */
export function blockSize(image: ImageTensor): number {
  const { width: w, height: h, data } = image;
  for (let k = 16; k > 1; k--) {
    if (w % k || h % k) continue;
    let uniform = true;
    for (let y = 0; y < h && uniform; y++) {
      const row = y * w;
      const top = (y - (y % k)) * w;
      for (let x = 0; x < w; x++) {
        if (data[row + x] !== data[top + x - (x % k)]) {
          uniform = false;
          break;
        }
      }
    }
    if (uniform) return k;
  }
  return 1;
}

/** A nearest-upscaled binary image back at its grid size, so a sheet can show it whole. */
function undoBlocks(image: ImageTensor): ImageTensor {
  const k = blockSize(image);
  if (k === 1) return image;
  const width = image.width / k;
  const height = image.height / k;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = image.data[y * k * image.width + x * k];
  return { ...image, width, height, data };
}

/**
 * One cell's picture. Binary images are never resampled by a fraction (that
 * makes moiré and, averaged in coded space, looks darker than the real thing):
 * they are enlarged by a whole factor, or, when too big, centre-cropped at 1:1
 * so a viewer sees the actual pixels. Tone images are fitted with lanczos.
 */
async function cellPng(image: ImageTensor, cw: number, ch: number): Promise<Buffer> {
  if (image.range === 'binary' && (image.width > cw || image.height > ch)) image = undoBlocks(image);
  const raw = sharp(tensorToRgb(image), { raw: { width: image.width, height: image.height, channels: 3 } });
  if (image.range !== 'binary') {
    const scale = Math.min(cw / image.width, ch / image.height);
    return raw.resize(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)), { kernel: 'lanczos3' }).png().toBuffer();
  }
  const factor = Math.floor(Math.min(cw / image.width, ch / image.height));
  if (factor >= 1) return raw.resize(image.width * factor, image.height * factor, { kernel: 'nearest' }).png().toBuffer();
  const w = Math.min(cw, image.width);
  const h = Math.min(ch, image.height);
  return raw.extract({ left: (image.width - w) >> 1, top: (image.height - h) >> 1, width: w, height: h }).png().toBuffer();
}

/**
 * Lays cells out on a grid: every cell is shown within cellWidth × cellHeight
 * (see cellPng), with its label underneath.
 */
export async function contactSheet(rows: SheetRow[], opts: { cellWidth?: number; cellHeight?: number; gap?: number; labelHeight?: number } = {}): Promise<Buffer> {
  const cw = opts.cellWidth ?? 256;
  const ch = opts.cellHeight ?? 192;
  const gap = opts.gap ?? 8;
  const lh = opts.labelHeight ?? 18;
  const cols = Math.max(...rows.map((r) => r.cells.length));
  const width = gap + cols * (cw + gap);
  const height = gap + rows.length * (ch + lh + gap);
  const composites: OverlayOptions[] = [];
  const labels: string[] = [];
  for (const [r, row] of rows.entries()) {
    for (const [c, cell] of row.cells.entries()) {
      const { image } = cell;
      const input = await cellPng(image, cw, ch);
      const { width: w, height: h } = (await sharp(input).metadata()) as { width: number; height: number };
      const left = gap + c * (cw + gap) + ((cw - w) >> 1);
      const top = gap + r * (ch + lh + gap) + ((ch - h) >> 1);
      composites.push({ input, left, top });
      const x = gap + c * (cw + gap) + cw / 2;
      const y = gap + r * (ch + lh + gap) + ch + lh - 5;
      labels.push(`<text x="${x}" y="${y}" text-anchor="middle">${escapeXml(cell.label)}</text>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><style>text{font:13px 'DejaVu Sans Mono',monospace;fill:#222}</style>${labels.join('')}</svg>`;
  composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  return sharp({ create: { width, height, channels: 3, background: '#f4f4f4' } })
    .composite(composites)
    .png({ compressionLevel: 9 })
    .toBuffer();
}
