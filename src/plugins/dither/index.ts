/**
 * dither: one gray channel in, a true 1-bit image out. Error diffusion (eight
 * classic kernels) or ordered dithering (Bayer, blue noise), in linear light
 * by default so a flat gray keeps the ink coverage a display would show.
 */
import { inSpace } from '../../image/color.js';
import { booleanField, enumField, numberField, parseWithSchema, type Schema } from '../../pipeline/options.js';
import { PixelError } from '../../pipeline/errors.js';
import { definePlugin, type BinaryTensor, type ColorSpace, type ImageTensor, type ToneTensor } from '../../pipeline/types.js';
import { diffuse, KERNELS, type DiffusionKernel } from './error-diffusion.js';
import { bayerMatrix, BLUE_NOISE_SIZE, cachedBlueNoise, ordered, thresholdsFromRanks } from './ordered.js';

/** Every method name, in the order --help and the README list them. */
export const DITHER_METHODS = [
  'floyd-steinberg',
  'atkinson',
  'jarvis-judice-ninke',
  'stucki',
  'burkes',
  'sierra-3',
  'sierra-2',
  'sierra-lite',
  'bayer-2',
  'bayer-4',
  'bayer-8',
  'bayer-16',
  'blue-noise',
] as const;

export type DitherMethod = (typeof DITHER_METHODS)[number];

export interface DitherOptions {
  method: DitherMethod;
  serpentine: boolean;
  strength: number;
  space: ColorSpace;
}

/** What a prepared method does to one image: gray (working space) → 0/1 in `out`. */
export type DitherRun = (gray: Float32Array, width: number, height: number, out: Uint8Array) => void;

/**
 * One entry per method. Adding a method is adding an entry (and its name to
 * DITHER_METHODS): `diffusion` takes a kernel, `ordered` a rank-matrix
 * builder (called in create(), never at import), and `custom` anything else
 * (space-filling curves, iterative search…) as a function that prepares a run.
 */
export type MethodSpec =
  | { kind: 'diffusion'; description: string; kernel: DiffusionKernel }
  | { kind: 'ordered'; description: string; size: number; ranks: () => ArrayLike<number> }
  | { kind: 'custom'; description: string; prepare: (options: DitherOptions) => DitherRun };

export const METHODS: Readonly<Record<DitherMethod, MethodSpec>> = {
  'floyd-steinberg': {
    kind: 'diffusion',
    kernel: KERNELS['floyd-steinberg'],
    description: 'Floyd–Steinberg (1976): 4-neighbour error diffusion, the all-round default',
  },
  atkinson: {
    kind: 'diffusion',
    kernel: KERNELS.atkinson,
    description: 'Atkinson (MacPaint, 1984): passes on only 3/4 of the error; crisp, high contrast, clipped shadows and highlights',
  },
  'jarvis-judice-ninke': {
    kind: 'diffusion',
    kernel: KERNELS['jarvis-judice-ninke'],
    description: 'Jarvis–Judice–Ninke (1976): 12-neighbour diffusion over 3 rows; smooth, fewer worms, softer edges',
  },
  stucki: {
    kind: 'diffusion',
    kernel: KERNELS.stucki,
    description: 'Stucki (1981): 12-neighbour diffusion like JJN, slightly sharper',
  },
  burkes: {
    kind: 'diffusion',
    kernel: KERNELS.burkes,
    description: 'Burkes (1988): 2-row simplification of Stucki; clean and fast',
  },
  'sierra-3': {
    kind: 'diffusion',
    kernel: KERNELS['sierra-3'],
    description: 'Sierra (1989): 3-row, 10-neighbour diffusion, close to JJN',
  },
  'sierra-2': {
    kind: 'diffusion',
    kernel: KERNELS['sierra-2'],
    description: 'Two-row Sierra (1990): 7-neighbour diffusion',
  },
  'sierra-lite': {
    kind: 'diffusion',
    kernel: KERNELS['sierra-lite'],
    description: 'Sierra Lite (1990): 3-neighbour diffusion, cheapest, close to Floyd–Steinberg',
  },
  'bayer-2': { kind: 'ordered', size: 2, ranks: () => bayerMatrix(2), description: 'Bayer 2×2 ordered dither: 5 tone levels, coarse cross-hatch' },
  'bayer-4': { kind: 'ordered', size: 4, ranks: () => bayerMatrix(4), description: 'Bayer 4×4 ordered dither: 17 tone levels, the classic retro pattern' },
  'bayer-8': { kind: 'ordered', size: 8, ranks: () => bayerMatrix(8), description: 'Bayer 8×8 ordered dither: 65 tone levels' },
  'bayer-16': { kind: 'ordered', size: 16, ranks: () => bayerMatrix(16), description: 'Bayer 16×16 ordered dither: 257 tone levels, finest regular pattern' },
  'blue-noise': {
    kind: 'ordered',
    size: BLUE_NOISE_SIZE,
    ranks: () => cachedBlueNoise(BLUE_NOISE_SIZE),
    description: 'Blue-noise ordered dither (void-and-cluster 64×64): no visible pattern, stable under animation',
  },
};

