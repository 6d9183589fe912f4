import { describe, expect, it } from 'vitest';
import { flat, gray, noise, rgb } from '../../../test/helpers.js';
import { convertSpace, srgbToLinearExact } from '../../image/color.js';
import type { ImageTensor, StepContext, ToneTensor } from '../../pipeline/types.js';
import { adjust, autoLevelsRange, luminance, toneValue, type AdjustOptions } from './index.js';

const ctx: StepContext = { warn: () => {} };
const lin = srgbToLinearExact;

async function run(input: unknown, image: ImageTensor): Promise<ToneTensor> {
  const step = await adjust.create(adjust.parseOptions(input, 'steps[2]'));
  return (await step.run(image, ctx)) as ToneTensor;
}

/** A 1-channel sRGB-coded row of values. */
const coded = (...values: number[]) => gray(values.length, 1, (x) => values[x], 'srgb');

describe('adjust: gray conversion', () => {
  it('luminance in linear light with Rec. 709 weights', async () => {
    const img = rgb(4, 1, (x) => [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]][x] as [number, number, number], 'srgb');
    const out = await run({}, img);
    expect(out).toMatchObject({ width: 4, height: 1, channels: 1, space: 'linear', range: 'unit' });
    expect(Array.from(out.data.slice(0, 3))).toEqual([0.2126, 0.7152, 0.0722].map(Math.fround));
    expect(out.data[3]).toBeCloseTo(lin(0.5), 4); // 16-bit LUT decode
  });

  it('pure black and white stay pure with default options (colour and gray)', async () => {
    const c = await run({}, rgb(2, 1, (x) => (x ? [1, 1, 1] : [0, 0, 0])));
    expect(Array.from(c.data)).toEqual([0, 1]);
    const g = await run({}, coded(0, 1));
    expect(Array.from(g.data)).toEqual([0, 1]);
  });

  it('a 1-channel input passes (converted to linear)', async () => {
    const img = noise(5, 4, 2, 'srgb');
    const out = await run({}, img);
    expect(out.channels).toBe(1);
    expect(Array.from(out.data)).toEqual(Array.from(convertSpace(img.data, 'srgb', 'linear')));
    const l = flat(2, 2, 0.3, 'linear');
    expect(await run({}, l)).toBe(l);
  });

  it('grayscale: false keeps colour', async () => {
    const out = await run({ grayscale: false, invert: true }, rgb(1, 1, () => [1, 0, 0]));
    expect(out.channels).toBe(3);
    expect(Array.from(out.data)).toEqual([0, 1, 1]);
  });

  it('luminance clamps and averages channels as expected', () => {
    expect(Array.from(luminance(new Float32Array([1, 1, 1, 0, 0, 0])))).toEqual([1, 0]);
  });
});

