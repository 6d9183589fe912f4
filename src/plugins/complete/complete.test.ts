import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng1 } from '../../image/encode/png.js';
import { rng } from '../../nn/data.js';
import { binaryTensor } from '../../pipeline/types.js';
import { encodeArModel } from '../../sprite/ar.js';
import { initArWeights, type ArArchitecture } from '../../sprite/pixelcnn.js';
import { complete } from './index.js';

const TINY: ArArchitecture = { type: 'pixelcnn', grid: 8, channels: 4, blocks: 1, firstKernel: 7, kernel: 3 };
const dir = mkdtempSync(join(tmpdir(), 'pixel-complete-'));
const model = join(dir, 'm.png');
writeFileSync(model, encodeArModel(TINY, initArWeights(TINY, 2)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { warn: () => {} };

function sprite(seed: number, size = 8) {
  const next = rng(seed);
  const t = binaryTensor(size, size);
  for (let i = 0; i < t.data.length; i++) t.data[i] = next() < 0.7 ? 1 : 0;
  return t;
}

describe('complete options', () => {
  it.each([
    [{ cut: 10 }, { model: 'default', cut: 10, mask: '', temperature: 1, proposals: 16, seed: 1 }],
    [{ mask: 'm.png', temperature: 0.5, seed: 3, model: 'x.png' }, { model: 'x.png', cut: undefined, mask: 'm.png', temperature: 0.5, proposals: 16, seed: 3 }],
  ])('accepts %j', (input, expected) => {
    expect(complete.parseOptions(input, 'steps[0]')).toEqual(expected);
  });
  it.each([
    [{}, 'Expected exactly one of cut (a pixel count) or mask (an image path) for steps[0] but received an object ({})'],
    [{ cut: 3, mask: 'm.png' }, 'Expected exactly one of cut (a pixel count) or mask (an image path) for steps[0] but received an object ({"cut":3,"mask":"m.png"})'],
    [{ cut: -1 }, 'Expected an integer >= 0 for steps[0].cut but received -1'],
    [{ cut: 1, temperature: 0 }, 'Expected a number greater than 0 for steps[0].temperature but received 0'],
    [{ cut: 1, seed: 1.5 }, 'Expected an integer between 0 and 2147483647 for steps[0].seed but received 1.5'],
    [{ cut: 1, model: '' }, 'Expected a model file path (a non-empty string) for steps[0].model but received ""'],
  ])('rejects %j', (input, message) => {
    expect(() => complete.parseOptions(input, 'steps[0]')).toThrow(message);
  });
});

describe('complete step', () => {
  it('keeps the prefix exactly, returns binary, is deterministic for a seed', async () => {
    const step = await complete.create(complete.parseOptions({ cut: 27, model, seed: 4 }, 's'));
    const input = sprite(1);
    const a = (await step.run(input, ctx)) as ReturnType<typeof binaryTensor>;
    const b = (await step.run(input, ctx)) as ReturnType<typeof binaryTensor>;
    expect([...a.data.subarray(0, 27)]).toEqual([...input.data.subarray(0, 27)]);
    expect(a.data.every((v) => v === 0 || v === 1)).toBe(true);
    expect(a.data).toEqual(b.data);
    expect(a.range).toBe('binary');
  });
  it('keeps every pixel outside the mask', async () => {
    const mask = binaryTensor(8, 8);
    mask.data.fill(1);
    for (let i = 40; i < 52; i++) mask.data[i] = 0; // ink = generate
    writeFileSync(join(dir, 'mask.png'), encodePng1(mask));
    const step = await complete.create(complete.parseOptions({ mask: join(dir, 'mask.png'), model }, 's'));
    const input = sprite(2);
    const out = (await step.run(input, ctx)) as ReturnType<typeof binaryTensor>;
    for (let i = 0; i < 64; i++) if (i < 40 || i >= 52) expect(out.data[i]).toBe(input.data[i]);
  });
  it('rejects images of the wrong size clearly', async () => {
    const step = await complete.create(complete.parseOptions({ cut: 5, model }, 's'));
    expect(() => step.run(sprite(1, 10), ctx)).toThrow('Expected a 8×8 sprite for the complete step but received 10×10');
  });
});
