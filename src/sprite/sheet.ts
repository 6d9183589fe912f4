/**
 * Sprite sheets for the CLI: rows of sprites, each cell the sprite on a
 * 1-pixel paper margin, cells divided by 1-pixel ink lines, then a nearest
 * upscale so 24×24 sprites can be seen. The result is a binary tensor
 * (1 = paper), ready for encodePng1.
 */
import { join } from 'node:path';
import { packageInfo } from '../files/package-root.js';
import { binaryTensor, type BinaryTensor } from '../pipeline/types.js';

export function spriteSheet(rows: readonly (readonly Uint8Array[])[], grid: number, scale: number): BinaryTensor {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const cell = grid + 2;
  const w = cols * (cell + 1) + 1;
  const h = rows.length * (cell + 1) + 1;
  const small = new Uint8Array(w * h).fill(1);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x += cell + 1) small[y * w + x] = 0;
  for (let y = 0; y < h; y += cell + 1) small.fill(0, y * w, (y + 1) * w);
  rows.forEach((row, r) =>
    row.forEach((bits, c) => {
      const ox = c * (cell + 1) + 2;
      const oy = r * (cell + 1) + 2;
      for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) small[(oy + y) * w + ox + x] = bits[y * grid + x] ? 0 : 1;
    }),
  );
  return upscaleBits(small, w, h, scale);
}

/** One sprite (ink bits) as a binary tensor, nearest-upscaled. */
export function spriteImage(bits: Uint8Array, grid: number, scale: number): BinaryTensor {
  return upscaleBits(Uint8Array.from(bits, (v) => (v ? 0 : 1)), grid, grid, scale);
}

function upscaleBits(paper: Uint8Array, w: number, h: number, scale: number): BinaryTensor {
  const out = binaryTensor(w * scale, h * scale);
  const W = w * scale;
  for (let y = 0; y < h * scale; y++) {
    const sy = ((y / scale) | 0) * w;
    for (let x = 0; x < W; x++) out.data[y * W + x] = paper[sy + ((x / scale) | 0)];
  }
  return out;
}

export function defaultArModelPath(): string {
  return join(packageInfo().root, 'models', 'sprite-ar.png');
}

/** The reference icons ranked completion draws candidates from (scripts/sprite-refs.ts). */
export function defaultRefsPath(): string {
  return join(packageInfo().root, 'models', 'sprite-refs.png');
}

export function defaultPromptModelPath(): string {
  return join(packageInfo().root, 'models', 'sprite-prompt.png');
}

/** Splits one long row of sprites into rows of at most `cols` (a sheet that wraps). */
export function wrapRow<T>(items: readonly T[], cols: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += cols) rows.push(items.slice(i, i + cols));
  return rows.length ? rows : [[]];
}