describe('adjust: tone operations (sRGB-coded, returned linear)', () => {
  it('brightness is additive on coded values', async () => {
    const out = await run({ brightness: 0.1 }, coded(0.5, 0, 0.95));
    expect(out.data[0]).toBeCloseTo(lin(0.6), 4);
    expect(out.data[1]).toBeCloseTo(lin(0.1), 4);
    expect(out.data[2]).toBe(1);
  });

  it('contrast pivots on mid-gray with slope tan((c+1)π/4)', async () => {
    const out = await run({ contrast: 0.5 }, coded(0.6, 0.4));
    const slope = Math.tan((1.5 * Math.PI) / 4);
    expect(out.data[0]).toBeCloseTo(lin(0.5 + 0.1 * slope), 4);
    expect(out.data[1]).toBeCloseTo(lin(0.5 - 0.1 * slope), 4);
    expect(Array.from((await run({ contrast: 1 }, coded(0.49, 0.51))).data)).toEqual([0, 1]);
    const flatGray = await run({ contrast: -1 }, coded(0, 0.3, 1));
    for (const v of flatGray.data) expect(v).toBeCloseTo(lin(0.5), 6);
  });

  it('gamma > 1 lightens mid-tones: out = in^(1/gamma)', async () => {
    const out = await run({ gamma: 2 }, coded(0.25, 0, 1));
    expect(out.data[0]).toBeCloseTo(lin(0.5), 4);
    expect([out.data[1], out.data[2]]).toEqual([0, 1]);
  });

  it('levels stretch black..white to 0..1', async () => {
    const out = await run({ levels: { black: 0.2, white: 0.6 } }, coded(0.4, 0.1, 0.7, 0.2, 0.6));
    expect(out.data[0]).toBeCloseTo(lin(0.5), 4);
    expect(Array.from(out.data.slice(1))).toEqual([0, 1, 0, 1]);
  });

  it('autoLevels clips the given fraction at each end', async () => {
    const img = coded(0.2, 0.3, 0.4, 0.5, 0.6);
    const out = await run({ autoLevels: 0.2 }, img);
    expect(Array.from(out.data).map((v, i) => (i === 2 ? 'mid' : v))).toEqual([0, 0, 'mid', 1, 1]);
    expect(out.data[2]).toBeCloseTo(lin(0.5), 2);
    const all = await run({ autoLevels: 0 }, img);
    expect(all.data[0]).toBe(0);
    expect(all.data[4]).toBe(1);
    expect(all.data[2]).toBeCloseTo(lin(0.5), 2);
    expect(autoLevelsRange(flat(3, 3, 0.4).data, 0.01)).toBeUndefined();
    // A flat image is left alone.
    const f = await run({ autoLevels: true }, flat(3, 3, 0.4, 'srgb'));
    for (const v of f.data) expect(v).toBeCloseTo(lin(0.4), 4);
  });

  it('invert swaps pure black and white exactly', async () => {
    expect(Array.from((await run({ invert: true }, coded(0, 1))).data)).toEqual([1, 0]);
    expect((await run({ invert: true }, coded(0.25))).data[0]).toBeCloseTo(lin(0.75), 4);
  });

  it('order: levels → gamma → brightness/contrast → invert', () => {
    const base = { black: 0, white: 1, gamma: 1, brightness: 0, contrast: 0, invert: false };
    // levels before gamma: 0.125 → 0.25 → 0.5 (the other order would give 0.707).
    expect(toneValue(0.125, { ...base, white: 0.5, gamma: 2 })).toBeCloseTo(0.5, 12);
    // brightness before invert: 0.5 → 0.6 → 0.4.
    expect(toneValue(0.5, { ...base, brightness: 0.1, invert: true })).toBeCloseTo(0.4, 12);
    // gamma before brightness: 0.25 → 0.5 → 0.6.
    expect(toneValue(0.25, { ...base, gamma: 2, brightness: 0.1 })).toBeCloseTo(0.6, 12);
  });
});

describe('adjust: sharpen (unsharp mask)', () => {
  // A one-pixel gray line (coded 0.4) on white.
  const line = gray(9, 9, (x) => (x === 4 ? 0.4 : 1), 'srgb');

  it('darkens a thin line and leaves the white paper white', async () => {
    const out = await run({ sharpen: 1 }, line);
    for (let y = 0; y < 9; y++)
      for (let x = 0; x < 9; x++) {
        const v = out.data[y * 9 + x];
        if (x === 4) expect(v).toBeLessThan(lin(0.4) - 0.05);
        else expect(v).toBe(1);
      }
  });

  it('threshold leaves differences below it alone', async () => {
    const out = await run({ sharpen: 1, sharpenThreshold: 0.5 }, line);
    expect(out.data[4]).toBeCloseTo(lin(0.4), 4);
  });

  it('a flat image is unchanged, pure black and white stay pure', async () => {
    const f = await run({ sharpen: 3, sharpenRadius: 2 }, flat(7, 5, 0.5, 'srgb'));
    for (const v of f.data) expect(v).toBeCloseTo(lin(0.5), 4);
    const bw = await run({ sharpen: 5 }, gray(8, 4, (x) => (x < 4 ? 0 : 1), 'srgb'));
    expect(Array.from(bw.data)).toEqual(Array.from(gray(8, 4, (x) => (x < 4 ? 0 : 1)).data));
  });

  it('invert comes after sharpen', async () => {
    const out = await run({ sharpen: 1, invert: true }, line);
    expect(out.data[0]).toBe(0);
    expect(out.data[4]).toBeGreaterThan(lin(0.6) + 0.05);
  });
});

