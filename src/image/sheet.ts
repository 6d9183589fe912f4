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
    for (let i = 0; i < n; i++) {
      const c = image.data[i] ? paper : ink;
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

/**
 * Lays cells out on a grid: every cell is fitted (nearest, integer or not) into
 * cellWidth × cellHeight, with its label underneath.
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
      const scale = Math.min(cw / image.width, ch / image.height);
      const w = Math.max(1, Math.round(image.width * scale));
      const h = Math.max(1, Math.round(image.height * scale));
      const input = await sharp(tensorToRgb(image), { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize(w, h, { kernel: image.range === 'binary' ? 'nearest' : 'lanczos3' })
        .png()
        .toBuffer();
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
