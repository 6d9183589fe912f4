import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { resolveConfig, type ResolvedConfig } from '../src/config/resolve.js';
import type { PixelConfig } from '../src/config/types.js';
import { PixelError } from '../src/pipeline/errors.js';
import { pluginTable } from '../src/plugins/index.js';
import { tempDir } from './temp.js';
import { builtinPresets } from '../presets/index.js';

const plugins = pluginTable();
const ROOT = resolve(import.meta.dirname, '..');

function names(c: ResolvedConfig): string[] {
  return c.steps.map((s) => s.plugin.name);
}
function opts(c: ResolvedConfig, name: string): Record<string, unknown> {
  return c.steps.find((s) => s.plugin.name === name)!.options as Record<string, unknown>;
}
function problems(config: PixelConfig, extra: Partial<Parameters<typeof resolveConfig>[0]> = {}): string[] {
  try {
    resolveConfig({ presets: builtinPresets, config, plugins, ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(PixelError);
    expect((e as PixelError).code).toBe('E_CONFIG');
    return (e as PixelError).problems ?? [];
  }
  throw new Error('expected a config error');
}

describe('config resolution', () => {
  it('uses the photo preset when nothing is said', () => {
    const c = resolveConfig({ presets: builtinPresets, config: {}, plugins });
    expect(names(c)).toEqual(['adjust', 'dither']);
    expect(opts(c, 'dither').method).toBe('floyd-steinberg');
    expect(c.output).toEqual({ format: 'png', name: '[dir]/[name].[ext]', overwrite: false, layout: 'horizontal-msb', mask: 'none' });
    expect(c.presets).toEqual(['photo']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('applies extends, then override, then the command line', () => {
    const c = resolveConfig({
      presets: builtinPresets, config: { extends: 'pixel-art', override: { resize: { longSide: 64 } } },
      cli: { override: { upscale: { scale: 2 } }, output: { format: 'pbm' } },
      plugins,
    });
    expect(names(c)).toEqual(['resize', 'pixel-art', 'upscale']);
    expect(opts(c, 'resize').longSide).toBe(64);
    expect(opts(c, 'upscale').scale).toBe(2);
    expect(c.output.format).toBe('pbm');
  });

  it('inserts steps a flag needs at their usual place', () => {
    const c = resolveConfig({ presets: builtinPresets, config: {}, cli: { override: { resize: { width: 100 }, upscale: { scale: 3 }, palette: { ink: '#112233' } } }, plugins });
    expect(names(c)).toEqual(['resize', 'adjust', 'dither', 'upscale', 'palette']);
  });

  it('swaps the binarizer when the method names another plugin', () => {
    const c = resolveConfig({ presets: builtinPresets, config: { extends: 'pixel-art' }, cli: { override: { threshold: { mode: 'otsu' } } }, plugins });
    expect(names(c)).toEqual(['resize', 'threshold', 'upscale']);
    expect(opts(c, 'threshold').mode).toBe('otsu');
  });

  it('lets steps replace the inherited list whole', () => {
    const c = resolveConfig({ presets: builtinPresets, config: { extends: 'pixel-art', steps: [{ use: 'adjust' }, { use: 'threshold' }] }, plugins });
    expect(names(c)).toEqual(['adjust', 'threshold']);
  });

  it('supports user presets that extend built-in ones, and rules', () => {
    const config: PixelConfig = {
      presets: { tiny: { extends: 'sprite', override: { resize: { longSide: 16 } } } },
    };
    const c = resolveConfig({ presets: builtinPresets, config, ruleLayers: [{ preset: 'tiny', path: 'rules[0]' }], plugins });
    expect(c.presets).toEqual(['sprite', 'tiny']);
    expect(opts(c, 'resize').longSide).toBe(16);
    expect(names(c)).toContain('pixel-art');
  });

  it('lets --preset replace the config pipeline but keep its output settings', () => {
    const c = resolveConfig({ presets: builtinPresets, config: { extends: 'sprite', output: { format: 'pbm' } }, preset: 'photo', plugins });
    expect(names(c)).toEqual(['adjust', 'dither']);
    expect(c.output.format).toBe('pbm');
  });

  it('detects presets that extend themselves', () => {
    expect(problems({ presets: { a: { extends: 'b' }, b: { extends: 'a' } }, extends: 'a' })).toEqual(['Preset "a" extends itself (a → b → a)']);
  });

  it('collects every problem with its key path and a suggestion', () => {
    const found = problems({
      extends: 'phot',
      // @ts-expect-error testing a typo
      step: [],
      output: { format: 'jpg', nmae: 'x' } as never,
      override: { dither: { method: 'floyd' } },
    });
    expect(found).toContain('Unknown key step (did you mean "steps"?)');
    expect(found).toContain('Unknown key output.nmae (did you mean "name"?)');
    expect(found).toContain('Unknown preset "phot" at extends (did you mean "photo"?)');
    expect(found.some((p) => p.startsWith('Expected one of "png", "pbm"') && p.includes('for output.format but received "jpg"'))).toBe(true);
    expect(found.some((p) => p.startsWith('[dither] Expected one of') && p.includes('for override.dither.method but received "floyd"'))).toBe(true);
  });

  it('reports unknown plugins and rule shapes', () => {
    const found = problems({ steps: [{ use: 'dithr' }], rules: [{ preset: 'sprite' } as never] });
    expect(found).toContain('Expected a glob or a list of globs for rules[0].files but received undefined');
    expect(found).toContain('Unknown plugin "dithr" at steps[0].use (did you mean "dither"?)');
  });
});

describe('config loading', () => {
  function project(files: Record<string, string>): string {
    const dir = tempDir('pixel-config-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', ...(files['package.json'] ? JSON.parse(files['package.json']) : {}) }));
    mkdirSync(join(dir, 'node_modules'));
    // pixel as a user has it installed: node_modules/pixel-1bit.
    symlinkSync(ROOT, join(dir, 'node_modules', 'pixel-1bit'), 'dir');
    for (const [name, text] of Object.entries(files)) if (name !== 'package.json') writeFileSync(join(dir, name), text);
    return dir;
  }

  it('loads pixel.config.ts with defineConfig from the package, found from a subfolder', async () => {
    const dir = project({ 'pixel.config.ts': "import { defineConfig } from 'pixel-1bit';\nconst size: number = 48;\nexport default defineConfig({ extends: 'sprite', override: { resize: { longSide: size } } });\n" });
    mkdirSync(join(dir, 'assets'));
    const loaded = await loadConfig({ cwd: join(dir, 'assets') });
    expect(loaded.filepath).toBe(join(dir, 'pixel.config.ts'));
    expect(loaded.config).toEqual({ extends: 'sprite', override: { resize: { longSide: 48 } } });
  });

  it('caches the compiled pixel.config.ts in node_modules/.cache/pixel and recompiles when it changes', async () => {
    const dir = project({ 'pixel.config.ts': "const size: number = 32;\nexport default { extends: 'sprite', override: { resize: { longSide: size } } };\n" });
    const cacheDir = join(dir, 'node_modules', '.cache', 'pixel');
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite', override: { resize: { longSide: 32 } } });
    const [cached] = readdirSync(cacheDir);
    expect(cached).toMatch(/^config-[0-9a-f]{32}\.mjs$/);
    expect(readFileSync(join(cacheDir, cached), 'utf8')).not.toContain(': number');
    // The cached JavaScript is what the next run loads (typescript is not consulted: proven by editing the cache).
    writeFileSync(join(cacheDir, cached), "export default { extends: 'photo' };\n");
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'photo' });
    // A changed source is a new key: compiled again; no temporary file is left beside the config.
    writeFileSync(join(dir, 'pixel.config.ts'), "const size: number = 40;\nexport default { extends: 'sprite', override: { resize: { longSide: size } } };\n");
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite', override: { resize: { longSide: 40 } } });
    expect(readdirSync(cacheDir)).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.startsWith('pixel.config.ts.'))).toEqual([]);
  });

  it.each([
    ['pixel.config.mjs', "export default { extends: 'photo' };"],
    ['pixel.config.json', '{ "extends": "photo" }'],
    ['.pixelrc.json', '{ "extends": "photo" }'],
  ])('loads %s', async (name, text) => {
    const dir = project({ [name]: text });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'photo' });
  });

  it('loads package.json#pixel', async () => {
    const dir = project({ 'package.json': JSON.stringify({ pixel: { extends: 'sprite' } }) });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite' });
  });

  it('returns an empty config when there is none', async () => {
    const dir = project({});
    expect((await loadConfig({ cwd: dir })).config).toEqual({});
  });

  it('searches as cosmiconfig does: up to the project root, not above it; package.json only with a pixel key', async () => {
    // A config above the nearest package.json is another project's: not used, from the root or a subfolder.
    const outer = project({ '.pixelrc.json': '{ "extends": "photo" }' });
    const inner = join(outer, 'inner');
    mkdirSync(join(inner, 'src'), { recursive: true });
    writeFileSync(join(inner, 'package.json'), '{ "name": "inner" }');
    expect(await loadConfig({ cwd: join(inner, 'src') })).toEqual({ config: {}, plugins: [] });
    // One in a folder between the working folder and the root is found.
    writeFileSync(join(inner, 'src', '.pixelrc.yaml'), 'extends: sprite\n');
    expect((await loadConfig({ cwd: join(inner, 'src') })).config).toEqual({ extends: 'sprite' });
    // A package.json that does not parse is cosmiconfig's to report.
    const broken = project({});
    writeFileSync(join(broken, 'package.json'), '{ "name": ');
    await expect(loadConfig({ cwd: broken })).rejects.toMatchObject({ code: 'E_CONFIG' });
  });

  it('reports a syntax error as a config error naming the file', async () => {
    const dir = project({ 'pixel.config.mjs': 'export default {' });
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'E_CONFIG' });
  });

  it('reports a missing --config file', async () => {
    const dir = project({});
    await expect(loadConfig({ cwd: dir, configPath: 'nope.ts' })).rejects.toThrow('Config file not found: nope.ts');
  });

  it('loads plugins by package name', async () => {
    const dir = project({ 'pixel.config.mjs': "export default { plugins: ['border'], extends: 'photo' };" });
    symlinkSync(join(ROOT, 'examples/plugin/pixel-plugin-border'), join(dir, 'node_modules', 'pixel-plugin-border'), 'dir');
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.plugins.map((p) => p.name)).toEqual(['border']);
  });

  it('says how to install a missing plugin package', async () => {
    const dir = project({ 'pixel.config.mjs': "export default { plugins: ['nothere'] };" });
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ message: 'Plugin package "nothere" not found (tried pixel-plugin-nothere, nothere)', hint: 'Install it next to your config: npm install pixel-plugin-nothere' });
  });
});
