// @ts-check
/**
 * A complete pixel plugin: draws a frame of ink (or paper) around a 1-bit image.
 * Written in plain JavaScript with JSDoc types so it loads anywhere without a
 * build step; the same object in TypeScript would use `definePlugin` from 'pixel-1bit'.
 *
 * Use it in pixel.config.ts:
 *   plugins: ['border'],          // finds the package pixel-plugin-border
 *   steps: [..., { use: 'dither' }, { use: 'border', width: 2 }],
 */

/** @typedef {{ width: number, color: 'ink' | 'paper' }} BorderOptions */

/** @type {import('pixel-1bit').Plugin<BorderOptions>} */
const border = {
  name: 'border',
  description: 'Draws a frame of ink or paper around a 1-bit image',
  defaults: { width: 1, color: 'ink' },

  // Throw a precise message for bad options: pixel adds the plugin name and file.
  parseOptions(input, path) {
    const { use: _use, ...options } = /** @type {Record<string, unknown>} */ (input ?? {});
    for (const key of Object.keys(options)) {
      if (key !== 'width' && key !== 'color') throw new Error(`Unknown option ${path}.${key} (known: width, color)`);
    }
    const width = options.width ?? 1;
    if (typeof width !== 'number' || !Number.isInteger(width) || width < 0 || width > 64)
      throw new Error(`Expected an integer between 0 and 64 for ${path}.width but received ${JSON.stringify(width)}`);
    const color = options.color ?? 'ink';
    if (color !== 'ink' && color !== 'paper') throw new Error(`Expected "ink" or "paper" for ${path}.color but received ${JSON.stringify(color)}`);
    return { width, color };
  },

  // The contract: this step needs a binary image and returns one, so pixel
  // rejects a pipeline that puts it before the dither or threshold step.
  accepts: { range: ['binary'] },
  produces: (kind) => kind,

  // create() runs once per batch; run() once per image.
  create({ width, color }) {
    const value = color === 'ink' ? 0 : 1;
    return {
      run(image) {
        const data = Uint8Array.from(image.data);
        for (let y = 0; y < image.height; y++) {
          for (let x = 0; x < image.width; x++) {
            const edge = x < width || y < width || x >= image.width - width || y >= image.height - width;
            if (edge) data[y * image.width + x] = value;
          }
        }
        return { ...image, data };
      },
    };
  },
};

export default border;
