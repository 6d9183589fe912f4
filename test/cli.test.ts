import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempDir } from './temp.js';
import { builtinPresets } from '../presets/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'pixel.js');

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, cwd);
  return { code, stdout, stderr };
}

/** A photo-like test image: gradient plus a disc, with real structure. */
async function makePng(path: string, width = 96, height = 64, channels: 3 | 4 = 3): Promise<void> {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2;
      const v = Math.round(inDisc ? 255 - (x / width) * 255 : (x / width) * 255);
      data[i] = v;
      data[i + 1] = (v + y * 2) & 255;
      data[i + 2] = 255 - v;
      if (channels === 4) data[i + 3] = x < width / 4 ? 0 : 255;
    }
  mkdirSync(resolve(path, '..'), { recursive: true });
  await sharp(data, { raw: { width, height, channels } }).png().toFile(path);
}

function tempProject(): string {
  const dir = tempDir('pixel-cli-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'pixel-1bit'), 'dir');
  return dir;
}

async function describeOutput(path: string) {
  const meta = await sharp(path).metadata();
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const colours = new Set<string>();
  for (let i = 0; i < data.length; i += info.channels) colours.add(Array.from(data.subarray(i, i + info.channels)).join(','));
  return { width: meta.width, height: meta.height, bitDepth: meta.bitsPerSample, palette: meta.isPalette, colours };
}

describe('pixel convert', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempProject();
    await makePng(join(dir, 'photo.png'), 120, 80);
    await makePng(join(dir, 'assets', 'a.png'));
    await makePng(join(dir, 'assets', 'sub', 'b.png'), 50, 70, 4);
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } }).jpeg().toFile(join(dir, 'assets', 'sub', 'c.jpg'));
  });

  it('converts one file to a true 1-bit PNG', async () => {
    const r = await run(['convert', 'photo.png', '-o', 'out/photo.png'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}photo\.png -> out\/photo\.png \(\d+(\.\d)? (B|kB), \d+ ms\)\n1 converted, 0 skipped, 0 failed in [\d.]+ s\n$/);
    const out = await describeOutput(join(dir, 'out/photo.png'));
    expect(out).toMatchObject({ width: 120, height: 80, bitDepth: 1, palette: true });
    expect([...out.colours].sort()).toEqual(['0,0,0', '255,255,255']);
  });

  it('converts a folder recursively into a mirrored tree, byte-identical on every run', async () => {
    const r = await run(['convert', 'assets', '--out', 'dist'], dir);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'dist'), { recursive: true }).map(String).sort()).toEqual(['a.png', 'sub', 'sub/b.png', 'sub/c.png']);
    const first = readFileSync(join(dir, 'dist/sub/b.png'));
    // The cache manifest knows these outputs: a second run reports them unchanged.
    const again = await run(['convert', 'assets', '--out', 'dist'], dir);
    expect(again.stdout).toContain('same  assets/a.png -> dist/a.png (unchanged)');
    expect(again.stdout).toContain('0 converted, 3 unchanged, 0 skipped, 0 failed');
    // Outputs pixel did not record (no manifest) are never replaced without --overwrite.
    rmSync(join(dir, '.pixel-cache'), { recursive: true });
    const foreign = await run(['convert', 'assets', '--out', 'dist'], dir);
    expect(foreign.stdout).toContain('skip  assets/a.png: dist/a.png exists (pass --overwrite to replace it)');
    expect(foreign.stdout).toContain('0 converted, 3 skipped, 0 failed');
    const forced = await run(['convert', 'assets', '--out', 'dist', '--overwrite', '--force'], dir);
    expect(forced.stdout).toContain('3 converted');
    expect(readFileSync(join(dir, 'dist/sub/b.png')).equals(first)).toBe(true);
  });

  it('takes globs and shortcut flags', async () => {
    const r = await run(['convert', 'assets/**/*.png', '--out', 'glob', '--width', '16', '--method', 'atkinson', '--scale', '4'], dir);
    expect(r.code).toBe(0);
    const out = await describeOutput(join(dir, 'glob/sub/b.png'));
    expect(out.width).toBe(64);
    expect(out.height).toBe(Math.round((70 / 50) * 16) * 4);
    expect(existsSync(join(dir, 'glob/sub/c.png'))).toBe(false);
  });

  it('makes exactly the preset size and writes PBM by extension', async () => {
    const r = await run(['convert', 'photo.png', '-o', 'pd.pbm', '--preset', 'playdate'], dir);
    expect(r.code).toBe(0);
    const pbm = readFileSync(join(dir, 'pd.pbm'));
    expect(pbm.subarray(0, 11).toString()).toBe('P4\n400 240\n');
    expect(pbm.length).toBe(11 + 50 * 240);
  });

  it('writes beside a single input when no output is named, never over it', async () => {
    const r = await run(['convert', 'photo.png'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'photo.1bit.png'))).toBe(true);
  });

  it('refuses to overwrite a source', async () => {
    await makePng(join(dir, 'same', 'x.png'));
    const before = readFileSync(join(dir, 'same', 'x.png'));
    const r = await run(['convert', 'same', '--out', 'same', '--overwrite'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAIL  same/x.png: Output same/x.png would overwrite a source image');
    expect(readFileSync(join(dir, 'same', 'x.png')).equals(before)).toBe(true);
  });

  it('writes nothing on --dry-run', async () => {
    const r = await run(['convert', 'assets', '--out', 'dry', '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plan  assets/sub/b.png -> dry/sub/b.png');
    expect(existsSync(join(dir, 'dry'))).toBe(false);
  });

  it('reports bad files clearly and converts the rest', async () => {
    const bad = join(dir, 'mixed');
    mkdirSync(bad);
    await makePng(join(bad, 'good.png'));
    writeFileSync(join(bad, 'empty.png'), '');
    writeFileSync(join(bad, 'notes.png'), 'these are not pixels');
    const png = readFileSync(join(bad, 'good.png'));
    writeFileSync(join(bad, 'truncated.png'), png.subarray(0, png.length >> 1));
    const r = await run(['convert', 'mixed', '--out', 'mixed-out'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 converted, 0 skipped, 3 failed');
    for (const name of ['empty.png', 'notes.png', 'truncated.png']) expect(r.stderr).toContain(`mixed/${name}`);
    expect(existsSync(join(dir, 'mixed-out/good.png'))).toBe(true);
    expect(readdirSync(join(dir, 'mixed-out'))).toEqual(['good.png']);
  });

  it.each([
    // A flag's bad value is a usage error (64) naming the flag, never a config error.
    [['convert', 'photo.png', '--preset', 'nope'], 64, 'Unknown preset "nope" for --preset'],
    [['convert', 'photo.png', '--preset', 'pixl-art'], 64, 'Unknown preset "pixl-art" for --preset (did you mean "pixel-art"?)'],
    [['convert', 'photo.png', '--methd', 'x'], 64, 'Unknown option --methd for pixel convert (did you mean --method?)'],
    [['convert', 'photo.png', '--method', 'floyd'], 64, 'Unknown method "floyd" for --method'],
    [['convert', 'photo.png', '--method', 'atkinsn'], 64, 'Unknown method "atkinsn" for --method (did you mean "atkinson"?)'],
    [['convert', 'photo.png', '--width', '0'], 64, 'Expected a whole number between 1 and 65535 for --width but received "0"'],
    [['convert', 'photo.png', '--scale', 'big'], 64, 'Expected a whole number between 1 and 64 for --scale but received "big"'],
    [['convert', 'photo.png', '--format', 'jpeg', '-o', 'x'], 64, 'Unknown format "jpeg" for --format (did you mean "png"?)'],
    [['convert', 'photo.png', '-o', 'x.jpg'], 64, 'Unknown output extension ".jpg" in --out x.jpg'],
    [['convert', 'nothing-here.png'], 64, 'Input not found: nothing-here.png'],
    [['convert', 'assets', 'photo.png'], 64, 'Several inputs need an output folder'],
    [['convert'], 64, 'No input given'],
    [['convrt'], 64, 'Unknown command "convrt" (did you mean "convert"?)'],
  ])('%j exits %i', async (argv, code, message) => {
    const r = await run(argv, dir);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(code);
  });

  it('reports every config problem at once with exit 78', async () => {
    const p = tempProject();
    await makePng(join(p, 'x.png'));
    writeFileSync(join(p, 'pixel.config.mjs'), "export default { extends: 'spirte', output: { formt: 'pbm' } };");
    const r = await run(['convert', 'x.png'], p);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('Invalid configuration in pixel.config.mjs (2 problems):');
    expect(r.stderr).toContain('Unknown key output.formt (did you mean "format"?)');
    expect(r.stderr).toContain('Unknown preset "spirte" at extends (did you mean "sprite"?)');
  });

  it('applies config rules, user presets and output settings from pixel.config.ts', async () => {
    const p = tempProject();
    await makePng(join(p, 'img/photo.png'), 200, 100);
    await makePng(join(p, 'img/icons/i.png'), 200, 100);
    writeFileSync(
      join(p, 'pixel.config.ts'),
      `import { defineConfig } from 'pixel-1bit';
export default defineConfig({
  extends: 'photo',
  output: { dir: 'out', format: 'png', name: '[dir]/[name]-[preset].[ext]' },
  presets: { icon: { extends: 'sprite', override: { resize: { longSide: 10 }, upscale: { scale: 2 } } } },
  rules: [{ files: 'img/icons/**', preset: 'icon' }],
});\n`,
    );
    const r = await run(['convert', 'img'], p);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await describeOutput(join(p, 'out/photo-photo.png'))).width).toBe(200);
    expect((await describeOutput(join(p, 'out/icons/i-icon.png'))).width).toBe(20);
  });

  it('runs a user plugin from a package through the CLI, with contract checks', async () => {
    const p = tempProject();
    symlinkSync(join(ROOT, 'examples/plugin/pixel-plugin-border'), join(p, 'node_modules', 'pixel-plugin-border'), 'dir');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#ffffff' } }).png().toFile(join(p, 'white.png'));
    writeFileSync(join(p, 'pixel.config.mjs'), "export default { plugins: ['border'], steps: [{ use: 'adjust' }, { use: 'threshold' }, { use: 'border', width: 2 }] };");
    const r = await run(['convert', 'white.png', '-o', 'framed.pbm'], p);
    expect(r.stderr).toBe('');
    const bits = readFileSync(join(p, 'framed.pbm')).subarray('P4\n20 10\n'.length);
    // 20 px = 3 bytes per row; rows 0-1 and 8-9 are all ink, others ink only in the 2-px margins.
    expect([...bits.subarray(0, 3)]).toEqual([0xff, 0xff, 0xf0]);
    expect([...bits.subarray(3 * 4, 3 * 5)]).toEqual([0b11000000, 0, 0b00110000]);

    // (new file names: Node caches imported modules by path)
    writeFileSync(join(p, 'wrong.config.mjs'), "export default { plugins: ['border'], steps: [{ use: 'border' }, { use: 'adjust' }, { use: 'threshold' }] };");
    const wrong = await run(['convert', 'white.png', '-o', 'framed2.pbm', '--config', 'wrong.config.mjs'], p);
    expect(wrong.code).toBe(78);
    expect(wrong.stderr).toContain("Step 1 'border' cannot run here: it needs a binary (1-bit) image but the decoded image is a continuous-tone image");

    writeFileSync(join(p, 'bad.config.mjs'), "export default { plugins: ['border'], steps: [{ use: 'adjust' }, { use: 'threshold' }, { use: 'border', width: -1 }] };");
    const badOption = await run(['convert', 'white.png', '-o', 'framed3.pbm', '--config', 'bad.config.mjs'], p);
    expect(badOption.code).toBe(78);
    expect(badOption.stderr).toContain('[border] Expected an integer between 0 and 64 for steps[2].width but received -1');
  });

  it('pixel init writes a config that loads and converts', async () => {
    const p = tempProject();
    await makePng(join(p, 'assets/x.png'));
    expect((await run(['init'], p)).code).toBe(0);
    expect((await run(['init'], p)).code).toBe(64);
    const r = await run(['convert', 'assets'], p);
    expect(r.stderr).toBe('');
    expect(existsSync(join(p, 'dist/1bit/x.png'))).toBe(true);
  });
});

describe('pixel help and info', () => {
  it.each([['convert'], ['presets'], ['init']])('pixel %s --help', async (cmd) => {
    const r = await run([cmd, '--help'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: pixel ${cmd}`);
  });

  it('lists presets', async () => {
    const r = await run(['presets'], tmpdir());
    for (const name of ['photo', 'pixel-art', 'sprite', 'playdate', 'newspaper', 'lowtech-web']) expect(r.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    const d = await run(['presets', '--details'], tmpdir());
    expect(d.stdout).toContain('- resize width=400 height=240 fit=cover kernel=box');
  });

  it('the installed bin runs and prints its version', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version']);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('the installed bin exits 64 on a usage error', async () => {
    const result = await promisify(execFile)(process.execPath, [BIN, 'convert', '--nope']).catch((e) => e);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('Unknown option --nope');
  });
});

describe('pixel convert shortcut flags for later features', () => {
  it('--edge-aware reaches whichever step binarizes', async () => {
    const { flagsToLayer } = await import('../src/cli/commands/convert.js');
    const { resolveConfig } = await import('../src/config/resolve.js');
    const { pluginTable } = await import('../src/plugins/index.js');
    const plugins = pluginTable();
    for (const [preset, plugin] of [['photo', 'dither'], ['sprite', 'pixel-art']] as const) {
      const c = resolveConfig({ presets: builtinPresets, config: {}, preset, cli: flagsToLayer({ 'edge-aware': true }), plugins });
      const step = c.steps.find((s) => s.plugin.name === plugin)!;
      expect((step.options as { edgeAware: boolean }).edgeAware).toBe(true);
    }
    const layer = flagsToLayer({ layout: 'vertical', mask: 'array', background: '#000000' });
    expect(layer.output).toMatchObject({ layout: 'vertical', mask: 'array' });
    expect(layer.override?.resize).toEqual({ background: '#000000' });
    expect(() => flagsToLayer({ model: 'm.png', method: 'atkinson' })).toThrow('--model is for --method unet, not atkinson');
    expect(flagsToLayer({ model: 'm.png' }).override?.unet).toEqual({ model: 'm.png' });
  });
});
