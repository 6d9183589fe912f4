/**
 * accent: a binarizer with a third ink, for black / white / red (or yellow)
 * e-paper. Each pixel becomes the nearest of black, white and the accent
 * colour in linear-light RGB, with the error spread to the neighbours
 * (Floyd–Steinberg or Atkinson weights, per channel) or not at all ('none',
 * for logos and flat graphics). The result is a binary image (black / white)
 * plus `accent`, a second plane with 1 where the pixel is the accent colour
 * (paper in the first plane): the two buffers three-colour panels take.
 */
import { srgbToLinearExact, parseHexColor } from '../../image/color.js';
import { booleanField, enumField, type Schema } from '../../pipeline/options.js';
import { definePlugin, type BinaryTensor, type ImageTensor } from '../../pipeline/types.js';
import { colorField } from '../palette/color-field.js';

export interface AccentOptions {
  /** The third ink, "#rrggbb": what the panel shows (and the source colour mapped to it). */
  color: string;
  method: 'floyd-steinberg' | 'atkinson' | 'none';
  serpentine: boolean;
}

export const accentSchema: Schema<AccentOptions> = {
  color: colorField('The third ink: the panel\'s red or yellow; source pixels nearest to it (after black and white) become that ink', '#ff0000'),
  method: enumField('How the colour error is spread: floyd-steinberg, atkinson (3/4 of it), or none (nearest colour, for flat graphics)', 'floyd-steinberg', [
    'floyd-steinberg',
    'atkinson',
    'none',
  ] as const),
  serpentine: booleanField('Alternate the scan direction every row (diffusion only)', true),
};

/** [dx, dy, weight] of each kernel (Floyd & Steinberg 1976; Atkinson's MacPaint, 6 × 1/8). */
const KERNELS: Record<Exclude<AccentOptions['method'], 'none'>, ReadonlyArray<readonly [number, number, number]>> = {
  'floyd-steinberg': [
    [1, 0, 7 / 16],
    [-1, 1, 3 / 16],
    [0, 1, 5 / 16],
    [1, 1, 1 / 16],
  ],
  atkinson: [
    [1, 0, 1 / 8],
    [2, 0, 1 / 8],
    [-1, 1, 1 / 8],
    [0, 1, 1 / 8],
    [1, 1, 1 / 8],
    [0, 2, 1 / 8],
  ],
};

/**
 * The three-ink quantiser over linear RGB (`channels` 1 or 3, values 0..1):
 * `out` gets 0 (black) / 1 (white or accent), `accent` 1 where accent. Error
 * is clamped to ±0.5 beyond the gamut so colours no ink can show (blue on a
 * red panel) do not pile up error and smear.
 */
export function quantizeThree(
  data: Float32Array,
  width: number,
  height: number,
  channels: 1 | 3,
  accentLinear: readonly [number, number, number],
  options: Pick<AccentOptions, 'method' | 'serpentine'>,
  out: Uint8Array,
  accent: Uint8Array,
): void {
  const n = width * height;
  const rgb = new Float32Array(n * 3);
  if (channels === 3) rgb.set(data.subarray(0, n * 3));
  else for (let i = 0; i < n; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = data[i];
  const [ar, ag, ab] = accentLinear;
  // Kernel as flat arrays (dx, dy, weight): the inner loop stays monomorphic.
  const kernel = options.method === 'none' ? [] : KERNELS[options.method];
  const kdx = Int32Array.from(kernel, (k) => k[0]);
  const kdy = Int32Array.from(kernel, (k) => k[1]);
  const kw = Float32Array.from(kernel, (k) => k[2]);
  const taps = kernel.length;
  for (let y = 0; y < height; y++) {
    const reverse = options.serpentine && (y & 1) === 1;
    for (let k = 0; k < width; k++) {
      const x = reverse ? width - 1 - k : k;
      const i = y * width + x;
      const o = i * 3;
      const r = Math.min(1.5, Math.max(-0.5, rgb[o]));
      const g = Math.min(1.5, Math.max(-0.5, rgb[o + 1]));
      const b = Math.min(1.5, Math.max(-0.5, rgb[o + 2]));
      // Squared distances to black (0,0,0), white (1,1,1) and the accent; ties go to black, then white.
      const dBlack = r * r + g * g + b * b;
      const dWhite = (r - 1) * (r - 1) + (g - 1) * (g - 1) + (b - 1) * (b - 1);
      const dAccent = (r - ar) * (r - ar) + (g - ag) * (g - ag) + (b - ab) * (b - ab);
      let er: number;
      let eg: number;
      let eb: number;
      if (dBlack <= dWhite && dBlack <= dAccent) {
        out[i] = 0;
        accent[i] = 0;
        er = r;
        eg = g;
        eb = b;
      } else if (dWhite <= dAccent) {
        out[i] = 1;
        accent[i] = 0;
        er = r - 1;
        eg = g - 1;
        eb = b - 1;
      } else {
        out[i] = 1;
        accent[i] = 1;
        er = r - ar;
        eg = g - ag;
        eb = b - ab;
      }
      for (let t = 0; t < taps; t++) {
        const nx = reverse ? x - kdx[t] : x + kdx[t];
        const ny = y + kdy[t];
        if (nx < 0 || nx >= width || ny >= height) continue;
        const q = (ny * width + nx) * 3;
        const w = kw[t];
        rgb[q] += er * w;
        rgb[q + 1] += eg * w;
        rgb[q + 2] += eb * w;
      }
    }
  }
}

export const accent = definePlugin<AccentOptions>({
  name: 'accent',
  role: 'binarizer',
  description: 'Three inks (black, white, red or yellow) for three-colour e-paper: a binary image plus an accent plane',
  options: accentSchema,
  accepts: { channels: [1, 3], range: ['unit'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  create(options) {
    const rgb = parseHexColor(options.color)!;
    const accentLinear = [rgb.r, rgb.g, rgb.b].map((v) => srgbToLinearExact(v / 255)) as [number, number, number];
    return {
      run(image: ImageTensor, ctx): BinaryTensor {
        const { width, height } = image;
        if (image.channels === 1)
          ctx.warn("accent received a gray image, so no pixel can take the accent colour: give the steps before it colour (adjust: { grayscale: false })");
        const channels = image.channels === 1 ? 1 : 3;
        let data = image.data as Float32Array;
        if (image.space === 'srgb') data = Float32Array.from(data, srgbToLinearExact);
        if (image.channels === 4) data = Float32Array.from({ length: width * height * 3 }, (_, i) => data[Math.floor(i / 3) * 4 + (i % 3)]);
        const out = new Uint8Array(width * height);
        const plane = new Uint8Array(width * height);
        quantizeThree(data, width, height, channels, accentLinear, options, out, plane);
        return {
          width,
          height,
          channels: 1,
          range: 'binary',
          space: 'linear',
          data: out,
          mask: image.mask,
          accent: plane,
          palette: { ink: { r: 0, g: 0, b: 0 }, paper: { r: 255, g: 255, b: 255 }, accent: rgb },
        };
      },
    };
  },
});
