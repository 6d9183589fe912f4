/**
 * dither: one gray channel in, a true 1-bit image out. Error diffusion (eight
 * classic kernels and variants) or ordered dithering (Bayer, blue noise), in linear light
 * by default so a flat gray keeps the ink coverage a display would show.
 */
import { inSpace } from '../../image/color.js';
import { booleanField, enumField, numberField, type Schema } from '../../pipeline/options.js';
import { PixelError } from '../../pipeline/errors.js';
import { definePlugin, type BinaryTensor, type ColorSpace, type ImageTensor, type ToneTensor } from '../../pipeline/types.js';
import { CLUSTERED_DOT_8 } from './clustered-dot.js';
import { directBinarySearch } from './dbs.js';
import { dotDiffuse } from './dot-diffusion.js';
import { edgeOffset } from './edges.js';
import { diffuse, diffuseWithOffset, KERNELS, type DiffusionKernel } from '../../kernels/error-diffusion.js';
import { bayerMatrix, BLUE_NOISE_SIZE, cachedBlueNoise, ordered, thresholdsFromRanks } from './ordered.js';
import { riemersma } from './riemersma.js';
import { ostromoukhovWeights, zhouFangModulation, zhouFangWeights } from '../../kernels/variable-coefficients.js';
import { diffuseVariable } from '../../kernels/variable-diffusion.js';

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
  'clustered-dot',
  'ostromoukhov',
  'zhou-fang',
  'riemersma',
  'dot-diffusion',
  'dbs',
] as const;

export type DitherMethod = (typeof DITHER_METHODS)[number];

export interface DitherOptions {
  method: DitherMethod;
  serpentine: boolean;
  strength: number;
  space: ColorSpace;
  /** Error-diffusion methods: keep thin lines and outlines on their side of the threshold (edges.ts). */
  edgeAware: boolean;
  /** How strongly edgeAware acts, 0..1. */
  edgeStrength: number;
  /** dbs: σ of the Gaussian eye model in grid pixels. */
  dbsSigma: number;
  /** dbs: maximum passes over the image. */
  dbsIterations: number;
  /** dbs: wall-clock cap in ms per image, 0 for none (a cap that is hit makes the result machine-dependent). */
  dbsTimeMs: number;
}

/** What a prepared method does to one image: gray (working space) → 0/1 in `out`. */
export type DitherRun = (gray: Float32Array, width: number, height: number, out: Uint8Array) => void;

/**
 * One entry per method. Adding a method is adding an entry (and its name to
 * DITHER_METHODS): `diffusion` takes a kernel, `ordered` a rank-matrix
 * builder (called in create(), never at import), and `custom` anything else
 * (space-filling curves, iterative search…) as a function that prepares a run,
 * and says whether it is temporally `stable` (see temporallyStable).
 */
export type MethodSpec =
  | { kind: 'diffusion'; description: string; kernel: DiffusionKernel }
  | { kind: 'ordered'; description: string; size: number; ranks: () => ArrayLike<number> }
  | { kind: 'custom'; description: string; stable: boolean; prepare: (options: DitherOptions) => DitherRun };

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
  'clustered-dot': {
    kind: 'ordered',
    size: 8,
    ranks: () => CLUSTERED_DOT_8,
    description: 'Clustered-dot 8×8 screen at 45° (round dots, Euclidean spot): the newspaper halftone look',
  },
  ostromoukhov: {
    kind: 'custom',
    stable: false,
    prepare: (o) => {
      const weights = ostromoukhovWeights();
      return (gray, width, height, out) =>
        void diffuseVariable(gray, width, height, { weights, strength: o.strength, serpentine: o.serpentine, offset: offsetFor(o, gray, width, height) }, out);
    },
    description: 'Ostromoukhov (2001): error diffusion with tone-dependent weights; smooth mid-tones without worms, close to FS speed',
  },
  'zhou-fang': {
    kind: 'custom',
    stable: false,
    prepare: (o) => {
      const weights = zhouFangWeights();
      const modulation = zhouFangModulation();
      return (gray, width, height, out) =>
        void diffuseVariable(gray, width, height, { weights, modulation, strength: o.strength, serpentine: o.serpentine, offset: offsetFor(o, gray, width, height) }, out);
    },
    description: 'Zhou–Fang (2003): Ostromoukhov-style weights plus seeded threshold modulation; cleanest mid-tones',
  },
  riemersma: {
    kind: 'custom',
    stable: false,
    prepare: (o) => (gray, width, height, out) => void riemersma(gray, width, height, o.strength, out, offsetFor(o, gray, width, height)),
    description: 'Riemersma (1998): error carried along a Hilbert curve (last 16 errors, decaying weights); no directional artefacts',
  },
  'dot-diffusion': {
    kind: 'custom',
    stable: false,
    prepare: (o) => (gray, width, height, out) => void dotDiffuse(gray, width, height, o.strength, out, offsetFor(o, gray, width, height)),
    description: 'Knuth dot diffusion (1987): error shared in the order of an 8×8 class matrix; parallel-friendly, slightly grainy',
  },
  dbs: {
    kind: 'custom',
    stable: false,
    prepare: (o) => {
      const start = prepare({ ...o, method: 'floyd-steinberg' });
      const search = { sigma: o.dbsSigma, iterations: o.dbsIterations, timeMs: o.dbsTimeMs };
      return (gray, width, height, out) => {
        start(gray, width, height, out);
        directBinarySearch(gray, width, height, out, search);
      };
    },
    description: 'Direct Binary Search (Analoui–Allebach 1992): iterative search from Floyd–Steinberg for the best-looking result; slow, best tone',
  },
};

