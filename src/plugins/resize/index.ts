/**
 * resize: scales a tone image to the logical pixel grid, in linear light
 * (what a display physically averages; averaging sRGB-coded values darkens
 * fine detail). Fit modes follow sharp's `resize()` semantics.
 */
import { PixelError } from '../../pipeline/errors.js';
import { bothGiven } from '../../pipeline/messages.js';
import { booleanField, customField, enumField, optionalNumberField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type ToneTensor } from '../../pipeline/types.js';
import { LUMA, parseHexColor, inSpace, srgbToLinearExact } from '../../image/color.js';
import { resizeBox, resizeLanczos, resizeNearest, type Region } from '../../kernels/resize.js';

export { resizeBox, resizeLanczos, resizeNearest, boxTaps, lanczosTaps, nearestTaps, applyTaps, lanczos3 } from '../../kernels/resize.js';
export type { Region, Taps } from '../../kernels/resize.js';

export type Fit = 'cover' | 'contain' | 'fill' | 'inside';
export type Position = 'center' | 'top' | 'bottom' | 'left' | 'right' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
export type ResizeKernel = 'box' | 'lanczos' | 'nearest';

export interface ResizeOptions {
  width: number | undefined;
  height: number | undefined;
  longSide: number | undefined;
  fit: Fit;
  position: Position;
  background: string;
  kernel: ResizeKernel;
  withoutEnlargement: boolean;
  shrinkOnLoad: boolean;
  /**
   * Set by the pipeline, not by users (pipeline.ts, linkWorkingScale): make
   * this many times the planned size, for a next step that works above the
   * grid and returns it.
   */
  oversample?: number;
}

export const FITS: readonly Fit[] = ['inside', 'cover', 'contain', 'fill'];
export const POSITIONS: readonly Position[] = ['center', 'top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'];
export const KERNELS: readonly ResizeKernel[] = ['box', 'lanczos', 'nearest'];

/**
 * Shrink-on-load stops at this many decoded pixels per grid pixel along each
 * axis: the decoder's own averaging (in the stored sRGB coding) then only
 * mixes pixels within a sixteenth of a grid cell, and the exact linear-light
 * box does the rest. Tone PSNR moves by < 0.05 dB against a full decode
 * (decode.test.ts measures it on devbench).
 */
export const SHRINK_MARGIN = 4;

/**
 * A step working above the grid (`workingScale`, e.g. pixel-art's lines at
 * 2×) gets at least this many decoded pixels per working pixel, and the
 * grid still SHRINK_MARGIN×. For the pixel-art preset on a 12-MP JPEG that
 * is a 768-px decode instead of 1024 (libjpeg's 1/4 scale instead of 1/2):
 * decode and resize take ~30 ms instead of ~40 (the FS job's: ~21); tone PSNR on devbench as
 * 2048-px JPEGs moves by 0.02 dB (2: 0.08 dB; grid 64: 0.27 / 0.36 dB, where
 * 4 per working pixel already moves it by 0.11: a structure decision on a
 * picture can flip with the decode).
 */
export const WORKING_MARGIN = 3;

export const resizeSchema: Schema<ResizeOptions> = {
  width: optionalNumberField('Output width in grid pixels; with only width set, height keeps the aspect ratio.', { min: 1, integer: true }),
  height: optionalNumberField('Output height in grid pixels; with only height set, width keeps the aspect ratio.', { min: 1, integer: true }),
  longSide: optionalNumberField('Sets the longer side to this many pixels and keeps the aspect ratio (not with width/height).', { min: 1, integer: true }),
  fit: enumField('How the image fits a width×height box (as sharp): inside keeps aspect within the box, contain letterboxes onto background, cover fills and crops at position, fill stretches.', 'inside', FITS),
  position: enumField('Which part to keep when cover crops, or where contain places the image.', 'center', POSITIONS),
  background: customField('Letterbox colour for fit "contain" (CSS hex).', '#ffffff', 'a CSS hex colour like "#ffffff"', (v) =>
    parseHexColor(v) ? (v as string) : undefined,
  ),
  kernel: enumField('Resampling kernel: box (exact area average), lanczos (lanczos3) or nearest.', 'box', KERNELS),
  withoutEnlargement: booleanField('Never make the image larger than the source.', false),
  shrinkOnLoad: booleanField(
    `As the first step with the box kernel: let a JPEG or WebP decoder shrink on load to at least ${SHRINK_MARGIN}× the grid (and ${WORKING_MARGIN}× the working size of a next step that works above the grid), then average exactly in linear light from there (much faster on photos; false decodes every pixel).`,
    true,
  ),
};


/** Placement of the position keywords as fractions of the free space (x, y). */
const GRAVITY: Record<Position, [number, number]> = {
  center: [0.5, 0.5],
  top: [0.5, 0],
  bottom: [0.5, 1],
  left: [0, 0.5],
  right: [1, 0.5],
  'top-left': [0, 0],
  'top-right': [1, 0],
  'bottom-left': [0, 1],
  'bottom-right': [1, 1],
};

