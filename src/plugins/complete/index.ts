/**
 * complete: binary → binary. Keeps part of a partly drawn sprite exactly and
 * lets the autoregressive sprite model (src/sprite, a PixelCNN) draw the
 * rest: `cut` keeps the first N pixels in raster order, `mask` names a
 * same-size image whose ink pixels are redrawn. Pixels are generated in
 * raster order, each conditioned on every pixel before it; with a mask the
 * completion is picked among `proposals` samples by how well it fits the
 * kept pixels below and to the right (importance resampling, src/sprite/ar.ts).
 * The image must be the model's grid size (24×24 for the shipped model):
 * put a `resize` step with that size before it for larger art.
 */
import { isAbsolute, resolve } from 'node:path';
import { PixelError } from '../../pipeline/errors.js';
import { invalid } from '../../pipeline/messages.js';
import { customField, numberField, optionalNumberField, stringField, type Schema } from '../../pipeline/options.js';
import { binaryTensor, definePlugin, type BinaryTensor } from '../../pipeline/types.js';

export interface CompleteOptions {
  model: string;
  cut: number | undefined;
  mask: string;
  temperature: number;
  proposals: number;
  seed: number;
}

export const completeSchema: Schema<CompleteOptions> = {
  model: customField(
    'Sprite model PNG written by `pixel sprite train`; "default" is the shipped models/sprite-ar.png.',
    'default',
    'a model file path (a non-empty string)',
    (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
  ),
  cut: optionalNumberField('Keep the first N pixels (raster order) and generate the rest.', { min: 0, integer: true }),
  mask: stringField('Image of the same size whose ink (black) pixels are generated; the others are kept.', ''),
  temperature: numberField('Sampling temperature: 1 as trained, lower is more conservative, higher wilder.', 1, { min: 0, exclusiveMin: true }),
  proposals: numberField('Samples per completion for importance resampling (used with a mask that keeps pixels below or right of the fill).', 16, { min: 1, max: 1024, integer: true }),
  seed: numberField('Random seed; the same seed gives the same completion.', 1, { min: 0, max: 2 ** 31 - 1, integer: true }),
};

export const complete = definePlugin<CompleteOptions>({
  name: 'complete',
  role: 'refine',
  description: 'Finish a partly drawn sprite with the autoregressive sprite model (keep a prefix or an unmasked part, generate the rest).',
  options: completeSchema,
  check(o, path) {
    if ((o.cut === undefined) === (o.mask === ''))
      throw invalid(path, 'exactly one of cut (a pixel count) or mask (an image path)', { cut: o.cut, mask: o.mask || undefined });
  },
  accepts: { channels: [1], range: ['binary'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  async create(options, ctx) {
    const resolvePath = (p: string): string => (isAbsolute(p) ? p : resolve(ctx?.baseDir ?? process.cwd(), p));
    const { loadArModel, completeSprites, cutFill, keptAfterFill } = await import('../../sprite/ar.js');
    const { defaultArModelPath } = await import('../../sprite/sheet.js');
    const model = loadArModel(options.model === 'default' ? defaultArModelPath() : resolvePath(options.model));
    const g = model.arch.grid;
    let fill: Uint8Array;
    if (options.mask) {
      const { readBits, fitToGrid } = await import('../../sprite/data.js');
      const file = resolvePath(options.mask);
      const img = await readBits(file);
      const bits = fitToGrid(img, g, 0);
      if (!bits) throw new PixelError('E_CONFIG', `Expected a ${g}×${g} mask for complete.mask but ${JSON.stringify(file)} is ${img.width}×${img.height}`, { file });
      fill = bits;
    } else {
      if (options.cut! > g * g) throw new PixelError('E_CONFIG', `Expected a cut of at most ${g * g} pixels for complete.cut but received ${options.cut}`, { hint: `The model draws ${g}×${g} sprites` });
      fill = cutFill(g, options.cut!);
    }
    return {
      run(image) {
        if (image.width !== g || image.height !== g)
          throw new PixelError('E_INPUT', `Expected a ${g}×${g} sprite for the complete step but received ${image.width}×${image.height}`, {
            hint: `Put a resize step to ${g}×${g} before it, or train a model for this size with pixel sprite train --grid`,
          });
        const src = image as BinaryTensor;
        const ink = Uint8Array.from(src.data, (v) => (v ? 0 : 1));
        const [bits] = completeSprites(model.net, ink, fill, { count: 1, temperature: options.temperature, seed: options.seed, proposals: keptAfterFill(fill) ? options.proposals : 1 });
        const out = binaryTensor(g, g, image.palette);
        for (let i = 0; i < bits.length; i++) out.data[i] = bits[i] ? 0 : 1;
        if (image.mask) out.mask = image.mask;
        return out;
      },
    };
  },
});
