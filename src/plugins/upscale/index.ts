/**
 * upscale: nearest-neighbour enlargement of the finished grid, so each logical
 * pixel becomes a crisp block. Works on any tensor (binary or tone, any
 * channels) and keeps its kind and palette.
 */
import { PixelError } from '../../pipeline/errors.js';
import { bothGiven } from '../../pipeline/messages.js';
import { optionalNumberField, type Schema } from '../../pipeline/options.js';
import { definePlugin } from '../../pipeline/types.js';
import { upscaleInteger, upscaleNearest } from './kernels.js';

export { upscaleInteger, upscaleNearest, nearestMap } from './kernels.js';

export interface UpscaleOptions {
  scale: number | undefined;
  width: number | undefined;
  height: number | undefined;
}

export const upscaleSchema: Schema<UpscaleOptions> = {
  scale: optionalNumberField('Whole-number factor: each pixel becomes a scale×scale block.', { min: 1, max: 64, integer: true }),
  width: optionalNumberField('Exact output width (nearest neighbour; with only width set, height keeps the aspect ratio).', { min: 1, integer: true }),
  height: optionalNumberField('Exact output height (nearest neighbour; with only height set, width keeps the aspect ratio).', { min: 1, integer: true }),
};

/** Output size for a source size; the source size when no option is set. */
export function upscaleSize(srcW: number, srcH: number, o: Partial<UpscaleOptions>): { width: number; height: number } {
  if (o.scale !== undefined) return { width: srcW * o.scale, height: srcH * o.scale };
  if (o.width !== undefined && o.height !== undefined) return { width: o.width, height: o.height };
  if (o.width !== undefined) return { width: o.width, height: Math.max(1, Math.round((srcH * o.width) / srcW)) };
  if (o.height !== undefined) return { width: Math.max(1, Math.round((srcW * o.height) / srcH)), height: o.height };
  return { width: srcW, height: srcH };
}

export const upscale = definePlugin<UpscaleOptions>({
  name: 'upscale',
  role: 'upscale',
  description: 'Enlarge with nearest neighbour by a whole-number scale or to an exact size (keeps binary images binary).',
  options: upscaleSchema,
  check(o, path) {
    if (o.scale !== undefined && (o.width !== undefined || o.height !== undefined)) {
      const p = (k: string) => (path ? `${path}.${k}` : k);
      const other = o.width !== undefined ? 'width' : 'height';
      throw new PixelError('E_OPTION', bothGiven(p('scale'), `${p('width')}/${p('height')}`, `scale and ${other}`), {
        hint: 'Use scale for whole-number blocks, or width/height for an exact size.',
      });
    }
  },
  accepts: {},
  produces: (input) => ({ ...input }),
  gray: () => 'passes',
  create(options) {
    return {
      run(image) {
        const { width, height } = upscaleSize(image.width, image.height, options);
        if (width === image.width && height === image.height) return image;
        const data =
          options.scale !== undefined
            ? upscaleInteger(image.data, image.width, image.height, image.channels, options.scale)
            : upscaleNearest(image.data, image.width, image.height, image.channels, width, height);
        // Spread keeps range, space, channels and palette unchanged; the
        // transparency mask is scaled the same way (nearest).
        const out = { ...image, width, height, data };
        const plane = (p: Uint8Array) =>
          options.scale !== undefined ? upscaleInteger(p, image.width, image.height, 1, options.scale) : upscaleNearest(p, image.width, image.height, 1, width, height);
        if (image.mask) out.mask = plane(image.mask);
        if (image.accent) out.accent = plane(image.accent);
        return out;
      },
    };
  },
});