/** One-line description of a method (for --help and the README). */
export function describeMethod(method: DitherMethod): string {
  return METHODS[method].description;
}

export const ditherOptionsSchema: Schema<DitherOptions> = {
  method: enumField('Dithering algorithm (error diffusion or ordered)', 'floyd-steinberg', DITHER_METHODS),
  serpentine: booleanField('Alternate the scan direction every row (error diffusion only); breaks up diagonal worms', true),
  strength: numberField('How much of the error (diffusion) or threshold pattern (ordered) to apply; 0 is a plain threshold at 0.5', 1, {
    min: 0,
    max: 1,
  }),
  space: enumField('Colour space the dither works in: linear light keeps the true ink coverage, srgb matches most other tools', 'linear', [
    'linear',
    'srgb',
  ] as const),
};

function prepare(options: DitherOptions): DitherRun {
  const spec = METHODS[options.method];
  switch (spec.kind) {
    case 'diffusion': {
      const diffuseOptions = { serpentine: options.serpentine, strength: options.strength };
      return (gray, width, height, out) => void diffuse(gray, width, height, spec.kernel, diffuseOptions, out);
    }
    case 'ordered': {
      const thresholds = thresholdsFromRanks(spec.ranks());
      return (gray, width, height, out) => void ordered(gray, width, height, thresholds, spec.size, options.strength, out);
    }
    case 'custom':
      return spec.prepare(options);
  }
}

export const dither = definePlugin<DitherOptions>({
  name: 'dither',
  description: 'Reduce one gray channel to 1-bit by error diffusion or ordered dithering',
  defaults: Object.freeze({ method: 'floyd-steinberg', serpentine: true, strength: 1, space: 'linear' }),
  parseOptions(input, path) {
    return parseWithSchema(ditherOptionsSchema, input, path, ['use']);
  },
  accepts: { channels: [1], range: ['unit'] },
  produces(input) {
    return { channels: 1, range: 'binary', space: input.space };
  },
  create(options) {
    const run = prepare(options);
    return {
      run(image: ImageTensor): BinaryTensor {
        if (image.channels !== 1 || image.range !== 'unit' || !(image.data instanceof Float32Array)) {
          throw new PixelError('E_PIPELINE', `dither needs a 1-channel unit image but received ${image.channels} channel(s), range ${image.range}`, {
            hint: 'Add a grayscale step before dither.',
          });
        }
        const { width, height } = image;
        // The input tensor is never modified; inSpace copies only when the spaces differ.
        const gray = inSpace(image as ToneTensor, options.space).data;
        const out = new Uint8Array(width * height);
        run(gray, width, height, out);
        const result: BinaryTensor = { width, height, channels: 1, range: 'binary', space: image.space, data: out };
        if (image.palette) result.palette = image.palette;
        return result;
      },
    };
  },
});
