/** The conversion engine: one build per config, the same bytes as convert(), step hooks. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config/resolve.js';
import { convert, Engine, paperOf } from './convert.js';
import { definePlugin, type ToneTensor } from './pipeline/types.js';
import { pluginTable } from './plugins/index.js';
import { builtinPresets } from '../presets/index.js';

/** A pass-through step that counts how often it is built. */
function counting() {
  const counter = { built: 0 };
  const plugin = definePlugin<Record<string, never>>({
    name: 'count',
    description: 'counts create() calls',
    defaults: {},
    parseOptions: () => ({}),
    accepts: { range: ['unit'] },
    produces: (k) => k,
    create() {
      counter.built++;
      return { run: (image) => image };
    },
  });
  return { plugin, counter };
}

function gradient(width: number, height: number): ToneTensor {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i % width) / (width - 1);
  return { width, height, channels: 1, range: 'unit', space: 'linear', data };
}

describe('Engine', () => {
  it('builds each config once, keeps configs apart without keys, and matches convert() byte for byte', async () => {
    const { plugin, counter } = counting();
    const plugins = pluginTable([plugin]);
    const engine = new Engine(plugins);
    const a = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'count' }, { use: 'adjust' }, { use: 'dither', method: 'atkinson' }] }, plugins });
    const b = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'count' }, { use: 'adjust' }, { use: 'threshold' }] }, plugins });
    const image = gradient(64, 16);
    const ra1 = await engine.convert(image, a);
    const ra2 = await engine.convert(image, a);
    const rb = await engine.convert(image, b);
    expect(counter.built).toBe(2);
    expect(Buffer.compare(ra1.data, ra2.data)).toBe(0);
    expect(Buffer.compare(ra1.data, rb.data)).not.toBe(0);
    const direct = await convert(image, { config: { steps: [{ use: 'adjust' }, { use: 'dither', method: 'atkinson' }] } });
    expect(Buffer.compare(direct.data, ra1.data)).toBe(0);
    await engine.dispose();
  });

  it('reports every step with its result (onStep), and pipeline.run stops after `until`', async () => {
    const steps: string[] = [];
    const r = await convert(gradient(32, 8), {
      config: { steps: [{ use: 'resize', width: 16 }, { use: 'adjust' }, { use: 'dither' }, { use: 'upscale', scale: 2 }] },
      onStep: (e) => steps.push(`${e.index}:${e.plugin}:${e.image.width}x${e.image.height}`),
    });
    expect(steps).toEqual(['0:resize:16x4', '1:adjust:16x4', '2:dither:16x4', '3:upscale:32x8']);
    expect([r.image.width, r.image.height]).toEqual([32, 8]);
    const engine = new Engine(pluginTable());
    const config = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'resize', width: 16 }, { use: 'adjust' }, { use: 'dither' }, { use: 'upscale', scale: 2 }] }, plugins: engine.plugins });
    const pipeline = await engine.pipeline(config);
    const binary = await pipeline.run(gradient(32, 8), { until: 2 });
    expect([binary.range, binary.width]).toEqual(['binary', 16]);
    await engine.dispose();
  });
});

describe('paper colour: declared by the step that sets colours (Plugin.paper)', () => {
  // One fully transparent pixel (black under it) and one opaque mid-gray (paper at level 0.3), as a PNG.
  const png = async () => {
    const sharp = (await import('sharp')).default;
    return sharp(Buffer.from([0, 0, 0, 0, 128, 128, 128, 255]), { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
  };
  const steps = (paper?: string) => [{ use: 'adjust' }, { use: 'threshold', value: 0.3 }, ...(paper ? [{ use: 'palette', paper }] : [])];

  it("the palette step's paper, else white", async () => {
    const plugins = pluginTable();
    expect(paperOf(resolveConfig({ presets: builtinPresets, config: { steps: steps('#102030') }, plugins }))).toEqual({ r: 16, g: 32, b: 48 });
    expect(paperOf(resolveConfig({ presets: builtinPresets, config: { steps: steps() }, plugins }))).toEqual({ r: 255, g: 255, b: 255 });
    // Transparent black composited onto white is paper, onto a near-black paper it is ink.
    expect([...(await convert(await png(), { config: { steps: steps() } })).image.data]).toEqual([1, 1]);
    expect([...(await convert(await png(), { config: { steps: steps('#101010') } })).image.data]).toEqual([0, 1]);
  });

  it('a third-party step that declares paper is asked like the built-in one', async () => {
    const tint = definePlugin<{ paper: string }>({
      name: 'tint',
      description: 'declares a paper colour',
      defaults: { paper: '#000000' },
      parseOptions: (input) => ({ paper: (input as { paper?: string }).paper ?? '#000000' }),
      accepts: { range: ['binary'] },
      produces: (k) => k,
      paper: () => ({ r: 0, g: 0, b: 0 }),
      create: () => ({ run: (image) => image }),
    });
    const config = { steps: [...steps(), { use: 'tint' }] };
    expect(paperOf(resolveConfig({ presets: builtinPresets, config, plugins: pluginTable([tint]) }))).toEqual({ r: 0, g: 0, b: 0 });
    expect([...(await convert(await png(), { config, plugins: [tint] })).image.data]).toEqual([0, 1]);
  });
});