/** The edge-aware decision offset for one image, or undefined when edgeAware is off. */
function offsetFor(o: DitherOptions, gray: Float32Array, width: number, height: number): Float32Array | undefined {
  return o.edgeAware && o.edgeStrength > 0 ? edgeOffset(gray, width, height, o.edgeStrength) : undefined;
}

/**
 * Whether a method keeps still areas of an animation the same in every frame:
 * ordered methods threshold each pixel against a fixed pattern, so yes; error
 * diffusion (and the custom methods that carry error or search the whole
 * image) lets a change anywhere move the dots after it.
 */
export function temporallyStable(method: DitherMethod): boolean {
  const spec = METHODS[method];
  return spec.kind === 'ordered' || (spec.kind === 'custom' && spec.stable);
}

/** One-line description of a method (for --help and the README). */
export function describeMethod(method: DitherMethod): string {
  return METHODS[method].description;
}

/** Defaults chosen by measurement on devbench (bench/quality-methods.ts). */
export const DEFAULT_EDGE_STRENGTH = 1;
export const DEFAULT_DBS_SIGMA = 1.2;

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
  edgeAware: booleanField(
    'Keep thin lines continuous and step edges clean: a Sobel/local-contrast threshold offset at grid resolution; error-diffusion methods only',
    false,
  ),
  edgeStrength: numberField('How strongly edgeAware acts (0 is off, 1 full)', DEFAULT_EDGE_STRENGTH, { min: 0, max: 1 }),
  dbsSigma: numberField('dbs: spread (σ, grid pixels) of the Gaussian eye model the search minimises', DEFAULT_DBS_SIGMA, { min: 0.3, max: 4 }),
  dbsIterations: numberField('dbs: most passes over the image (the search stops earlier when a pass changes nothing)', 8, {
    min: 1,
    max: 100,
    integer: true,
  }),
  dbsTimeMs: numberField('dbs: time cap per image in ms, 0 for none; a cap that is reached makes the result depend on machine speed', 0, {
    min: 0,
  }),
};

/** Builds the run for one set of options (tables built once here, never per image). */
export function prepare(options: DitherOptions): DitherRun {
  const spec = METHODS[options.method];
  switch (spec.kind) {
    case 'diffusion': {
      const diffuseOptions = { serpentine: options.serpentine, strength: options.strength };
      return (gray, width, height, out) => {
        const offset = offsetFor(options, gray, width, height);
        if (offset) diffuseWithOffset(gray, width, height, spec.kernel, diffuseOptions, offset, out);
        else diffuse(gray, width, height, spec.kernel, diffuseOptions, out);
      };
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
  role: 'binarizer',
  methods: Object.fromEntries(DITHER_METHODS.map((method) => [method, { method }])),
  description: 'Reduce one gray channel to 1-bit by error diffusion or ordered dithering',
  options: ditherOptionsSchema,
  accepts: { channels: [1], range: ['unit'] },
  produces(input) {
    return { channels: 1, range: 'binary', space: input.space };
  },
  temporalStability: (options) => ({ stable: temporallyStable(options.method), method: options.method }),
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
