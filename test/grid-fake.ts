/**
 * "Fake pixel art" for the grid step's test and benchmark: a clean 1-bit
 * icon upscaled ×scale (nearest), shifted by a sub-cell offset (white
 * padding: `dx` px left, `scale − dx` right, the same vertically), blurred
 * (Gaussian σ) and saved as JPEG.
 */
import sharp from 'sharp';
import type { BinaryTensor } from '../src/pipeline/types.js';

export interface Degradation {
  scale: number;
  dx: number;
  dy: number;
  sigma: number;
  quality: number;
}

export async function fakePixelArt(icon: BinaryTensor, d: Degradation): Promise<Buffer> {
  let img = sharp(Buffer.from(Uint8Array.from(icon.data, (v) => (v ? 255 : 0))), { raw: { width: icon.width, height: icon.height, channels: 1 } })
    .resize(icon.width * d.scale, icon.height * d.scale, { kernel: 'nearest' })
    .extend({ left: d.dx, right: d.scale - d.dx, top: d.dy, bottom: d.scale - d.dy, background: { r: 255, g: 255, b: 255 } });
  // Blur after the padding exists, in its own pass (sharp applies blur before extend within one pipeline).
  const padded = await img.png().toBuffer();
  img = sharp(padded);
  if (d.sigma >= 0.3) img = img.blur(d.sigma);
  return img.jpeg({ quality: d.quality }).toBuffer();
}

/**
 * Share of the icon's pixels the recovered image gets right: each icon pixel
 * is looked up at its centre in the fake image (offset + (x + ½)·scale), in
 * the recovered cell whose centre (`xs`, `ys`: cellCentres of the fit) is
 * nearest. Independent of the logical resolution found: icons drawn with
 * 2-px strokes on even positions are really 12×12 art, and a 12×12 result is
 * right when every icon pixel lands in the right cell.
 */
export function matchShare(icon: BinaryTensor, d: Degradation, got: BinaryTensor, xs: readonly number[], ys: readonly number[]): number {
  const nearest = (list: readonly number[], v: number) => {
    let best = 0;
    for (let i = 1; i < list.length; i++) if (Math.abs(list[i] - v) < Math.abs(list[best] - v)) best = i;
    return best;
  };
  let same = 0;
  for (let y = 0; y < icon.height; y++) {
    const j = nearest(ys, d.dy + (y + 0.5) * d.scale);
    for (let x = 0; x < icon.width; x++) {
      const i = nearest(xs, d.dx + (x + 0.5) * d.scale);
      if (got.data[j * got.width + i] === icon.data[y * icon.width + x]) same++;
    }
  }
  return same / (icon.width * icon.height);
}
