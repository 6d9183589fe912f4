/**
 * Inference on whole images: the network runs on tiles whose windows extend
 * `overlap` pixels past the tile on every side (mirrored at the image
 * borders), and only each tile's core is kept, so tiles join without seams
 * when the overlap covers the receptive field (about ±22 px for this U-Net).
 * The binarizer then runs once over the whole corrected gray plane, so error
 * diffusion does not see tile borders at all.
 */
import { reflectIndex } from '../metrics/gaussian.js';
import { binarizePlane, type BinarizerName } from './binarize.js';
import { correctedGray, type Weights } from './model.js';
import type { TF } from './tf.js';

type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

export interface TileOptions {
  /** Core tile size in pixels (rounded up to a multiple of 4). */
  tile: number;
  /** Context on each side of a tile (rounded up to a multiple of 4). */
  overlap: number;
}

export const DEFAULT_TILES: TileOptions = { tile: 256, overlap: 24 };

const up4 = (v: number): number => Math.ceil(v / 4) * 4;

/** p for a whole plane (linear gray, width × height). */
export function correctedPlane(tf: TF, weights: Weights, gray: Float32Array, width: number, height: number, tiles: TileOptions = DEFAULT_TILES): Float32Array {
  const out = new Float32Array(width * height);
  const tile = up4(Math.max(4, tiles.tile));
  const ov = up4(Math.max(0, tiles.overlap));
  const tw = Math.min(tile, width);
  const th = Math.min(tile, height);
  const ww = up4(tw + 2 * ov); // window size, a multiple of 4 for two poolings
  const wh = up4(th + 2 * ov);
  const win = new Float32Array(ww * wh);
  for (let y0 = 0; y0 < height; y0 += th) {
    for (let x0 = 0; x0 < width; x0 += tw) {
      for (let y = 0; y < wh; y++) {
        const sy = reflectIndex(y0 - ov + y, height) * width;
        for (let x = 0; x < ww; x++) win[y * ww + x] = gray[sy + reflectIndex(x0 - ov + x, width)];
      }
      const p = tf.tidy(() => correctedGray(tf, weights, tf.tensor4d(win, [1, wh, ww, 1]), true).dataSync() as Float32Array);
      const ch = Math.min(th, height - y0);
      const cw = Math.min(tw, width - x0);
      for (let y = 0; y < ch; y++) out.set(p.subarray((y + ov) * ww + ov, (y + ov) * ww + ov + cw), (y0 + y) * width + x0);
    }
  }
  return out;
}

/** The binary image (1 = paper) for a linear gray plane. */
export function binarizeImage(tf: TF, weights: Weights, binarizer: BinarizerName, gray: Float32Array, width: number, height: number, tiles?: TileOptions): Uint8Array {
  return binarizePlane(binarizer, correctedPlane(tf, weights, gray, width, height, tiles), width, height);
}

export type { Tensor4D };
