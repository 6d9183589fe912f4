import { describe, expect, it } from 'vitest';
import { expectGolden, rgb, testCard } from '../../../test/helpers.js';
import { binaryTensor, type BinaryTensor, type ImageTensor, type StepContext } from '../../pipeline/types.js';
import { thresholdFixed } from '../threshold/kernels.js';
import { nearestMap, upscale, upscaleInteger, upscaleNearest, upscaleSize, type UpscaleOptions } from './index.js';

const ctx: StepContext = { warn: () => {} };

async function run(input: unknown, image: ImageTensor): Promise<ImageTensor> {
  const step = await upscale.create(upscale.parseOptions(input, 'steps[3]'));
  return step.run(image, ctx);
}

/** The 32×24 test card binarised at linear 0.5: a ramp split with a disc, as a binary image. */
function binaryCard(): BinaryTensor {
  const card = testCard();
  const out = binaryTensor(card.width, card.height);
  thresholdFixed(card.data, 0.5, out.data);
  return out;
}

describe('upscale kernels', () => {
  it('integer scale makes blocks', () => {
    const src = new Uint8Array([1, 0, 0, 1]);
    expect(Array.from(upscaleInteger(src, 2, 2, 1, 2))).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('keeps the element type and interleaved channels', () => {
    const src = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]); // 2×1 RGB
    const out = upscaleInteger(src, 2, 1, 3, 2);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.4, 0.5, 0.6, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.4, 0.5, 0.6])));
  });

  it('nearestMap samples pixel centres in integer arithmetic', () => {
    expect(Array.from(nearestMap(3, 7))).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(Array.from(nearestMap(4, 8))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(Array.from(nearestMap(6, 3))).toEqual([1, 3, 5]);
  });

  it('exact size equals the integer path for integer ratios', () => {
    const card = binaryCard();
    expect(upscaleNearest(card.data, 32, 24, 1, 96, 72)).toEqual(upscaleInteger(card.data, 32, 24, 1, 3));
  });

  it('upscaleSize', () => {
    expect(upscaleSize(32, 24, { scale: 8 })).toEqual({ width: 256, height: 192 });
    expect(upscaleSize(32, 24, { width: 45 })).toEqual({ width: 45, height: 34 });
    expect(upscaleSize(32, 24, { height: 5 })).toEqual({ width: 7, height: 5 });
    expect(upscaleSize(3, 1000, { height: 10 })).toEqual({ width: 1, height: 10 });
    expect(upscaleSize(32, 24, {})).toEqual({ width: 32, height: 24 });
  });
});

describe('upscale step (golden, bit-exact)', () => {
  it('×3 on a binary test card', async () => {
    const out = (await run({ scale: 3 }, binaryCard())) as BinaryTensor;
    expect([out.width, out.height]).toEqual([96, 72]);
    expectGolden('upscale-x3', out);
  });

  it('to an exact size with a non-integer ratio', async () => {
    expectGolden('upscale-50x37', (await run({ width: 50, height: 37 }, binaryCard())) as BinaryTensor);
  });

  it('width only keeps the aspect ratio', async () => {
    expectGolden('upscale-width45', (await run({ width: 45 }, binaryCard())) as BinaryTensor);
  });

  it('keeps kind, palette and space; tone images stay tone', async () => {
    const palette = { ink: { r: 20, g: 30, b: 40 }, paper: { r: 230, g: 220, b: 200 } };
    const bin = { ...binaryCard(), palette };
    const out = await run({ scale: 2 }, bin);
    expect(out).toMatchObject({ width: 64, height: 48, channels: 1, range: 'binary', space: 'linear', palette });
    expect(out.data).toBeInstanceOf(Uint8Array);
    const tone = rgb(3, 2, (x, y) => [x / 2, y, 0.5]);
    const t = await run({ width: 6 }, tone);
    expect(t).toMatchObject({ width: 6, height: 4, channels: 3, range: 'unit', space: 'srgb' });
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data.slice(0, 6))).toEqual([0, 0, 0.5, 0, 0, 0.5]);
  });

  it('no size or scale 1: passes the image through', async () => {
    const card = binaryCard();
    expect(await run({}, card)).toBe(card);
    expect(await run({ scale: 1 }, card)).toBe(card);
  });

  it('declares that it takes any tensor and keeps its kind', () => {
    expect(upscale.accepts).toEqual({});
    expect(upscale.produces({ channels: 1, range: 'binary', space: 'linear' }, upscale.defaults)).toEqual({ channels: 1, range: 'binary', space: 'linear' });
    expect(upscale.produces({ channels: 3, range: 'unit', space: 'srgb' }, upscale.defaults)).toEqual({ channels: 3, range: 'unit', space: 'srgb' });
  });
});

describe('upscale options', () => {
  const accept: [unknown, Partial<UpscaleOptions>][] = [
    [undefined, { scale: undefined, width: undefined, height: undefined }],
    [{ use: 'upscale', scale: 8 }, { scale: 8 }],
    [{ scale: 1 }, { scale: 1 }],
    [{ scale: 64 }, { scale: 64 }],
    [{ width: 1000, height: 3 }, { width: 1000, height: 3 }],
  ];
  it.each(accept)('accepts %j', (input, expected) => {
    expect(upscale.parseOptions(input, 'steps[3]')).toMatchObject(expected);
  });

  const reject: [unknown, string][] = [
    [{ scale: 0 }, 'Expected an integer between 1 and 64 for steps[3].scale but received 0'],
    [{ scale: 65 }, 'Expected an integer between 1 and 64 for steps[3].scale but received 65'],
    [{ scale: 2.5 }, 'Expected an integer between 1 and 64 for steps[3].scale but received 2.5'],
    [{ scale: '8' }, 'Expected an integer between 1 and 64 for steps[3].scale but received "8"'],
    [{ width: 0 }, 'Expected an integer >= 1 for steps[3].width but received 0'],
    [{ height: -1 }, 'Expected an integer >= 1 for steps[3].height but received -1'],
    [{ scale: 2, width: 10 }, 'Expected either steps[3].scale or steps[3].width/steps[3].height but received both scale and width'],
    [{ scale: 2, height: 10 }, 'Expected either steps[3].scale or steps[3].width/steps[3].height but received both scale and height'],
    [{ factor: 2 }, 'Unknown option steps[3].factor'],
    [{ scal: 2 }, 'Unknown option steps[3].scal (did you mean "scale"?)'],
  ];
  it.each(reject)('rejects %j', (input, message) => {
    expect(() => upscale.parseOptions(input, 'steps[3]')).toThrow(message);
  });
});
