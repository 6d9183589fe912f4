/** The conversion engine: one build per config, the same bytes as convert(), step hooks. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config/resolve.js';
import { convert, Engine, FloatBuffers, paperOf } from './convert.js';
import sharp from 'sharp';
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

/** A noisy RGB PNG, big enough (512×512) that its decoded gray is kept for reuse (FloatBuffers.MIN). */
async function noisyPng(seed: number): Promise<Buffer> {
  const w = 512;
  const raw = Buffer.alloc(w * w * 3);
  let s = seed;
  for (let i = 0; i < raw.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    raw[i] = ((i / 3 / w) | 0) / 2 + (s >>> 26);
  }
  return sharp(raw, { raw: { width: w, height: w, channels: 3 } }).png().toBuffer();
}

describe('FloatBuffers: decoded floats reused across files', () => {
  it('an engine reusing one buffer writes the same bytes as a fresh conversion of each file, in any order', async () => {
    const files = await Promise.all([1, 2, 3].map(noisyPng));
    const config = { steps: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }] };
    const fresh = await Promise.all(files.map((f) => convert(f, { config })));
    const engine = new Engine(pluginTable());
    const resolved = resolveConfig({ presets: builtinPresets, config, plugins: engine.plugins });
    const taken = new Set<Float32Array>();
    const floats = new FloatBuffers();
    const take = floats.take;
    floats.take = (n) => {
      const b = take(n);
      taken.add(b);
      return b;
    };
    for (const i of [0, 1, 2, 1, 0, 2]) {
      const r = await engine.convert(files[i], resolved, { floats });
      expect(Buffer.compare(r.data, fresh[i].data), `file ${i}`).toBe(0);
    }
    expect(taken.size).toBe(1); // six decodes, one buffer
    await engine.dispose();
  });

  it('gives nothing back while onStep may keep the images, and keeps at most `keep` buffers', async () => {
    const engine = new Engine(pluginTable());
    const resolved = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'adjust' }, { use: 'threshold' }] }, plugins: engine.plugins });
    const floats = new FloatBuffers(1);
    const decoded: Float32Array[] = [];
    const take = floats.take;
    floats.take = (n) => {
      decoded.push(take(n));
      return decoded.at(-1)!;
    };
    const png = await noisyPng(7);
    await engine.convert(png, resolved, { floats, onStep: () => {} });
    await engine.convert(png, resolved, { floats, onStep: () => {} });
    expect(decoded).toHaveLength(0); // with onStep the decoder allocates its own
    await engine.convert(png, resolved, { floats });
    await engine.convert(png, resolved, { floats });
    expect(decoded).toHaveLength(2);
    expect(decoded[1] === decoded[0]).toBe(true); // identity, not a deep compare of 262,144 floats
    const a = new Float32Array(FloatBuffers.MIN);
    const b = new Float32Array(FloatBuffers.MIN);
    floats.give(a);
    floats.give(b);
    expect(floats.take(FloatBuffers.MIN) === b).toBe(true);
    expect(floats.take(FloatBuffers.MIN) === a).toBe(false);
    floats.give(new Float32Array(16));
    expect(floats.take(16).length).toBe(16);
    const huge = new Float32Array(FloatBuffers.MAX + 1);
    floats.give(huge);
    expect(floats.take(FloatBuffers.MAX + 1) === huge).toBe(false);
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
