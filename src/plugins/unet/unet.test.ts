import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flat, testCard, whiteShare } from '../../../test/helpers.js';
import { rng } from '../../nn/data.js';
import { tensorSpecs, type Architecture } from '../../nn/model.js';
import { useBackend } from '../../nn/tf.js';
import { encodeModelPng } from '../../nn/weights-png.js';
import type { BinaryTensor, StepContext } from '../../pipeline/types.js';
import { defaultModelPath, resolveModelPath, unet } from './index.js';

const ctx: StepContext = { warn() {} };
const TINY: Architecture = { type: 'unet-residual', channels: [2, 4, 4] };
let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pixel-unet-'));
  model = join(dir, 'tiny.png');
  const next = rng(9);
  const tensors = tensorSpecs(TINY).map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    return { name: s.name, shape: s.shape, data: Float32Array.from({ length: n }, () => (next() - 0.5) * 0.6) };
  });
  writeFileSync(model, encodeModelPng({ architecture: TINY, binarizer: 'error-diffusion' }, tensors));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unet options', () => {
  it.each([
    [{}, { model: 'default', binarizer: 'auto', backend: 'auto', tile: 256, overlap: 24 }],
    [{ model: 'm.png', binarizer: 'threshold', backend: 'cpu', tile: 64, overlap: 0 }, { model: 'm.png', binarizer: 'threshold', backend: 'cpu', tile: 64, overlap: 0 }],
  ])('accepts %j', (input, expected) => {
    expect(unet.parseOptions(input, 'steps[1]')).toEqual(expected);
  });

  it.each([
    [{ model: '' }, 'Expected a model file path (a non-empty string) for steps[1].model but received ""'],
    [{ model: 3 }, 'Expected a model file path (a non-empty string) for steps[1].model but received 3'],
    [{ binarizer: 'fs' }, 'Expected one of "auto", "ostromoukhov", "error-diffusion", "threshold" for steps[1].binarizer but received "fs"'],
    [{ backend: 'gpu' }, 'Expected one of "auto", "wasm", "cpu", "tensorflow" for steps[1].backend but received "gpu"'],
    [{ tile: 8 }, 'Expected an integer between 16 and 4096 for steps[1].tile but received 8'],
    [{ overlap: 1.5 }, 'Expected an integer between 0 and 256 for steps[1].overlap but received 1.5'],
    [{ modle: 'x' }, 'Unknown option steps[1].modle (did you mean "model"?)'],
  ])('rejects %j', (input, message) => {
    expect(() => unet.parseOptions(input, 'steps[1]')).toThrow(message);
  });

  it('resolves "default" to the shipped model and relative paths against cwd', () => {
    expect(resolveModelPath('default')).toBe(defaultModelPath());
    expect(defaultModelPath()).toMatch(/models[/\\]unet-default\.png$/);
    expect(resolveModelPath('a/b.png', '/x')).toBe(join('/x', 'a/b.png'));
  });
});

describe('unet step', () => {
  it('binarizes, keeps pure black and white, frees every tensor on dispose', async () => {
    const { tf } = await useBackend('wasm');
    const before = tf.memory().numTensors;
    const step = await unet.create(unet.parseOptions({ model, backend: 'wasm', tile: 16 }, 'unet'));
    const card = (await step.run(testCard(40, 30, 'srgb'), ctx)) as BinaryTensor;
    expect(card.range).toBe('binary');
    expect([card.width, card.height]).toEqual([40, 30]);
    expect(card.data.every((v) => v === 0 || v === 1)).toBe(true);
    expect(whiteShare((await step.run(flat(12, 9, 0), ctx)) as BinaryTensor)).toBe(0);
    expect(whiteShare((await step.run(flat(12, 9, 1), ctx)) as BinaryTensor)).toBe(1);
    await step.dispose!();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('threshold binarizer gives the same bits on wasm and cpu for this model', async () => {
    const runOn = async (backend: 'wasm' | 'cpu') => {
      const step = await unet.create(unet.parseOptions({ model, backend, binarizer: 'threshold' }, 'unet'));
      const out = (await step.run(testCard(24, 20, 'linear'), ctx)) as BinaryTensor;
      await step.dispose!();
      return out.data;
    };
    const a = await runOn('cpu');
    const b = await runOn('wasm');
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += a[i] !== b[i] ? 1 : 0;
    expect(diff / a.length).toBeLessThan(0.02);
  });

  it('says which file is missing', async () => {
    await expect(unet.create(unet.parseOptions({ model: join(dir, 'none.png'), backend: 'wasm' }, 'unet'))).rejects.toThrow(
      `Expected a readable model file but cannot read ${JSON.stringify(join(dir, 'none.png'))}`,
    );
  });
});
