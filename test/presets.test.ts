import { describe, expect, it } from 'vitest';
import { builtinPresets } from '../presets/index.js';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { rgb } from './helpers.js';

const plugins = pluginTable();
const photo = rgb(300, 200, (x, y) => [x / 299, y / 199, ((x + y) % 37) / 36]);

describe('built-in presets', () => {
  it.each(Object.keys(builtinPresets))('%s resolves, builds and runs to a binary image', async (name) => {
    const preset = builtinPresets[name];
    expect(preset.description, 'every preset says what it does').toBeTruthy();
    expect(preset.target, 'every preset says what it is for').toBeTruthy();
    const config = resolveConfig({ presets: builtinPresets, config: {}, preset: name, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    const { image, data } = await runOne(photo, config, pipeline);
    await pipeline.dispose();
    expect(image.range).toBe('binary');
    expect(new Set(image.data).size).toBeLessThanOrEqual(2);
    expect(data.length).toBeGreaterThan(0);
  });

  it.each([
    ['photo', 300, 200],
    ['pixel-art', 512, 340],
    ['sprite', 256, 168],
    ['playdate', 400, 240],
    ['lowtech-web', 300, 200],
  ])('%s makes %i×%i from a 300×200 image', async (name, width, height) => {
    const config = resolveConfig({ presets: builtinPresets, config: {}, preset: name, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    const { image } = await runOne(photo, config, pipeline);
    expect([image.width, image.height]).toEqual([width, height]);
  });
});
