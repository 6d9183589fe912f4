/**
 * palette: chooses the two output colours (ink and paper) that encoders write,
 * e.g. an e-paper panel's or the Playdate's. `invert` swaps which pixels are
 * ink (a negative); in a PNG that looks like swapping the two colours, but
 * formats without a palette (PBM, XBM, C arrays) only change with `invert`.
 */
import { parseHexColor } from '../../image/color.js';
import { booleanField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type BinaryTensor, type ImageTensor, type Palette } from '../../pipeline/types.js';
import { colorField } from './color-field.js';
import { invertBits } from './kernels.js';

export interface PaletteOptions {
  /** Colour of ink pixels (binary 0), "#rrggbb". */
  ink: string;
  /** Colour of paper pixels (binary 1), "#rrggbb". */
  paper: string;
  /** Swap ink and paper pixels. */
  invert: boolean;
}

export const paletteSchema: Schema<PaletteOptions> = {
  ink: colorField('Colour of ink (dark) pixels in formats that store colours (PNG)', '#000000'),
  paper: colorField('Colour of paper (light) pixels in formats that store colours (PNG)', '#ffffff'),
  invert: booleanField('Swap ink and paper pixels (a negative image)', false),
};

export const palette = definePlugin<PaletteOptions>({
  name: 'palette',
  role: 'palette',
  description: 'Set the two output colours (ink and paper), optionally inverting the image',
  options: paletteSchema,
  accepts: { range: ['binary'] },
  produces: (input) => input,
  paper: (options) => parseHexColor(options.paper),
  create(options) {
    // Parsed once: the options are already validated hex strings.
    const colours: Palette = Object.freeze({ ink: parseHexColor(options.ink)!, paper: parseHexColor(options.paper)! });
    return {
      run(image: ImageTensor): BinaryTensor {
        const binary = image as BinaryTensor;
        const data = options.invert ? invertBits(binary.data) : binary.data;
        // A three-colour image keeps its third ink (the accent step sets it).
        return { ...binary, data, palette: binary.palette?.accent ? { ...colours, accent: binary.palette.accent } : colours };
      },
    };
  },
});
