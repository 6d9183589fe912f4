/**
 * adjust: gray conversion and tone corrections before binarisation.
 *
 * Order of operations:
 *   grayscale (luminance in LINEAR light, Rec. 709 weights)
 *   → levels / autoLevels → gamma → brightness → contrast → sharpen → invert
 * The tone operations work on sRGB-CODED values (perceptual, like image
 * editors: "+10% brightness" means what it means in Photoshop/GIMP); the
 * result is returned in LINEAR light for the steps after it.
 *
 * With every tone option at its default the coded detour is skipped, so the
 * step is exactly luminance (or a pass-through) and pure black and white stay pure.
 */
import { PixelError } from '../../pipeline/errors.js';
import { bothGiven } from '../../pipeline/messages.js';
import { booleanField, customField, isPlainObject, numberField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type ToneTensor } from '../../pipeline/types.js';
import { convertSpace, inSpace } from '../../image/color.js';
import { applyTable, autoLevelsRange, luminance, toneTable, unsharpMask, type ToneCurve } from './kernels.js';

export { luminance, toneValue, toneTable, applyTable, autoLevelsRange, unsharpMask } from './kernels.js';
export type { ToneCurve } from './kernels.js';

export interface Levels {
  black: number;
  white: number;
}

export interface AdjustOptions {
  grayscale: boolean;
  brightness: number;
  contrast: number;
  gamma: number;
  levels: Levels | undefined;
  /** false, or the fraction clipped at each end. */
  autoLevels: false | number;
  invert: boolean;
  sharpen: number;
  sharpenRadius: number;
  sharpenThreshold: number;
}

/** `true` for autoLevels means this clip fraction at each end. */
export const AUTO_LEVELS_DEFAULT_CLIP = 0.005;

const inUnit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

export const adjustSchema: Schema<AdjustOptions> = {
  grayscale: booleanField('Convert colour to gray (luminance in linear light, Rec. 709 weights).', true),
  brightness: numberField('Added to every coded value (−1 black … 1 white).', 0, { min: -1, max: 1 }),
  contrast: numberField('Contrast around mid-gray (−1 flat gray … 1 hard step at 50%).', 0, { min: -1, max: 1 }),
  gamma: numberField('Mid-tone gamma as in a levels dialog (> 1 lightens, < 1 darkens).', 1, { min: 0, exclusiveMin: true }),
  levels: customField<Levels | undefined>(
    'Input levels: coded values at or below black become black, at or above white become white.',
    undefined,
    'an object { black, white } with 0 <= black < white <= 1',
    (v) => {
      if (!isPlainObject(v)) return undefined;
      const keys = Object.keys(v);
      if (keys.some((k) => k !== 'black' && k !== 'white')) return undefined;
      const black = v.black ?? 0;
      const white = v.white ?? 1;
      return inUnit(black) && inUnit(white) && black < white ? { black, white } : undefined;
    },
  ),
  autoLevels: customField<false | number>(
    'Stretch the tones so this fraction of pixels clips at each end (true = 0.005).',
    false,
    'false, true or a number between 0 and 0.49',
    (v) => (v === false ? false : v === true ? AUTO_LEVELS_DEFAULT_CLIP : typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 0.49 ? v : undefined),
  ),
  invert: booleanField('Swap dark and light (last).', false),
  sharpen: numberField('Unsharp-mask amount (0 off … 5); keeps thin outlines alive through binarisation.', 0, { min: 0, max: 5 }),
  sharpenRadius: numberField('Unsharp-mask Gaussian sigma in pixels.', 1, { min: 0.1, max: 20 }),
  sharpenThreshold: numberField('Unsharp mask leaves differences up to this size alone (protects flat areas from noise).', 0, { min: 0, max: 1 }),
};

export const adjust = definePlugin<AdjustOptions>({
  name: 'adjust',
  role: 'tone',
  description: 'Gray conversion (linear-light luminance) and tone corrections in coded space: levels, gamma, brightness, contrast, sharpen, invert.',
  options: adjustSchema,
  check(o, path) {
    if (o.levels !== undefined && o.autoLevels !== false) {
      const p = (k: string) => (path ? `${path}.${k}` : k);
      throw new PixelError('E_OPTION', bothGiven(p('levels'), p('autoLevels'), 'levels and autoLevels'), {
        hint: 'autoLevels picks the levels from each image; remove one of them.',
      });
    }
  },
  accepts: { channels: [1, 3], range: ['unit'] },
  produces: (input, o) => ({ channels: o.grayscale ? 1 : input.channels, range: 'unit', space: 'linear' }),
  gray: (o) => (o.grayscale ? 'converts' : undefined),
  create(o) {
    const toneActive =
      o.levels !== undefined || o.autoLevels !== false || o.gamma !== 1 || o.brightness !== 0 || o.contrast !== 0 || o.sharpen > 0 || o.invert;
    const curve = (levels: Levels | undefined): ToneCurve => ({
      black: levels?.black ?? 0,
      white: levels?.white ?? 1,
      gamma: o.gamma,
      brightness: o.brightness,
      contrast: o.contrast,
      // With sharpen, invert and decoding come after the (spatial) unsharp mask.
      invert: o.invert && o.sharpen === 0,
      toLinear: o.sharpen === 0,
    });
    // Static tables are built once here; autoLevels needs one per image.
    const staticTable = toneActive && o.autoLevels === false ? toneTable(curve(o.levels)) : undefined;

    return {
      run(image) {
        const src = image as ToneTensor;
        const gray = o.grayscale && src.channels === 3;
        const channels = gray ? 1 : src.channels;
        if (!toneActive) {
          const lin = inSpace(src, 'linear');
          return gray ? { ...lin, channels: 1, data: luminance(lin.data) } : lin;
        }
        // Coded values to work on (a fresh array unless the input already is one we may not touch).
        let coded: Float32Array;
        if (gray) {
          const lum = luminance(inSpace(src, 'linear').data);
          coded = convertSpace(lum, 'linear', 'srgb', lum);
        } else coded = src.space === 'srgb' ? src.data : convertSpace(src.data, 'linear', 'srgb');

        let table = staticTable;
        if (!table) {
          const range = autoLevelsRange(coded, o.autoLevels as number);
          table = toneTable(curve(range));
        }
        let data: Float32Array;
        if (o.sharpen === 0) {
          data = applyTable(coded, table);
        } else {
          const toned = applyTable(coded, table);
          data = unsharpMask(toned, src.width, src.height, channels, o.sharpen, o.sharpenRadius, o.sharpenThreshold);
          if (o.invert) for (let i = 0; i < data.length; i++) data[i] = 1 - data[i];
          convertSpace(data, 'srgb', 'linear', data);
        }
        return { ...src, channels, space: 'linear', data };
      },
    };
  },
});
