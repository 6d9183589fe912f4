/**
 * unet: tone → binary with the neural binarizer (src/nn): a small U-Net
 * corrects the linear-light gray, then error diffusion (or a threshold)
 * binarizes it. tfjs and the model load in create(), once per run, so
 * pipelines without this step never load tfjs.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { packageInfo } from '../../files/package-root.js';
import { inSpace } from '../../image/color.js';
import { customField, enumField, numberField, type Schema } from '../../pipeline/options.js';
import { binaryTensor, definePlugin, type ToneTensor } from '../../pipeline/types.js';

export type UnetBinarizer = 'auto' | 'ostromoukhov' | 'error-diffusion' | 'threshold';
export type UnetBackend = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

export interface UnetOptions {
  model: string;
  binarizer: UnetBinarizer;
  backend: UnetBackend;
  tile: number;
  overlap: number;
}

/** Models shipped with pixel, by the name `model` accepts: files in pixel's own models/ folder. */
export const SHIPPED_MODELS: Readonly<Record<string, string>> = {
  default: 'unet-default.png',
  // 24×24-icon style from degraded renders (scripts/train-icon-style.sh; README, "Icon-style model").
  'icon-style': 'icon-style.png',
};

/** The shipped model, inside pixel's own install folder. */
export function defaultModelPath(name = 'default'): string {
  return join(packageInfo().root, 'models', SHIPPED_MODELS[name]);
}

export const unetSchema: Schema<UnetOptions> = {
  model: customField(
    'Model PNG written by `pixel train`; "default" (models/unet-default.png, photos) and "icon-style" (models/icon-style.png, scanned or anti-aliased icons at a 24-px grid) are shipped with pixel.',
    'default',
    'a model file path (a non-empty string)',
    (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
  ),
  binarizer: enumField(
    'How p is binarized: auto (what the model was trained with), ostromoukhov (tone-dependent error diffusion, serpentine), error-diffusion (Floyd–Steinberg, raster) or threshold (p > 0.5).',
    'auto',
    ['auto', 'ostromoukhov', 'error-diffusion', 'threshold'],
  ),
  backend: enumField('tfjs backend: auto (tensorflow if installed, else wasm, else cpu), wasm, cpu or tensorflow.', 'auto', ['auto', 'wasm', 'cpu', 'tensorflow']),
  tile: numberField('Tile size in pixels for large images (a multiple of 4 is used).', 256, { min: 16, max: 4096, integer: true }),
  overlap: numberField('Context in pixels around each tile, so tiles join without seams.', 24, { min: 0, max: 256, integer: true }),
};

export function resolveModelPath(model: string, cwd = process.cwd()): string {
  if (Object.hasOwn(SHIPPED_MODELS, model)) return defaultModelPath(model);
  return isAbsolute(model) ? model : resolve(cwd, model);
}

export const unet = definePlugin<UnetOptions>({
  name: 'unet',
  role: 'binarizer',
  methods: { unet: {} },
  description: 'Neural binarizer: a U-Net corrects the gray, error diffusion places the dots (trained with pixel train).',
  options: unetSchema,
  accepts: { channels: [1], range: ['unit'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  async create(options, ctx) {
    const { useBackend } = await import('../../nn/tf.js');
    const { readModel } = await import('../../nn/model.js');
    const { binarizeImage } = await import('../../nn/infer.js');
    const { tf } = await useBackend(options.backend);
    const loaded = readModel(tf, resolveModelPath(options.model, ctx?.baseDir));
    const binarizer = options.binarizer === 'auto' ? loaded.binarizer : options.binarizer;
    let weights: typeof loaded.weights | undefined = loaded.weights;
    return {
      run(image) {
        if (!weights) throw new Error('unet: step used after dispose()');
        const src = inSpace(image as ToneTensor, 'linear');
        const out = binaryTensor(src.width, src.height, image.palette);
        out.data.set(binarizeImage(tf, weights, binarizer, src.data, src.width, src.height, { tile: options.tile, overlap: options.overlap }));
        return out;
      },
      dispose() {
        if (weights) for (const t of weights.values()) t.dispose();
        weights = undefined;
      },
    };
  },
});
