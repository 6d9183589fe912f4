/**
 * Plugins declare what they are (Plugin.role, Plugin.methods, oversample),
 * and the host places and addresses them by that alone: a third-party
 * binarizer is put where a built-in one goes, answers to `--method` and
 * `override.binarizer`, and a third-party tone step is inserted where
 * `adjust` would be.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { flagsToLayer } from '../src/cli/commands/convert.js';
import { main } from '../src/cli/main.js';
import { methodNames } from '../src/config/methods.js';
import { resolveConfig, type ResolvedConfig } from '../src/config/resolve.js';
import { linkWorkingScale } from '../src/pipeline/pipeline.js';
import { definePlugin, PLUGIN_ROLES, type Plugin } from '../src/pipeline/types.js';
import { builtinPlugins, pluginTable } from '../src/plugins/index.js';
import { builtinPresets } from '../presets/index.js';
import { tempDir } from './temp.js';

/** Ink where the tone is below `level`, but only on even rows: a line screen. */
const STRIPES_SOURCE = `{
  name: 'stripes',
  description: 'Line screen: ink on even rows where the tone is dark',
  role: 'binarizer',
  methods: { stripes: {}, 'stripes-light': { level: 0.25 } },
  defaults: { level: 0.5 },
  parseOptions: (o) => ({ level: o.level ?? 0.5 }),
  accepts: { channels: [1], range: ['unit'] },
  produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
  create: (o) => ({
    run: (img) => ({ width: img.width, height: img.height, channels: 1, range: 'binary', space: 'linear',
      data: Uint8Array.from(img.data, (v, i) => (v < o.level && Math.floor(i / img.width) % 2 === 0 ? 0 : 1)) }),
  }),
}`;
const stripes = new Function(`return ${STRIPES_SOURCE}`)() as Plugin;

const lighten = definePlugin<{ amount: number }>({
  name: 'lighten',
  description: 'Adds a constant to the tone',
  role: 'tone',
  defaults: { amount: 0.1 },
  parseOptions: (o) => ({ amount: ((o as { amount?: number }).amount ?? 0.1) as number }),
  accepts: { range: ['unit'] },
  produces: (k) => k,
  create: (o) => ({ run: (img) => ({ ...img, data: Float32Array.from(img.data as Float32Array, (v) => Math.min(1, v + o.amount)) }) }),
});

const plugins = pluginTable([stripes, lighten]);
const names = (c: ResolvedConfig) => c.steps.map((s) => s.plugin.name);
const resolveWith = (preset: string, flags: Record<string, unknown>) =>
  resolveConfig({ presets: builtinPresets, plugins, config: {}, preset, cli: flagsToLayer(flags, undefined, plugins) });