describe('adjust: contract', () => {
  it('declares channels and linear output', () => {
    expect(adjust.accepts).toEqual({ channels: [1, 3], range: ['unit'] });
    expect(adjust.produces({ channels: 3, range: 'unit', space: 'srgb' }, adjust.defaults)).toEqual({ channels: 1, range: 'unit', space: 'linear' });
    expect(adjust.produces({ channels: 3, range: 'unit', space: 'srgb' }, { ...adjust.defaults, grayscale: false })).toEqual({ channels: 3, range: 'unit', space: 'linear' });
  });

  it('does not modify its input', async () => {
    const img = coded(0.2, 0.5, 0.8);
    const copy = Array.from(img.data);
    await run({ contrast: 0.3, sharpen: 1, invert: true }, img);
    await run({ brightness: 0.2 }, img);
    expect(Array.from(img.data)).toEqual(copy);
  });
});

describe('adjust options', () => {
  const accept: [unknown, Partial<AdjustOptions>][] = [
    [undefined, { grayscale: true, brightness: 0, contrast: 0, gamma: 1, levels: undefined, autoLevels: false, invert: false, sharpen: 0, sharpenRadius: 1, sharpenThreshold: 0 }],
    [{ use: 'adjust', autoLevels: true }, { autoLevels: 0.005 }],
    [{ autoLevels: 0.01 }, { autoLevels: 0.01 }],
    [{ autoLevels: false }, { autoLevels: false }],
    [{ levels: { black: 0.1, white: 0.9 } }, { levels: { black: 0.1, white: 0.9 } }],
    [{ levels: { white: 0.8 } }, { levels: { black: 0, white: 0.8 } }],
    [{ brightness: -1, contrast: 1, gamma: 2.2, invert: true }, { brightness: -1, contrast: 1, gamma: 2.2, invert: true }],
    [{ sharpen: 5, sharpenRadius: 0.5, sharpenThreshold: 0.02 }, { sharpen: 5, sharpenRadius: 0.5, sharpenThreshold: 0.02 }],
  ];
  it.each(accept)('accepts %j', (input, expected) => {
    expect(adjust.parseOptions(input, 'steps[2]')).toMatchObject(expected);
  });

  const reject: [unknown, string][] = [
    [{ grayscale: 1 }, 'Expected a boolean for steps[2].grayscale but received 1'],
    [{ brightness: 2 }, 'Expected a number between -1 and 1 for steps[2].brightness but received 2'],
    [{ contrast: -1.5 }, 'Expected a number between -1 and 1 for steps[2].contrast but received -1.5'],
    [{ gamma: 0 }, 'Expected a number greater than 0 for steps[2].gamma but received 0'],
    [{ gamma: -1 }, 'Expected a number greater than 0 for steps[2].gamma but received -1'],
    [{ levels: { black: 0.6, white: 0.2 } }, 'Expected an object { black, white } with 0 <= black < white <= 1 for steps[2].levels but received an object ({"black":0.6,"white":0.2})'],
    [{ levels: { black: 0.5, white: 0.5 } }, 'Expected an object { black, white } with 0 <= black < white <= 1 for steps[2].levels but received an object ({"black":0.5,"white":0.5})'],
    [{ levels: { black: 0.1, gray: 0.5 } }, 'Expected an object { black, white } with 0 <= black < white <= 1 for steps[2].levels but received an object ({"black":0.1,"gray":0.5})'],
    [{ levels: [0, 1] }, 'Expected an object { black, white } with 0 <= black < white <= 1 for steps[2].levels but received an array ([0,1])'],
    [{ autoLevels: 0.5 }, 'Expected false, true or a number between 0 and 0.49 for steps[2].autoLevels but received 0.5'],
    [{ autoLevels: 'yes' }, 'Expected false, true or a number between 0 and 0.49 for steps[2].autoLevels but received "yes"'],
    [{ levels: { black: 0.1, white: 0.9 }, autoLevels: true }, 'Expected either steps[2].levels or steps[2].autoLevels but received both'],
    [{ invert: 'no' }, 'Expected a boolean for steps[2].invert but received "no"'],
    [{ sharpen: 6 }, 'Expected a number between 0 and 5 for steps[2].sharpen but received 6'],
    [{ sharpenRadius: 0 }, 'Expected a number between 0.1 and 20 for steps[2].sharpenRadius but received 0'],
    [{ sharpenThreshold: -0.1 }, 'Expected a number between 0 and 1 for steps[2].sharpenThreshold but received -0.1'],
    [{ brightnes: 0.1 }, 'Unknown option steps[2].brightnes (did you mean "brightness"?)'],
  ];
  it.each(reject)('rejects %j', (input, message) => {
    expect(() => adjust.parseOptions(input, 'steps[2]')).toThrow(message);
  });
});
