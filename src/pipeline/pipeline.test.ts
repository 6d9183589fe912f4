import { describe, expect, it } from 'vitest';
import { PixelError } from './errors.js';
import { buildPipeline, checkContract, resolveSteps } from './pipeline.js';
import { definePlugin, type ImageTensor, type Plugin } from './types.js';
import { parseWithSchema, numberField } from './options.js';
import { builtinPlugins } from '../plugins/index.js';

// Small stand-in plugins so these tests exercise the builder alone.
const toGray = definePlugin<{}>({
  name: 'to-gray',
  description: 'test',
  defaults: {},
  parseOptions: (input, path) => parseWithSchema({}, input, path, ['use']),
  accepts: { range: ['unit'] },
  produces: (k) => ({ ...k, channels: 1 }),
  create: () => ({
    run: (img) => {
      const data = new Float32Array(img.width * img.height);
      for (let i = 0; i < data.length; i++) data[i] = img.data[i * img.channels];
      return { ...img, channels: 1, data };
    },
  }),
});
const binarize = definePlugin<{ at: number }>({
  name: 'binarize',
  description: 'test',
  defaults: { at: 0.5 },
  parseOptions: (input, path) => parseWithSchema({ at: numberField('level', 0.5, { min: 0, max: 1 }) }, input, path, ['use']),
  accepts: { channels: [1], range: ['unit'] },
  produces: (k) => ({ ...k, range: 'binary' }),
  create: (o) => ({
    run: (img) => ({ ...img, range: 'binary', data: Uint8Array.from(img.data, (v) => (v > o.at ? 1 : 0)) }),
  }),
});
const shrink = definePlugin<{}>({
  name: 'shrink',
  description: 'test',
  defaults: {},
  parseOptions: (input, path) => parseWithSchema({}, input, path, ['use']),
  accepts: { range: ['unit'] },
  produces: (k) => k,
  create: () => ({ run: (img) => img }),
});
const explode = definePlugin<{}>({
  name: 'explode',
  description: 'test',
  defaults: {},
  parseOptions: () => ({}),
  accepts: {},
  produces: (k) => k,
  create: () => ({
    run: () => {
      throw new Error('boom');
    },
  }),
});

const plugins = new Map<string, Plugin>([toGray, binarize, shrink, explode].map((p) => [p.name, p]));
const rgbImage: ImageTensor = { width: 2, height: 1, channels: 3, range: 'unit', space: 'srgb', data: Float32Array.from([0.9, 0, 0, 0.1, 0, 0]) };

describe('pipeline builder', () => {
  it('runs the steps in order', async () => {
    const p = await buildPipeline([{ use: 'to-gray' }, { use: 'binarize', at: 0.5 }], plugins);
    const out = await p.run(rgbImage);
    expect(out.range).toBe('binary');
    expect([...out.data]).toEqual([1, 0]);
    expect(p.output).toEqual({ channels: 1, range: 'binary', space: 'srgb' });
  });

  it('rejects a step that needs continuous tone after a binarizer, naming both steps', () => {
    const steps = resolveSteps([{ use: 'to-gray' }, { use: 'binarize' }, { use: 'shrink' }], plugins);
    expect(() => checkContract(steps)).toThrow("Step 3 'shrink' cannot run here: it needs a continuous-tone image but step 2 'binarize' produces a binary (1-bit) image");
    try {
      checkContract(steps);
    } catch (e) {
      expect((e as PixelError).hint).toBe("Move 'shrink' before 'binarize'.");
      expect((e as PixelError).code).toBe('E_PIPELINE');
    }
  });

  it('rejects gray-only steps on a colour image with the fix', () => {
    const steps = resolveSteps([{ use: 'binarize' }], plugins);
    expect(() => checkContract(steps)).toThrow("Step 1 'binarize' cannot run here: it needs 1 channel (gray) but the decoded image is 3 channels");
  });

  it('rejects a pipeline that never binarizes', () => {
    const steps = resolveSteps([{ use: 'to-gray' }], plugins);
    expect(() => checkContract(steps)).toThrow('The pipeline ends with a continuous-tone image, but outputs are 1-bit');
  });

  it('names unknown plugins with a suggestion', () => {
    expect(() => resolveSteps([{ use: 'binarise' }], plugins)).toThrow('Unknown plugin "binarise" at steps[0].use (did you mean "binarize"?)');
  });

  it('tags option errors with the plugin', () => {
    try {
      resolveSteps([{ use: 'binarize', at: 2 }], plugins);
      expect.unreachable();
    } catch (e) {
      expect((e as PixelError).format()).toBe('[binarize] Expected a number between 0 and 1 for steps[0].at but received 2');
    }
  });

  it('tags run-time errors with plugin and file', async () => {
    const p = await buildPipeline([{ use: 'explode' }, { use: 'to-gray' }, { use: 'binarize' }], plugins);
    await expect(p.run(rgbImage, { file: 'a.png' })).rejects.toMatchObject({ plugin: 'explode', file: 'a.png', code: 'E_INTERNAL', message: 'boom' });
  });

  it('accepts plugin objects directly in use', async () => {
    const p = await buildPipeline([{ use: toGray }, { use: binarize, at: 0.05 }], new Map());
    expect([...(await p.run(rgbImage)).data]).toEqual([1, 1]);
  });

  it('stops when cancelled', async () => {
    const p = await buildPipeline([{ use: 'to-gray' }, { use: 'binarize' }], plugins);
    const c = new AbortController();
    c.abort();
    await expect(p.run(rgbImage, { signal: c.signal })).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });
});

describe('grayInput: whether the decoder may hand gray', () => {
  const table = new Map(builtinPlugins.map((p) => [p.name, p] as const));
  const gray = async (steps: Array<Record<string, unknown>>) => (await buildPipeline(steps as never, table)).grayInput;

  it('is true when every step before the gray conversion passes gray through', async () => {
    expect(await gray([{ use: 'resize', longSide: 128 }, { use: 'adjust' }, { use: 'dither' }, { use: 'upscale', scale: 8 }])).toBe(true);
    expect(await gray([{ use: 'adjust', contrast: 0.2 }, { use: 'dither' }])).toBe(true);
    expect(await gray([{ use: 'resize', width: 64, kernel: 'nearest' }, { use: 'upscale', scale: 2 }, { use: 'adjust' }, { use: 'threshold' }])).toBe(true);
  });

  it('is false when a step before it may need colour', async () => {
    // lanczos clamps each channel's overshoot; adjust without grayscale keeps colour; an unknown plugin may use it.
    expect(await gray([{ use: 'resize', width: 64, kernel: 'lanczos' }, { use: 'adjust' }, { use: 'dither' }])).toBe(false);
    expect(await gray([{ use: 'adjust', grayscale: false, contrast: 0.1 }, { use: 'adjust' }, { use: 'dither' }])).toBe(false);
    const own = { ...toGray, name: 'own' };
    expect((await buildPipeline([{ use: own }, { use: 'dither' }], table)).grayInput).toBe(false);
  });
});
