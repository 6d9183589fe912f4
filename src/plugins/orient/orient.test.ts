import { describe, expect, it } from 'vitest';
import { binaryTensor, type ImageTensor, type StepContext } from '../../pipeline/types.js';
import { orient, orientIndex, type OrientOptions } from './index.js';

const ctx: StepContext = { warn: () => {} };

async function run(input: unknown, image: ImageTensor): Promise<ImageTensor> {
  const step = await orient.create(orient.parseOptions(input, 'steps[4]'));
  return step.run(image, ctx);
}

/** A 3×2 image with distinct values: [[1,2,3],[4,5,6]]. */
const small = () => ({ ...binaryTensor(3, 2), data: new Uint8Array([1, 2, 3, 4, 5, 6]) });

describe('orient', () => {
  it.each<[Partial<OrientOptions>, number, number, number[]]>([
    [{}, 3, 2, [1, 2, 3, 4, 5, 6]],
    [{ rotate: 90 }, 2, 3, [4, 1, 5, 2, 6, 3]],
    [{ rotate: 180 }, 3, 2, [6, 5, 4, 3, 2, 1]],
    [{ rotate: 270 }, 2, 3, [3, 6, 2, 5, 1, 4]],
    [{ flip: 'horizontal' }, 3, 2, [3, 2, 1, 6, 5, 4]],
    [{ flip: 'vertical' }, 3, 2, [4, 5, 6, 1, 2, 3]],
    [{ flip: 'both' }, 3, 2, [6, 5, 4, 3, 2, 1]],
    [{ rotate: 90, flip: 'horizontal' }, 2, 3, [1, 4, 2, 5, 3, 6]], // rotate first, then mirror: a transpose
  ])('%j', async (options, width, height, data) => {
    const out = await run(options, small());
    expect([out.width, out.height, [...out.data]]).toEqual([width, height, data]);
  });

  it('moves the mask, the accent plane and every channel with the pixels', async () => {
    const img: ImageTensor = {
      width: 2,
      height: 1,
      channels: 3,
      range: 'unit',
      space: 'linear',
      data: new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
      mask: new Uint8Array([1, 0]),
      accent: new Uint8Array([0, 1]),
    };
    const out = await run({ rotate: 90 }, img);
    expect([out.width, out.height]).toEqual([1, 2]);
    expect([...out.data].map((v) => Math.round(v * 10))).toEqual([1, 2, 3, 4, 5, 6]);
    const flipped = await run({ flip: 'horizontal' }, img);
    expect([...flipped.mask!, ...flipped.accent!]).toEqual([0, 1, 1, 0]);
  });

  it('four quarter turns are the identity', () => {
    const { source: once } = orientIndex(5, 3, { rotate: 90, flip: 'none' });
    let idx = Array.from({ length: 15 }, (_, i) => i);
    let [w, h] = [5, 3];
    for (let k = 0; k < 4; k++) {
      const { source, width, height } = orientIndex(w, h, { rotate: 90, flip: 'none' });
      idx = [...source].map((s) => idx[s]);
      [w, h] = [width, height];
    }
    expect(idx).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(once.length).toBe(15);
  });

  it.each([
    [{ rotate: 45 }, 'Expected one of 0, 90, 180, 270 for steps[4].rotate but received 45'],
    [{ flip: 'sideways' }, 'Expected one of "none", "horizontal", "vertical", "both" for steps[4].flip but received "sideways"'],
  ])('rejects %j', (input, message) => {
    expect(() => orient.parseOptions(input, 'steps[4]')).toThrow(message);
  });
});