describe('plugin roles', () => {
  it('every built-in plugin declares a role, and every binarizer its methods', () => {
    for (const p of builtinPlugins) {
      expect(PLUGIN_ROLES, p.name).toContain(p.role);
      if (p.role === 'binarizer' && p.name !== 'accent') expect(Object.keys(p.methods ?? {}).length, p.name).toBeGreaterThan(0);
    }
    expect(methodNames(pluginTable())).toEqual(expect.arrayContaining(['threshold', 'otsu', 'adaptive', 'floyd-steinberg', 'ostromoukhov', 'pixel-art', 'unet']));
  });

  it('a third-party binarizer answers to --method and takes the built-in binarizer\'s place', () => {
    expect(methodNames(plugins)).toEqual(expect.arrayContaining(['stripes', 'stripes-light']));
    const builtIn = resolveWith('photo', { method: 'otsu' });
    const mine = resolveWith('photo', { method: 'stripes-light' });
    expect(names(mine)).toEqual(names(builtIn).map((n) => (n === 'threshold' ? 'stripes' : n)));
    expect(mine.steps.find((s) => s.plugin.name === 'stripes')!.options).toEqual({ level: 0.25 });
    // override.binarizer (what --edge-aware writes) reaches it too.
    const over = resolveConfig({ presets: builtinPresets, plugins, config: { steps: [{ use: 'adjust' }, { use: 'stripes' }], override: { binarizer: { level: 0.75 } } } });
    expect(over.steps[1].options).toEqual({ level: 0.75 });
  });

  it('inserts a missing step at its role\'s place, built-in or not', () => {
    const steps = [{ use: 'resize', longSide: 32 }, { use: 'upscale', scale: 2 }];
    const withMine = resolveConfig({ presets: builtinPresets, plugins, config: { steps, override: { stripes: {}, lighten: {} } } });
    const withBuiltIns = resolveConfig({ presets: builtinPresets, plugins, config: { steps, override: { threshold: {}, adjust: {} } } });
    expect(names(withMine)).toEqual(['resize', 'lighten', 'stripes', 'upscale']);
    expect(names(withBuiltIns)).toEqual(['resize', 'adjust', 'threshold', 'upscale']);
  });

  it('the working scale is asked of whichever step declares oversample', () => {
    const c = resolveConfig({ presets: builtinPresets, plugins, config: { steps: [{ use: 'resize', longSide: 16 }, { use: 'pixel-art' }] } });
    const linked = linkWorkingScale([...c.steps]);
    expect((linked[0].options as { oversample?: number }).oversample).toBe(4);
    const noOversample = resolveConfig({ presets: builtinPresets, plugins, config: { steps: [{ use: 'lighten' }, { use: 'pixel-art' }] } });
    expect(linkWorkingScale([...noOversample.steps])[0].options).toEqual({ amount: 0.1 });
  });

  it('runs a binarizer declared in pixel.config through `--method`, as a user would', async () => {
    const dir = tempDir('pixel-roles-');
    writeFileSync(join(dir, 'pixel.config.mjs'), `export default { plugins: [${STRIPES_SOURCE}], extends: 'photo' };\n`);
    await sharp({ create: { width: 8, height: 4, channels: 3, background: '#404040' } }).png().toFile(join(dir, 'gray.png'));
    let stderr = '';
    const code = await main(['convert', 'gray.png', '--method', 'stripes', '-o', 'out.pbm'], { stdout: () => {}, stderr: (t) => (stderr += t) }, dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // P4, 8×4: even rows ink (bits 1 in PBM), odd rows paper.
    expect([...readFileSync(join(dir, 'out.pbm')).subarray('P4\n8 4\n'.length)]).toEqual([0xff, 0x00, 0xff, 0x00]);
  });

  it('create() reads relative paths from the config file\'s folder, wherever pixel runs', async () => {
    const dir = tempDir('pixel-basedir-');
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(import.meta.dirname, '..', 'models', 'unet-default.png'), join(dir, 'my-model.png'));
    writeFileSync(join(dir, 'pixel.config.mjs'), "export default { steps: [{ use: 'resize', longSide: 8 }, { use: 'adjust' }, { use: 'unet', model: 'my-model.png', backend: 'cpu' }] };\n");
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toFile(join(dir, 'sub', 'gray.png'));
    let stderr = '';
    const code = await main(['convert', 'gray.png', '-o', 'out.pbm', '--config', '../pixel.config.mjs'], { stdout: () => {}, stderr: (t) => (stderr += t) }, join(dir, 'sub'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'sub', 'out.pbm')).subarray(0, 7).toString()).toBe('P4\n8 8\n');
    // A --model path on the command line is read from where pixel runs.
    copyFileSync(join(dir, 'my-model.png'), join(dir, 'sub', 'flag-model.png'));
    const byFlag = await main(['convert', 'gray.png', '-o', 'out2.pbm', '--config', '../pixel.config.mjs', '--model', 'flag-model.png'], { stdout: () => {}, stderr: (t) => (stderr += t) }, join(dir, 'sub'));
    expect(stderr).toBe('');
    expect(byFlag).toBe(0);
  });
});
