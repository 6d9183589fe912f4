/**
 * Reference points for the autoregressive model's bits per pixel:
 * - an independent Bernoulli per position, fitted on the training sprites
 *   (Krichevsky–Trofimov estimate (k + ½)/(n + 1), so no pixel has P = 0);
 * - PNG's own size: each sprite re-encoded as a minimal 1-bit PNG (our
 *   encoder, zlib level 9), both as whole files (signature, IHDR, PLTE, IEND:
 *   a fixed ~70-byte overhead) and as the compressed IDAT payload alone.
 */
import { deflateSync } from 'node:zlib';
import { encodePng1 } from '../image/encode/png.js';
import { binaryTensor } from '../pipeline/types.js';

export function fitPositionBaseline(sprites: readonly Uint8Array[], n: number): Float64Array {
  const p = new Float64Array(n);
  for (const s of sprites) for (let i = 0; i < n; i++) p[i] += s[i];
  for (let i = 0; i < n; i++) p[i] = (p[i] + 0.5) / (sprites.length + 1);
  return p;
}

/** Mean bits per pixel of `sprites` under independent per-position probabilities. */
export function positionBaselineBpp(p: Float64Array, sprites: readonly Uint8Array[]): number {
  let bits = 0;
  for (const s of sprites) for (let i = 0; i < p.length; i++) bits -= Math.log2(s[i] ? p[i] : 1 - p[i]);
  return bits / (sprites.length * p.length);
}

/** Mean bits per pixel of minimal 1-bit PNG files and of their IDAT payload alone. */
export function pngBpp(sprites: readonly Uint8Array[], grid: number): { file: number; idat: number } {
  let file = 0;
  let idat = 0;
  const rowBytes = Math.ceil(grid / 8);
  const scan = Buffer.alloc((rowBytes + 1) * grid);
  for (const s of sprites) {
    const t = binaryTensor(grid, grid);
    for (let i = 0; i < s.length; i++) t.data[i] = s[i] ? 0 : 1; // ink bits → paper = 1
    file += encodePng1(t, { level: 9 }).length;
    scan.fill(0);
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++) if (t.data[y * grid + x]) scan[y * (rowBytes + 1) + 1 + (x >> 3)] |= 0x80 >> (x & 7);
    idat += deflateSync(scan, { level: 9 }).length;
  }
  const px = sprites.length * grid * grid;
  return { file: (file * 8) / px, idat: (idat * 8) / px };
}
