/**
 * Training data: images decoded once, reduced to linear-light luminance
 * (QUALITY.md's reference Y) and area-averaged to several grid sizes (long
 * side `scales`), because the network works at the logical grid resolution
 * and a grid can be any size. Patches are drawn from a seeded generator with
 * one of the 8 flips/rotations.
 */
import { mulberry32 } from '../pipeline/random.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../image/decode.js';
import { hasExtension } from '../files/extensions.js';
import { IMAGE_EXTENSIONS } from '../files/inputs.js';
import { referenceFrom } from '../metrics/index.js';
import { PixelError } from '../pipeline/errors.js';
import { resizeBox } from '../kernels/resize.js';

export interface Plane {
  name: string;
  width: number;
  height: number;
  /** Network input: linear gray. */
  gray: Float32Array;
  /** What the output is scored against: gray itself (self-supervised) or a 0/1 target. */
  target: Float32Array;
}

/** Seeded PRNG for patches and shuffles. */
export const rng = mulberry32;



export function listImages(dir: string, what: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).sort();
  } catch {
    throw new PixelError('E_USAGE', `Expected a folder of images for ${what} but received ${JSON.stringify(dir)}`, { hint: 'Pass an existing folder' });
  }
  const files = names.filter((n) => hasExtension(n, IMAGE_EXTENSIONS)).map((n) => join(dir, n));
  if (files.length === 0)
    throw new PixelError('E_USAGE', `Expected a folder of images for ${what} but ${JSON.stringify(dir)} has none`, {
      hint: 'Put PNG or JPEG files in it (pixel reads PNG, JPEG, WebP, AVIF, TIFF, GIF)',
    });
  return files;
}

export function gridSize(width: number, height: number, longSide: number): [number, number] {
  const s = longSide / Math.max(width, height);
  return [Math.max(1, Math.round(width * s)), Math.max(1, Math.round(height * s))];
}

/** Linear luminance of an image file at full size. */
export async function loadGray(file: string): Promise<{ width: number; height: number; gray: Float32Array }> {
  const tone = await decodeImage(file);
  return { width: tone.width, height: tone.height, gray: referenceFrom(tone, 'linear') };
}

/** Every image of a folder at every long side in `scales` (never upscaled). */
export async function loadImageSet(dir: string, scales: readonly number[], what = '--images'): Promise<Plane[]> {
  const planes: Plane[] = [];
  for (const file of listImages(dir, what)) {
    const img = await loadGray(file);
    for (const s of scales) {
      if (s > Math.max(img.width, img.height)) continue;
      const [w, h] = gridSize(img.width, img.height, s);
      const gray = resizeBox(img.gray, img.width, img.height, 1, w, h);
      planes.push({ name: `${file}@${s}`, width: w, height: h, gray, target: gray });
    }
  }
  return planes;
}

/**
 * Supervised pairs: `name.png` (source) + `name.target.png` (hand-made 1-bit
 * target, dark < 0.5 = ink); the source is area-averaged to the target's size.
 */
export async function loadPairs(dir: string): Promise<Plane[]> {
  const files = listImages(dir, '--pairs');
  const targets = files.filter((f) => /\.target\.[^.]+$/i.test(f));
  if (targets.length === 0)
    throw new PixelError('E_USAGE', `Expected name.png + name.target.png pairs for --pairs but ${JSON.stringify(dir)} has no *.target.* files`, {
      hint: 'Each target is a 1-bit image the same shape as its source',
    });
  const planes: Plane[] = [];
  for (const t of targets) {
    const stem = t.replace(/\.target\.[^.]+$/i, '');
    const src = files.find((f) => f !== t && f.replace(/\.[^.]+$/, '') === stem);
    if (!src) throw new PixelError('E_USAGE', `Expected a source image for ${JSON.stringify(t)} but found none`, { hint: `Add ${stem}.png beside it` });
    const target = await loadGray(t);
    const img = await loadGray(src);
    const gray = resizeBox(img.gray, img.width, img.height, 1, target.width, target.height);
    const bits = new Float32Array(target.gray.length);
    for (let i = 0; i < bits.length; i++) bits[i] = target.gray[i] >= 0.5 ? 1 : 0;
    planes.push({ name: src, width: target.width, height: target.height, gray, target: bits });
  }
  return planes;
}

/**
 * Fills `input` and `target` ([n, size, size, 1], row-major) with random
 * patches; one of 8 dihedral transforms each. Planes smaller than the patch
 * are skipped (the caller checks that some are big enough).
 */
export function samplePatches(planes: readonly Plane[], n: number, size: number, next: () => number, input: Float32Array, target: Float32Array): void {
  const usable = planes.filter((p) => p.width >= size && p.height >= size);
  if (usable.length === 0) throw new PixelError('E_USAGE', `Expected images of at least ${size}×${size} pixels at the training scales but found none`, { hint: 'Use a smaller --patch or larger images' });
  for (let b = 0; b < n; b++) {
    const p = usable[Math.floor(next() * usable.length)];
    const x0 = Math.floor(next() * (p.width - size + 1));
    const y0 = Math.floor(next() * (p.height - size + 1));
    const t = Math.floor(next() * 8);
    const base = b * size * size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        // (u, v) = transformed coordinates inside the patch.
        let u = t & 1 ? size - 1 - x : x;
        let v = t & 2 ? size - 1 - y : y;
        if (t & 4) [u, v] = [v, u];
        const s = (y0 + v) * p.width + x0 + u;
        input[base + y * size + x] = p.gray[s];
        target[base + y * size + x] = p.target[s];
      }
    }
  }
}
