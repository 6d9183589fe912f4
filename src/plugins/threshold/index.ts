/**
 * threshold: tone → binary. Fixed level, Otsu's global level, or an adaptive
 * (local mean / Gaussian) level. Works in sRGB-coded gray by default because
 * that is how people read "50% gray"; `space: 'linear'` thresholds light.
 */
import { booleanField, enumField, numberField, type Schema } from '../../pipeline/options.js';
import { binaryTensor, definePlugin, type ColorSpace, type ToneTensor } from '../../pipeline/types.js';
import { inSpace } from '../../image/color.js';
import { edgeOffset } from '../dither/edges.js';
import { gaussianBlur, gaussianKernel, localMean, otsuLevel, thresholdAdaptive, thresholdFixed, type AdaptiveWindow } from './kernels.js';

export { thresholdFixed, otsuLevel, thresholdAdaptive, localMean, gaussianKernel, gaussianBlur } from './kernels.js';
export type { AdaptiveOptions, AdaptiveWindow } from './kernels.js';

export type ThresholdMode = 'fixed' | 'otsu' | 'adaptive';

export interface ThresholdOptions {
  mode: ThresholdMode;
  value: number;
  space: ColorSpace;
  window: AdaptiveWindow;
  radius: number;
  offset: number;
  edgeAware: boolean;
  edgeStrength: number;
}

export const thresholdSchema: Schema<ThresholdOptions> = {
  mode: enumField('fixed: one level for the image; otsu: the level that best splits its histogram; adaptive: a level per pixel from its neighbourhood.', 'fixed', ['fixed', 'otsu', 'adaptive']),
  value: numberField('Level for mode "fixed": pixels brighter than it become paper.', 0.5, { min: 0, max: 1 }),
  space: enumField('Gray scale the level is measured in: srgb (coded, as editors show it) or linear (light).', 'srgb', ['srgb', 'linear']),
  window: enumField('Neighbourhood weighting for mode "adaptive": mean (box) or gaussian.', 'mean', ['mean', 'gaussian']),
  radius: numberField('Neighbourhood half-size in pixels for mode "adaptive" (window 2·radius+1).', 7, { min: 1, integer: true }),
  offset: numberField('Mode "adaptive": paper when value > local mean − offset; positive values keep flat areas paper.', 0.02, { min: -1, max: 1 }),
  edgeAware: booleanField('Keep thin lines continuous: pixels on a 1-px line darker (lighter) than their surroundings lean to ink (paper)', false),
  edgeStrength: numberField('How strongly edgeAware acts (0 is off, 1 full)', 1, { min: 0, max: 1 }),
};

export const threshold = definePlugin<ThresholdOptions>({
  name: 'threshold',
  role: 'binarizer',
  methods: { threshold: { mode: 'fixed' }, otsu: { mode: 'otsu' }, adaptive: { mode: 'adaptive' } },
  description: 'Binarise gray to ink and paper: fixed level, Otsu, or adaptive (local mean or Gaussian).',
  options: thresholdSchema,
  accepts: { channels: [1], range: ['unit'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  create(options) {
    return {
      run(image) {
        const src = inSpace(image as ToneTensor, options.space);
        const out = binaryTensor(src.width, src.height, image.palette);
        if (options.edgeAware && options.edgeStrength > 0) {
          thresholdEdgeAware(src.data, src.width, src.height, options, out.data);
        } else if (options.mode === 'fixed') thresholdFixed(src.data, options.value, out.data);
        else if (options.mode === 'otsu') thresholdFixed(src.data, otsuLevel(src.data), out.data);
        else thresholdAdaptive(src.data, src.width, src.height, options, out.data);
        return out;
      },
    };
  },
});

/**
 * Edge-aware threshold: the same levels as the plain modes, with the
 * line term of the dither plugin's edge offset (src/plugins/dither/edges.ts;
 * the step-edge term is left out, a threshold has no fringe of dots to damp)
 * added to each value, so a thin line that is only slightly darker than the
 * level still becomes ink.
 */
export function thresholdEdgeAware(data: Float32Array, width: number, height: number, options: ThresholdOptions, out: Uint8Array): Uint8Array {
  const off = edgeOffset(data, width, height, options.edgeStrength, undefined, 0);
  if (options.mode === 'adaptive') {
    const mean = options.window === 'mean' ? localMean(data, width, height, options.radius) : gaussianBlur(data, width, height, gaussianKernel(options.radius));
    for (let i = 0; i < data.length; i++) out[i] = +(data[i] + off[i] > mean[i] - options.offset);
  } else {
    const level = options.mode === 'fixed' ? options.value : otsuLevel(data);
    for (let i = 0; i < data.length; i++) out[i] = +(data[i] + off[i] > level);
  }
  return out;
}
