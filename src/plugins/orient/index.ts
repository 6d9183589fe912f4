/**
 * orient: rotate by a quarter turn and/or mirror, exactly (pixels are moved,
 * never resampled), for panels mounted sideways or upside down (image2cpp's
 * "rotate" and "flip"). Works on any image; the transparency mask and the
 * accent plane move with the pixels. Runs after the binarizer by default, so
 * the grid is sized and dithered as the picture is seen, then turned to the
 * panel's memory order. The flip applies after the rotation.
 */
import { customField, enumField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type ImageTensor } from '../../pipeline/types.js';

export interface OrientOptions {
  /** Clockwise quarter turns, in degrees. */
  rotate: 0 | 90 | 180 | 270;
  flip: 'none' | 'horizontal' | 'vertical' | 'both';
}

export const orientSchema: Schema<OrientOptions> = {
  rotate: customField('Clockwise rotation in degrees: 0, 90, 180 or 270', 0, 'one of 0, 90, 180, 270', (v) =>
    v === 0 || v === 90 || v === 180 || v === 270 ? v : undefined,
  ),
  flip: enumField('Mirror after rotating: horizontal (left↔right), vertical (top↔bottom) or both', 'none', ['none', 'horizontal', 'vertical', 'both'] as const),
};

/** Where each output pixel comes from: index into the source, for a w×h source. */
export function orientIndex(w: number, h: number, options: OrientOptions): { width: number; height: number; source: Uint32Array } {
  const quarter = options.rotate === 90 || options.rotate === 270;
  const width = quarter ? h : w;
  const height = quarter ? w : h;
  const source = new Uint32Array(width * height);
  const fx = options.flip === 'horizontal' || options.flip === 'both';
  const fy = options.flip === 'vertical' || options.flip === 'both';
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const ox = fx ? width - 1 - x : x; // position before the flip
      const oy = fy ? height - 1 - y : y;
      let sx: number;
      let sy: number;
      if (options.rotate === 90) [sx, sy] = [oy, h - 1 - ox];
      else if (options.rotate === 180) [sx, sy] = [w - 1 - ox, h - 1 - oy];
      else if (options.rotate === 270) [sx, sy] = [w - 1 - oy, ox];
      else [sx, sy] = [ox, oy];
      source[y * width + x] = sy * w + sx;
    }
  return { width, height, source };
}

function gather<T extends Float32Array | Uint8Array>(data: T, source: Uint32Array, channels: number): T {
  const out = new (data.constructor as { new (n: number): T })(source.length * channels);
  for (let i = 0; i < source.length; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = data[source[i] * channels + c];
  return out;
}

export const orient = definePlugin<OrientOptions>({
  name: 'orient',
  role: 'orient',
  description: 'Rotate by 90/180/270° and/or mirror, exactly (no resampling)',
  options: orientSchema,
  accepts: {},
  produces: (input) => ({ ...input }),
  gray: () => 'passes',
  create(options) {
    return {
      run(image: ImageTensor): ImageTensor {
        if (options.rotate === 0 && options.flip === 'none') return image;
        const { width, height, source } = orientIndex(image.width, image.height, options);
        const out: ImageTensor = { ...image, width, height, data: gather(image.data, source, image.channels) };
        if (image.mask) out.mask = gather(image.mask, source, 1);
        if (image.accent) out.accent = gather(image.accent, source, 1);
        return out;
      },
    };
  },
});
