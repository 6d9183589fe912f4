import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePbm, encodePng1 } from '../../image/encode/index.js';
import { PixelError } from '../../pipeline/errors.js';
import { binaryTensor, type BinaryTensor, type StepContext } from '../../pipeline/types.js';
import { palette, paletteSchema } from './index.js';
import { invertBits } from './kernels.js';

const ctx: StepContext = { warn: () => undefined };

function image(): BinaryTensor {
  const img = binaryTensor(3, 2);
  img.data.set([0, 1, 1, 0, 0, 1]);
  return img;
}

async function run(options: unknown, input = image()): Promise<BinaryTensor> {
  const step = await palette.create(palette.parseOptions(options, 'palette'));
  return (await step.run(input, ctx)) as BinaryTensor;
}

describe('palette options', () => {
  it.each([
    [undefined, { ink: '#000000', paper: '#ffffff', invert: false }],
    [{}, { ink: '#000000', paper: '#ffffff', invert: false }],
    [{ use: 'palette' }, { ink: '#000000', paper: '#ffffff', invert: false }],
    [{ ink: '#322F28', paper: '#B1AFA8' }, { ink: '#322f28', paper: '#b1afa8', invert: false }],
    [{ ink: '#abc' }, { ink: '#aabbcc', paper: '#ffffff', invert: false }],
    [{ paper: '#12345678' }, { ink: '#000000', paper: '#123456', invert: false }],
    [{ ink: ' #010203 ' }, { ink: '#010203', paper: '#ffffff', invert: false }],
    [{ invert: true }, { ink: '#000000', paper: '#ffffff', invert: true }],
  ])('accepts %o', (input, expected) => {
    expect(palette.parseOptions(input, 'palette')).toEqual(expected);
  });

  it.each([
    [{ ink: 'black' }, 'Expected a CSS hex colour like "#1a1a1a" for palette.ink but received "black"', 'Use "#000000" for black'],
    [{ paper: 'White' }, 'Expected a CSS hex colour like "#1a1a1a" for palette.paper but received "White"', 'Use "#ffffff" for white'],
    [{ ink: '1a1a1a' }, 'Expected a CSS hex colour like "#1a1a1a" for palette.ink but received "1a1a1a"', 'Add the "#": "#1a1a1a"'],
    [{ ink: '#12345' }, 'Expected a CSS hex colour like "#1a1a1a" for palette.ink but received "#12345"', undefined],
    [{ ink: '#ggg' }, 'Expected a CSS hex colour like "#1a1a1a" for palette.ink but received "#ggg"', undefined],
    [{ ink: 0x000000 }, 'Expected a CSS hex colour like "#1a1a1a" for palette.ink but received 0', undefined],
    [{ paper: { r: 255, g: 255, b: 255 } }, 'Expected a CSS hex colour like "#1a1a1a" for palette.paper but received an object ({"r":255,"g":255,"b":255})', undefined],
    [{ invert: 'yes' }, 'Expected a boolean for palette.invert but received "yes"', undefined],
    [{ invert: 1 }, 'Expected a boolean for palette.invert but received 1', undefined],
    ['#000000', 'Expected an object of options for palette but received "#000000"', undefined],
  ])('rejects %o', (input, message, hint) => {
    let error: unknown;
    try {
      palette.parseOptions(input, 'palette');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PixelError);
    expect((error as PixelError).code).toBe('E_OPTION');
    expect((error as PixelError).message).toBe(message);
    expect((error as PixelError).hint).toBe(hint);
  });

  it('rejects unknown keys with a suggestion', () => {
    expect(() => palette.parseOptions({ inverse: true }, 'steps[3]')).toThrow('Unknown option steps[3].inverse (did you mean "invert"?)');
  });

  it('uses the step path in messages', () => {
    expect(() => palette.parseOptions({ ink: 'red' }, 'steps[3]')).toThrow(
      'Expected a CSS hex colour like "#1a1a1a" for steps[3].ink but received "red"',
    );
  });

  it('schema defaults match the plugin defaults', () => {
    expect(paletteSchema.ink.default).toBe(palette.defaults.ink);
    expect(paletteSchema.paper.default).toBe(palette.defaults.paper);
    expect(paletteSchema.invert.default).toBe(palette.defaults.invert);
  });
});

describe('palette step', () => {
  it('accepts binary only and produces the same kind', () => {
    expect(palette.accepts).toEqual({ range: ['binary'] });
    const kind = { channels: 1 as const, range: 'binary' as const, space: 'linear' as const };
    expect(palette.produces(kind, palette.defaults)).toEqual(kind);
  });

  it('sets the palette as RGB and keeps the bits', async () => {
    const input = image();
    const out = await run({ ink: '#322f28', paper: '#b1afa8' }, input);
    expect(out.palette).toEqual({ ink: { r: 0x32, g: 0x2f, b: 0x28 }, paper: { r: 0xb1, g: 0xaf, b: 0xa8 } });
    expect([...out.data]).toEqual([0, 1, 1, 0, 0, 1]);
    expect(input.palette).toBeUndefined(); // the input is not mutated
  });

  it('invert flips every bit, without touching the input', async () => {
    const input = image();
    const out = await run({ invert: true }, input);
    expect([...out.data]).toEqual([1, 0, 0, 1, 1, 0]);
    expect([...input.data]).toEqual([0, 1, 1, 0, 0, 1]);
    expect(out.palette).toEqual({ ink: { r: 0, g: 0, b: 0 }, paper: { r: 255, g: 255, b: 255 } });
  });

  it('invertBits treats any non-zero value as paper', () => {
    expect([...invertBits(new Uint8Array([0, 1, 255]))]).toEqual([1, 0, 0]);
  });

  it('the PNG encoder writes the chosen colours; PBM only sees invert', async () => {
    const out = await run({ ink: '#ff0000', paper: '#0000ff' });
    const { data, info } = await sharp(encodePng1(out)).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...data.subarray(info.channels, info.channels + 3)]).toEqual([0, 0, 255]);
    const inverted = await run({ invert: true });
    expect(encodePbm(inverted).at(-2)).toBe(encodePbm(image()).at(-2)! ^ 0b11100000);
  });
});
