/**
 * Shared test helpers: deterministic generated images and bit-exact golden files.
 * Golden files are plain PBM (P1) text so a diff shows the pixels. They are
 * regenerated only when UPDATE_GOLDEN=1 is set, never silently.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PixelError } from '../src/pipeline/errors.js';
import { mulberry32 } from '../src/pipeline/random.js';
import type { BinaryTensor, ColorSpace, ToneTensor } from '../src/pipeline/types.js';

/** Seeded PRNG so generated test images are the same everywhere. */
export const rng = mulberry32;

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');


export function gray(width: number, height: number, f: (x: number, y: number) => number, space: ColorSpace = 'linear'): ToneTensor {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, channels: 1, range: 'unit', space, data };
}

export function flat(width: number, height: number, value: number, space: ColorSpace = 'linear'): ToneTensor {
  return gray(width, height, () => value, space);
}

/** Horizontal ramp 0..1 with a soft disc in the middle: tone and an edge in one small image. */
export function testCard(width = 32, height = 24, space: ColorSpace = 'linear'): ToneTensor {
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) / 3;
  return gray(width, height, (x, y) => (Math.hypot(x - cx, y - cy) < r ? 1 - x / (width - 1) : x / (width - 1)), space);
}

export function noise(width: number, height: number, seed = 1, space: ColorSpace = 'linear'): ToneTensor {
  const next = rng(seed);
  return gray(width, height, () => next(), space);
}

export function rgb(width: number, height: number, f: (x: number, y: number) => [number, number, number], space: ColorSpace = 'srgb'): ToneTensor {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 3);
  return { width, height, channels: 3, range: 'unit', space, data };
}

export function whiteShare(image: BinaryTensor): number {
  let n = 0;
  for (const v of image.data) n += v;
  return n / image.data.length;
}

export function toP1(image: BinaryTensor): string {
  const rows: string[] = [];
  for (let y = 0; y < image.height; y++) {
    const row: string[] = [];
    // PBM: 1 is black (ink), our binary 0 is ink.
    for (let x = 0; x < image.width; x++) row.push(image.data[y * image.width + x] ? '0' : '1');
    rows.push(row.join(' '));
  }
  return `P1\n${image.width} ${image.height}\n${rows.join('\n')}\n`;
}

/** Compares a binary image bit-exactly with test/fixtures/golden/<name>.pbm. */
export function expectGolden(name: string, image: BinaryTensor): void {
  const file = join(FIXTURES, 'golden', `${name}.pbm`);
  const actual = toP1(image);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing golden file ${file}: run the test once with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `golden ${name}`).toBe(readFileSync(file, 'utf8'));
}

/** The PixelError a promise rejects with (fails the test when it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<PixelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PixelError);
    return error as PixelError;
  }
  throw new Error('expected a rejection');
}
