/**
 * Sprite data: 1-bit icons read with sharp into ink bitmaps (1 = ink, 0 =
 * paper: the models predict ink, which is the sparse, informative value;
 * converted to the pipeline's 1 = paper convention at the edges).
 *
 * Size policy (documented in the README): a sprite must be exactly the grid
 * size. Images at most 2 pixels smaller in each direction (the icon set has a
 * few 24×23 icons) are padded with paper, centred. Anything else is skipped
 * with one warning that counts and names a few of them; it is never resized,
 * because resampling a 1-bit drawing invents pixels the model would learn.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import sharp from 'sharp';
import { hasExtension } from '../files/extensions.js';
import { IMAGE_EXTENSIONS } from '../files/inputs.js';
import { PixelError } from '../pipeline/errors.js';

export interface Sprite {
  file: string;
  /** Prompt text derived from the file name. */
  name: string;
  /** grid × grid, 1 = ink. */
  bits: Uint8Array;
}


/** Image files under a folder, recursively, sorted (so a seed picks the same split everywhere). */
export function listSpriteFiles(dir: string, what = '--images'): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    st = undefined;
  }
  if (!st?.isDirectory()) throw new PixelError('E_USAGE', `Expected a folder of sprites for ${what} but received ${JSON.stringify(dir)}`, { hint: 'Pass an existing folder of 1-bit PNG icons' });
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (hasExtension(n, IMAGE_EXTENSIONS)) out.push(p);
    }
  };
  walk(dir);
  if (out.length === 0) throw new PixelError('E_USAGE', `Expected a folder of sprites for ${what} but ${JSON.stringify(dir)} has no images`, { hint: 'Put 1-bit PNG icons in it (subfolders are searched too)' });
  return out;
}

/**
 * Prompt text for an icon file: the file name with separators as spaces;
 * the hackernoon set's `solid__x` / `regular__x` become "solid x" / "x".
 */
export function promptOf(file: string): string {
  let stem = basename(file, extname(file));
  let style = '';
  const m = /^(regular|solid)__(.*)$/.exec(stem);
  if (m) {
    style = m[1] === 'solid' ? 'solid ' : '';
    stem = m[2];
  }
  return normalizePrompt(style + stem.replace(/[-_.]+/g, ' '));
}

export function normalizePrompt(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Reads one image as ink bits at its own size (dark < 50 % gray on white = ink; transparency is paper). */
export async function readBits(file: string | Buffer): Promise<{ width: number; height: number; bits: Uint8Array }> {
  let raw;
  try {
    raw = await sharp(file).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new PixelError('E_INPUT', `Expected a readable image but ${typeof file === 'string' ? JSON.stringify(file) : 'the buffer'} could not be decoded`, {
      file: typeof file === 'string' ? file : undefined,
      hint: (error as Error).message,
    });
  }
  const { width, height, channels } = raw.info;
  const bits = new Uint8Array(width * height);
  for (let i = 0; i < bits.length; i++) bits[i] = raw.data[i * channels] < 128 ? 1 : 0;
  return { width, height, bits };
}

/** Pads (paper, centred) an image up to grid × grid when it is at most `slack` smaller; undefined when it does not fit. */
export function fitToGrid(img: { width: number; height: number; bits: Uint8Array }, grid: number, slack = 2): Uint8Array | undefined {
  const { width, height } = img;
  if (width > grid || height > grid || width < grid - slack || height < grid - slack) return undefined;
  if (width === grid && height === grid) return img.bits;
  const out = new Uint8Array(grid * grid);
  const ox = (grid - width) >> 1;
  const oy = (grid - height) >> 1;
  for (let y = 0; y < height; y++) out.set(img.bits.subarray(y * width, (y + 1) * width), (y + oy) * grid + ox);
  return out;
}

/** Every usable sprite under `dir` (recursively) at grid × grid; `warn` hears about skipped files once. */
export async function loadSprites(dir: string, grid: number, warn: (msg: string) => void = () => {}, what = '--images'): Promise<Sprite[]> {
  const files = listSpriteFiles(dir, what);
  const sprites: Sprite[] = [];
  const skipped: string[] = [];
  let padded = 0;
  for (const file of files) {
    const img = await readBits(file);
    const bits = fitToGrid(img, grid);
    if (!bits) {
      skipped.push(`${relative(dir, file)} (${img.width}×${img.height})`);
      continue;
    }
    if (bits !== img.bits) padded++;
    sprites.push({ file, name: promptOf(file), bits });
  }
  if (padded) warn(`padded ${padded} image(s) up to ${grid}×${grid} with paper`);
  if (skipped.length)
    warn(`skipped ${skipped.length} image(s) that are not ${grid}×${grid} (sprites are never resized): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  if (sprites.length === 0)
    throw new PixelError('E_USAGE', `Expected ${grid}×${grid} sprites for ${what} but none of the ${files.length} image(s) in ${JSON.stringify(dir)} has that size`, {
      hint: `Use --grid to match your sprites, or draw them at ${grid}×${grid}`,
    });
  return sprites;
}

/** Seeded split: the same files go to validation for the same seed and file list. */
export function splitSprites<T>(items: readonly T[], valFraction: number, next: () => number): { train: T[]; val: T[] } {
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  // At least one held out when asked for any (3 sprites × 0.1 would round to none).
  const nVal = valFraction > 0 ? Math.max(1, Math.min(items.length - 1, Math.round(items.length * valFraction))) : 0;
  const valSet = new Set(idx.slice(0, nVal));
  return { train: items.filter((_, i) => !valSet.has(i)), val: items.filter((_, i) => valSet.has(i)) };
}

/**
 * Any image onto the sprite grid, for prompts and inputs (not for training
 * data, which is never resized): exact or up to 2 px smaller → as is
 * (padded); anything else → fitted inside grid × grid (aspect kept, paper
 * around it) and binarized at 50 % gray.
 */
export async function readAsSprite(file: string, grid: number): Promise<{ bits: Uint8Array; how: 'exact' | 'padded' | 'resized'; width: number; height: number }> {
  const img = await readBits(file);
  const fitted = fitToGrid(img, grid);
  if (fitted) return { bits: fitted, how: fitted === img.bits ? 'exact' : 'padded', width: img.width, height: img.height };
  const raw = await sharp(file)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(grid, grid, { fit: 'contain', background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const bits = new Uint8Array(grid * grid);
  for (let i = 0; i < bits.length; i++) bits[i] = raw.data[i * raw.info.channels] < 128 ? 1 : 0;
  return { bits, how: 'resized', width: img.width, height: img.height };
}

/** Prompts from the command line: a `.txt` argument gives one prompt per line (blank lines and # comments skipped). */
export function expandPrompts(args: readonly string[], read: (file: string) => string): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (/\.txt$/i.test(a)) {
      let text: string;
      try {
        text = read(a);
      } catch {
        throw new PixelError('E_INPUT', `Expected a readable prompt file but cannot read ${JSON.stringify(a)}`, { file: a, hint: 'One prompt per line; quote a prompt that ends in .txt' });
      }
      out.push(
        ...text
          .split(/\r?\n/)
          .map((l) => l.replace(/#.*/, '').trim())
          .filter(Boolean),
      );
    } else out.push(a);
  }
  return out;
}
