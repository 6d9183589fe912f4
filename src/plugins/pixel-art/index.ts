/**
 * pixel-art: a structure-first binarizer for small grids. Continuous 1-px
 * lines where the subject has dark lines and edges (found at `workScale`
 * times the grid), flat areas solid or filled with a regular pattern, text
 * and sharp detail as strokes, transparent sprites outlined, no orphan pixels.
 * See binarize.ts for the order of decisions and kernels.ts for each one.
 *
 * The step that finds lines above the grid asks the resize step right
 * before it for `workScale` times the grid (Plugin.workingScale); the
 * pipeline links the two (pipeline.ts, linkWorkingScale) and the step
 * returns the grid. Without a resize right before it, the step works at the
 * size it is given.
 */
import { booleanField, enumField, numberField, type Schema } from '../../pipeline/options.js';
import { binaryTensor, definePlugin, type ColorSpace, type ToneTensor } from '../../pipeline/types.js';
import { inSpace, luminance } from '../../image/color.js';
import { binarizePixelArt, type PixelArtParams } from './binarize.js';
import { FILL_PATTERN_NAMES, FILL_PATTERNS, type FillPatternName } from './patterns.js';

export { binarizePixelArt, type PixelArtParams } from './binarize.js';
export { FILL_PATTERNS, FILL_PATTERN_NAMES, type FillPattern } from './patterns.js';

export interface PixelArtOptions extends Omit<PixelArtParams, 'pattern'> {
  workScale: number;
  pattern: FillPatternName;
  edgeAware: boolean;
  /** Set by the pipeline (not by users): the input is this many times the grid. */
  inputScale?: number;
}

export const pixelArtSchema: Schema<Omit<PixelArtOptions, 'inputScale'>> = {
  workScale: numberField('Lines are found at this many times the grid resolution (the resize step right before is asked for it); 1 finds them at the grid.', 4, { min: 1, max: 8, integer: true }),
  space: enumField('Tone space of the fill: srgb (coded gray, reads better at pixel-art scales) or linear (light).', 'srgb', ['srgb', 'linear']),
  pattern: enumField(`Fill patterns for flat areas: ${FILL_PATTERN_NAMES.map((p) => `${p} (${FILL_PATTERNS[p].description})`).join('; ')}.`, 'diagonal', FILL_PATTERN_NAMES),
  lineContrast: numberField('How dark (sRGB-coded gray) a line or edge must be against its surroundings to be drawn as a 1-px ink line; 0 draws no lines (0.18 loses a 2-px outline at an 8× reduction).', 0.14, { min: 0, max: 1 }),
  minLine: numberField('Line pieces shorter than this many grid pixels are dropped (texture, noise).', 4, { min: 1, max: 1000, integer: true }),
  detailContrast: numberField('Text: how much darker (or lighter) than its ground within 2 grid pixels a stroke must be (sRGB-coded, at the working resolution); letter-like pieces of strokes seed text boxes, and boxes that split into letter-sized pieces are drawn as a clean threshold on a solid ground; 0 turns it off.', 0.3, { min: 0, max: 1 }),
  smooth: numberField('Edge-preserving smoothing of the tone before the fill (bilateral range σ, coded gray), so flat areas take one pattern; 0 turns it off.', 0.06, { min: 0, max: 1 }),
  outline: booleanField('Outline the silhouette of transparent sprites with ink.', true),
  screen: numberField('How strongly the fill follows the pattern: the error diffusion\'s threshold is 0.5 + screen × (pattern threshold − 0.5), so 1 draws flat tones as the pattern, lower values keep finer tone; 0 = the tone quantised to the pattern levels (purer patterns, coarser tone).', 0.5, { min: 0, max: 1 }),
  solid: numberField('Tones within this of paper or ink (in the fill\'s tone space) are drawn solid, with no stray dots in near-white or near-black fills; 0 keeps every tone.', 0, { min: 0, max: 0.5 }),
  edgeAware: booleanField('Accepted so that --edge-aware works with every preset: this binarizer always keeps lines and edges (see lineContrast), so it changes nothing.', true),
  cleanup: booleanField('Flip orphan pixels (all 8 neighbours the other colour); lines and outlines are kept. Off by default: the fill leaves under 1 % and flipping them costs about 1 dB tone PSNR.', false),
};

export const pixelArt = definePlugin<PixelArtOptions>({
  name: 'pixel-art',
  role: 'binarizer',
  methods: { 'pixel-art': {} },
  description: 'Structure-first 1-bit pixel art: 1-px lines found above the grid, pattern-filled flat areas, text as strokes, outlined sprites, no orphans.',
  options: pixelArtSchema,
  accepts: { channels: [1, 3], range: ['unit'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  gray: () => 'converts',
  workingScale: (o) => o.workScale,
  // The pattern fill carries its error to the next pixels (patternFill), whatever `screen` is.
  temporalStability: () => ({ stable: false, method: 'pixel-art' }),
  create(options) {
    const pattern = FILL_PATTERNS[options.pattern];
    return {
      run(image) {
        const src = inSpace(image as ToneTensor, 'linear');
        const gray = src.channels === 3 ? luminance(src.data) : src.data;
        const r = binarizePixelArt(gray, src.width, src.height, options.inputScale ?? 1, { ...options, pattern }, src.mask);
        const out = binaryTensor(r.width, r.height, image.palette);
        out.data.set(r.data);
        if (r.mask) out.mask = r.mask;
        return out;
      },
    };
  },
});