/** What to do: output size, where the resampled content goes in it, and which source region it shows. */
export interface ResizePlan {
  width: number;
  height: number;
  /** Size of the resampled content; smaller than width×height only for contain. */
  contentWidth: number;
  contentHeight: number;
  left: number;
  top: number;
  region: Region;
}

const atLeast1 = (v: number): number => Math.max(1, Math.round(v));

/**
 * The resize plan for a source size, or undefined when nothing is to be done
 * (no width/height/longSide). Sizes round to nearest and are at least 1.
 *
 * withoutEnlargement clamps the box to the source size before fitting, so the
 * result never grows: inside/longSide keep the source size, cover crops
 * without scaling up, contain/fill shrink their canvas to at most the source.
 */
export function resizePlan(srcW: number, srcH: number, options: Partial<ResizeOptions>): ResizePlan | undefined {
  const { width, height, longSide, withoutEnlargement = false } = options;
  const fit = options.fit ?? 'inside';
  const [gx, gy] = GRAVITY[options.position ?? 'center'];
  const full: Region = { x: 0, y: 0, width: srcW, height: srcH };
  const plain = (w: number, h: number): ResizePlan => ({ width: w, height: h, contentWidth: w, contentHeight: h, left: 0, top: 0, region: full });

  if (longSide !== undefined) {
    const L = withoutEnlargement ? Math.min(longSide, Math.max(srcW, srcH)) : longSide;
    return srcW >= srcH ? plain(L, atLeast1((srcH * L) / srcW)) : plain(atLeast1((srcW * L) / srcH), L);
  }
  if (width === undefined && height === undefined) return undefined;
  if (height === undefined) {
    const W = withoutEnlargement ? Math.min(width!, srcW) : width!;
    return plain(W, atLeast1((srcH * W) / srcW));
  }
  if (width === undefined) {
    const H = withoutEnlargement ? Math.min(height, srcH) : height;
    return plain(atLeast1((srcW * H) / srcH), H);
  }

  const W = withoutEnlargement ? Math.min(width, srcW) : width;
  const H = withoutEnlargement ? Math.min(height, srcH) : height;
  // Compare W/srcW with H/srcH without division (exact for integers).
  const widthBound = W * srcH <= H * srcW;
  switch (fit) {
    case 'fill':
      return plain(W, H);
    case 'inside':
      return widthBound ? plain(W, atLeast1((srcH * W) / srcW)) : plain(atLeast1((srcW * H) / srcH), H);
    case 'contain': {
      const cw = widthBound ? W : atLeast1((srcW * H) / srcH);
      const ch = widthBound ? atLeast1((srcH * W) / srcW) : H;
      // Integer placement; centre rounds down as libvips' embed does.
      return { width: W, height: H, contentWidth: cw, contentHeight: ch, left: Math.floor((W - cw) * gx), top: Math.floor((H - ch) * gy), region: full };
    }
    case 'cover': {
      // The source region with the box's aspect that the output shows; the
      // free source space is split by position (fractional, so no half-pixel bias).
      const rw = widthBound ? (W * srcH) / H : srcW;
      const rh = widthBound ? srcH : (H * srcW) / W;
      return { ...plain(W, H), region: { x: (srcW - rw) * gx, y: (srcH - rh) * gy, width: rw, height: rh } };
    }
  }
}

/** The output size of a resize (pure; the source size when the step is a no-op). */
export function targetSize(srcW: number, srcH: number, options: Partial<ResizeOptions>): { width: number; height: number } {
  const plan = resizePlan(srcW, srcH, options);
  return plan ? { width: plan.width, height: plan.height } : { width: srcW, height: srcH };
}

/** Replaces (or removes) the mask of a resized tensor, so no stale, wrong-size mask survives. */
function withMask<T extends ToneTensor>(image: T, mask: Uint8Array | undefined): T {
  if (mask) image.mask = mask;
  else delete image.mask;
  return image;
}

/**
 * The transparency mask for a resize plan: the mask is read as coverage
 * (1 = opaque), area-averaged with the box kernel whatever the image kernel
 * (a mask is a shape, so lanczos ringing or nearest dropouts would only add
 * holes), and an output pixel is opaque when at least half of it is covered
 * (>= 0.5, the decoder's alpha rule). The letterbox of `contain` lies outside
 * the source, so it is transparent.
 */
export function resizeMask(mask: Uint8Array, sw: number, sh: number, plan: ResizePlan): Uint8Array {
  const coverage = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) coverage[i] = mask[i];
  const content = resizeBox(coverage, sw, sh, 1, plan.contentWidth, plan.contentHeight, plan.region);
  const out = new Uint8Array(plan.width * plan.height);
  for (let y = 0; y < plan.contentHeight; y++) {
    const o = (plan.top + y) * plan.width + plan.left;
    const i = y * plan.contentWidth;
    for (let x = 0; x < plan.contentWidth; x++) out[o + x] = content[i + x] >= 0.5 ? 1 : 0;
  }
  return out;
}

