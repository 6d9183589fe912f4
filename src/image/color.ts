/**
 * Colour conversions. Tone work happens in linear light (what a display
 * physically averages); files store sRGB-coded values. Both directions go
 * through 16-bit lookup tables built once on first use: exact for 8- and
 * 16-bit sources (v·65535 is an integer) and ~10× faster than Math.pow.
 */
import type { ColorSpace, RGB, ToneTensor } from '../pipeline/types.js';

/** Rec. 709 / sRGB luminance weights (applied to linear values). */
export const LUMA = { r: 0.2126, g: 0.7152, b: 0.0722 } as const;

export function srgbToLinearExact(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

export function linearToSrgbExact(v: number): number {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

const SIZE = 65536;
let toLinear: Float32Array | undefined;
let toSrgb: Float32Array | undefined;

export function srgbToLinearTable(): Float32Array {
  if (!toLinear) {
    toLinear = new Float32Array(SIZE);
    for (let i = 0; i < SIZE; i++) toLinear[i] = srgbToLinearExact(i / (SIZE - 1));
  }
  return toLinear;
}

export function linearToSrgbTable(): Float32Array {
  if (!toSrgb) {
    toSrgb = new Float32Array(SIZE);
    for (let i = 0; i < SIZE; i++) toSrgb[i] = linearToSrgbExact(i / (SIZE - 1));
  }
  return toSrgb;
}

function clampIndex(v: number): number {
  // v in [0,1] → 0..65535; NaN and out-of-range values clamp.
  const i = (v * (SIZE - 1) + 0.5) | 0;
  return i < 0 ? 0 : i > SIZE - 1 ? SIZE - 1 : i;
}

export function srgbToLinear(v: number): number {
  return srgbToLinearTable()[clampIndex(v)];
}

export function linearToSrgb(v: number): number {
  return linearToSrgbTable()[clampIndex(v)];
}

/** Rec. 709 luminance of linear RGB (ITU-R BT.709-6, item 3.2; same as sRGB's Y). 3 channels → 1. */
export function luminance(rgb: Float32Array, out: Float32Array = new Float32Array(rgb.length / 3)): Float32Array {
  const { r, g, b } = LUMA;
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    const y = r * rgb[j] + g * rgb[j + 1] + b * rgb[j + 2];
    out[i] = y > 1 ? 1 : y < 0 ? 0 : y;
  }
  return out;
}

/** Converts unit values between colour spaces into `out` (may be the same array). */
export function convertSpace(data: Float32Array, from: ColorSpace, to: ColorSpace, out: Float32Array = new Float32Array(data.length)): Float32Array {
  if (from === to) {
    if (out !== data) out.set(data);
    return out;
  }
  const table = to === 'linear' ? srgbToLinearTable() : linearToSrgbTable();
  for (let i = 0; i < data.length; i++) {
    let j = (data[i] * (SIZE - 1) + 0.5) | 0;
    j = j < 0 ? 0 : j > SIZE - 1 ? SIZE - 1 : j;
    out[i] = table[j];
  }
  return out;
}

/** A copy of a tone tensor in the given colour space (the same object if already there). */
export function inSpace(image: ToneTensor, space: ColorSpace): ToneTensor {
  if (image.space === space) return image;
  return { ...image, space, data: convertSpace(image.data, image.space, space) };
}

/**
 * Parses a CSS hex colour (#rgb, #rgba, #rrggbb, #rrggbbaa; alpha is ignored
 * because output colours are opaque). Returns undefined when it is not one.
 */
export function parseHexColor(value: unknown): RGB | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value.trim());
  if (!m) return undefined;
  let hex = m[1];
  if (hex.length <= 4) hex = [...hex].map((c) => c + c).join('');
  return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16) };
}

export function toHex(c: RGB): string {
  return '#' + [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

export const BLACK: RGB = Object.freeze({ r: 0, g: 0, b: 0 });
export const WHITE: RGB = Object.freeze({ r: 255, g: 255, b: 255 });