/** A plan k times as large: the same source region, every output size and offset × k. */
function scalePlan(p: ResizePlan, k: number): ResizePlan {
  if (k === 1) return p;
  return { ...p, width: p.width * k, height: p.height * k, contentWidth: p.contentWidth * k, contentHeight: p.contentHeight * k, left: p.left * k, top: p.top * k };
}

const KERNEL_FN = { box: resizeBox, lanczos: resizeLanczos, nearest: resizeNearest } as const;

export const resize = definePlugin<ResizeOptions>({
  name: 'resize',
  role: 'resize',
  oversample: (options, scale) => ({ ...options, oversample: scale }),
  description: 'Scale to the logical pixel grid in linear light (box, lanczos or nearest; fit modes as sharp).',
  options: resizeSchema,
  check(o, path) {
    if (o.longSide !== undefined && (o.width !== undefined || o.height !== undefined)) {
      const p = (k: string) => (path ? `${path}.${k}` : k);
      const other = o.width !== undefined ? 'width' : 'height';
      throw new PixelError('E_OPTION', bothGiven(p('longSide'), `${p('width')}/${p('height')}`, `longSide and ${other}`), {
        hint: 'longSide sets the long side and keeps the aspect ratio; use width/height with fit for a box.',
      });
    }
  },
  accepts: { channels: [1, 3], range: ['unit'] },
  produces: (input) => ({ ...input, space: 'linear' }),
  // Box and nearest are weighted sums in linear light, as luminance is; lanczos clamps each channel's overshoot.
  gray: (o) => (o.kernel === 'lanczos' ? undefined : 'passes'),
  decodeSize(options, w, h) {
    if (!options.shrinkOnLoad || options.kernel !== 'box') return undefined;
    // With oversample (a next step working above the grid) the decoder must keep that multiple too.
    const grid = resizePlan(w, h, options);
    if (!grid) return undefined;
    const k = options.oversample ?? 1;
    const plan = scalePlan(grid, k);
    const margin = Math.max(SHRINK_MARGIN, WORKING_MARGIN * k);
    const s = Math.min(plan.region.width / grid.contentWidth, plan.region.height / grid.contentHeight) / margin;
    if (s < 2) return undefined;
    // The smaller source must give the same output geometry: the rounded size, or one a pixel off.
    const keys = ['width', 'height', 'contentWidth', 'contentHeight', 'left', 'top'] as const;
    for (const dw of [0, -1, 1])
      for (const dh of [0, -1, 1]) {
        const size = { width: Math.round(w / s) + dw, height: Math.round(h / s) + dh };
        const small = scalePlan(resizePlan(size.width, size.height, options)!, options.oversample ?? 1);
        if (keys.every((k) => small[k] === plan[k])) return size;
      }
    return undefined;
  },
  create(options) {
    const kernel = KERNEL_FN[options.kernel];
    const bg = parseHexColor(options.background)!;
    const bgLinear = [srgbToLinearExact(bg.r / 255), srgbToLinearExact(bg.g / 255), srgbToLinearExact(bg.b / 255)];
    const bgGray = LUMA.r * bgLinear[0] + LUMA.g * bgLinear[1] + LUMA.b * bgLinear[2];
    return {
      run(image) {
        const src = inSpace(image as ToneTensor, 'linear');
        const { width: sw, height: sh, channels: c } = src;
        const grid = resizePlan(sw, sh, options);
        if (!grid) return src;
        const plan = scalePlan(grid, options.oversample ?? 1);
        const r = plan.region;
        const same = plan.width === sw && plan.height === sh && plan.contentWidth === sw && plan.contentHeight === sh && r.x === 0 && r.y === 0 && r.width === sw && r.height === sh;
        if (same) return src;
        const content = kernel(src.data, sw, sh, c, plan.contentWidth, plan.contentHeight, r);
        const mask = src.mask ? resizeMask(src.mask, sw, sh, plan) : undefined;
        if (plan.contentWidth === plan.width && plan.contentHeight === plan.height) {
          return withMask({ ...src, width: plan.width, height: plan.height, data: content }, mask);
        }
        // contain: fill the canvas with the background, then paste the content rows.
        const out = new Float32Array(plan.width * plan.height * c);
        if (c === 1) out.fill(Math.min(1, bgGray));
        else for (let i = 0; i < out.length; i += c) for (let ch = 0; ch < c; ch++) out[i + ch] = bgLinear[ch] ?? 1;
        const rowLen = plan.contentWidth * c;
        for (let y = 0; y < plan.contentHeight; y++) {
          out.set(content.subarray(y * rowLen, (y + 1) * rowLen), ((plan.top + y) * plan.width + plan.left) * c);
        }
        return withMask({ ...src, width: plan.width, height: plan.height, data: out }, mask);
      },
    };
  },
});
