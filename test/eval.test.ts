/**
 * `pixel eval` and src/eval: table shape, JSON, contact sheet, skipped files,
 * usage errors, and scores identical to a direct metrics call.
 * Images are generated with sharp into a temp folder (small, fast).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { methodColumns } from '../src/cli/commands/eval-methods.js';
import { evaluateSet, presetColumns, configColumn, SHEET_GAP, SHEET_LABEL_HEIGHT, sheetScale, defaultMethods } from '../src/eval/index.js';
import { decodeImage } from '../src/image/decode.js';
import { evaluate, referenceFrom } from '../src/metrics/index.js';
import { PixelError } from '../src/pipeline/errors.js';
import { definePlugin, type BinaryTensor, type ToneTensor } from '../src/pipeline/types.js';
import { pluginTable } from '../src/plugins/index.js';
import { dither } from '../src/plugins/dither/index.js';
import { resizeBox } from '../src/kernels/resize.js';
import { rng } from './helpers.js';

let dir: string;
let good: string;
let mixed: string;

/** A colour test card: ramp, disc and seeded noise, so every method has tone and edges to get right. */
async function writeCard(path: string, width: number, height: number, seed: number): Promise<void> {
  const next = rng(seed);
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inDisc = Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) / 3;
      const ramp = x / (width - 1);
      const v = (inDisc ? 1 - ramp : ramp) * 0.85 + next() * 0.15;
      const i = (y * width + x) * 3;
      px[i] = Math.round(255 * v);
      px[i + 1] = Math.round(255 * (0.5 * v + 0.5 * (y / (height - 1))));
      px[i + 2] = Math.round(255 * (1 - v));
    }
  await sharp(px, { raw: { width, height, channels: 3 } }).png().toFile(path);
}

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTTY }, out: () => out.join(''), err: () => err.join('') };
}

async function run(args: string[], isTTY = false) {
  const c = capture(isTTY);
  const code = await main(['eval', ...args], c.io, dir);
  return { code, stdout: c.out(), stderr: c.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pixel-eval-'));
  good = join(dir, 'good');
  mixed = join(dir, 'mixed');
  mkdirSync(good);
  mkdirSync(mixed);
  await writeCard(join(good, 'a.png'), 64, 48, 1);
  await writeCard(join(good, 'b.png'), 48, 64, 2);
  await writeCard(join(mixed, 'a.png'), 64, 48, 1);
  writeFileSync(join(mixed, 'b-broken.png'), Buffer.from('this is not a png at all'));
  await writeCard(join(mixed, 'c.png'), 40, 40, 3);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pixel eval: tables', () => {
  it('prints a table per space, a row per method in the order given', async () => {
    const r = await run(['good', '--methods', 'bayer-4,floyd-steinberg', '--grid', '32']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // 2 files, not a TTY: no progress
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Pixel-art job: long side 32 (box resize in linear light), binarized and scored at the grid');
    expect(lines[1]).toMatch(/^2 images scored; mean ± sd over images/);
    const lin = lines.indexOf('Linear light (primary)');
    const srgb = lines.indexOf('sRGB-coded (secondary)');
    expect(lin).toBeGreaterThan(0);
    expect(srgb).toBeGreaterThan(lin);
    expect(lines[lin + 1].split(/\s{2,}/)).toEqual(['method', 'PSNR σ1.5 dB', 'PSNR σ1.0 dB', 'SSIM', 'tone bias', 'PSNR σ2 dB', 'edge F1', 'orphans %', 'orphans4 %', 'ms binarize', 'ms total']);
    expect(lines[lin + 2]).toMatch(/^bayer-4 +\d+\.\d\d ± \d+\.\d\d +\d+\.\d\d ± \d+\.\d\d +0\.\d{3} ± 0\.\d{3} +([+-]?0\.\d{3}) ± 0\.\d{3} +\d+\.\d\d +[01]\.\d{3} +\d+\.\d\d +\d+\.\d +\d+\.\d\d +\d+\.\d\d$/);
    expect(lines[lin + 3]).toMatch(/^floyd-steinberg /);
    expect(lines[srgb + 1].split(/\s{2,}/)).toEqual(['method', 'PSNR σ1.5 dB', 'PSNR σ1.0 dB', 'SSIM', 'tone bias', 'PSNR σ2 dB', 'edge F1', 'orphans %', 'orphans4 %']);
    expect(lines[srgb + 2]).toMatch(/^bayer-4 /);
    expect(lines[srgb + 3]).toMatch(/^floyd-steinberg /);
  });

  it('--space picks the printed columns; --full names the halftone job', async () => {
    const r = await run(['good/a.png', '-m', 'floyd-steinberg', '--full', '40', '--space', 'srgb']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Halftone job: source at long side 40 /);
    expect(r.stdout).not.toContain('Linear light');
    expect(r.stdout).toContain('sRGB-coded (secondary)');
    expect(r.stdout).toContain('ms binarize'); // timings go with the first table printed
  });

  it('uses the default methods when none are given', async () => {
    const r = await run(['good', '--grid', '16', '--space', 'linear']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^[a-z]/.test(l) && !l.startsWith('method'));
    expect(rows.map((l) => l.split(' ')[0])).toEqual(defaultMethods());
  });

  it('evaluates presets and a config up to their binarizer, at their own grid', async () => {
    writeFileSync(join(dir, 'tiny.config.json'), JSON.stringify({ steps: [{ use: 'resize', longSide: 16 }, { use: 'adjust' }, { use: 'threshold' }, { use: 'upscale', scale: 4 }] }));
    const r = await run(['good', '--preset', 'photo', '--config', 'tiny.config.json', '--grid', '24', '--json', 'p.json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(json.methods.map((m: { name: string }) => m.name)).toEqual(['preset:photo', 'config:tiny.config.json']);
    const a = json.images[0].results;
    expect([a['preset:photo'].width, a['preset:photo'].height]).toEqual([24, 18]); // no resize step: the job's size
    expect([a['config:tiny.config.json'].width, a['config:tiny.config.json'].height]).toEqual([16, 12]); // its own resize, not upscaled
  });

  it('shows progress in place on a terminal', async () => {
    const r = await run(['good', '-m', 'bayer-2', '--grid', '16'], true);
    expect(r.stderr).toContain('\r\x1b[K[1/2] good/a.png');
    expect(r.stderr).toContain('\r\x1b[K[2/2] good/b.png');
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true); // cleared before the table
    const quiet = await run(['good', '-m', 'bayer-2', '--grid', '16', '-q'], true);
    expect(quiet.stderr).toBe('');
  });
});

describe('pixel eval: files written', () => {
  it('--json holds per-method and per-image numbers', async () => {
    const r = await run(['good', '-m', 'floyd-steinberg,blue-noise', '--grid', '32', '--json', 'out/e.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote out/e.json');
    const json = JSON.parse(readFileSync(join(dir, 'out/e.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['job', 'spaces', 'count', 'ms', 'methods', 'dropped', 'images']);
    expect(json.dropped).toEqual([]);
    expect(json.job).toEqual({ kind: 'grid', longSide: 32 });
    expect(json.spaces).toEqual(['linear', 'srgb']);
    expect(json.count).toEqual({ images: 2, scored: 2, skipped: 0 });
    expect(json.methods.map((m: { name: string }) => m.name)).toEqual(['floyd-steinberg', 'blue-noise']);
    const m = json.methods[0];
    expect(Object.keys(m)).toEqual(['name', 'kind', 'images', 'msBinarize', 'msTotal', 'linear', 'srgb']);
    expect(Object.keys(m.linear)).toEqual(['tonePsnr15', 'tonePsnr10', 'ssim', 'toneBias', 'tonePsnr20', 'edgeF1', 'orphans', 'orphans4']);
    for (const s of [m.linear.tonePsnr15, m.srgb.ssim, m.msBinarize]) {
      expect(Number.isFinite(s.mean)).toBe(true);
      expect(s.sd).toBeGreaterThanOrEqual(0);
    }
    expect(json.images.map((i: { file: string }) => i.file)).toEqual(['good/a.png', 'good/b.png']);
    const img = json.images[1];
    expect(img).toMatchObject({ file: 'good/b.png', skipped: false, width: 48, height: 64 });
    expect(img.results['blue-noise']).toMatchObject({ width: 24, height: 32 });
    expect(Object.keys(img.results['blue-noise'].linear)).toEqual(['tonePsnr15', 'tonePsnr10', 'ssim', 'toneBias', 'tonePsnr20', 'edgeF1', 'orphans', 'orphans4']);
    // The summary is the mean of the per-image figures.
    const per = json.images.map((i: any) => i.results['floyd-steinberg'].linear.tonePsnr15);
    expect(m.linear.tonePsnr15.mean).toBeCloseTo((per[0] + per[1]) / 2, 12);
  });

  it('--sheet writes a PNG: a row per source, the source then a column per method', async () => {
    const r = await run(['good', '-m', 'floyd-steinberg,bayer-8', '--grid', '32', '--sheet', 'sheet.png', '--markdown', 'tables.md']);
    expect(r.code).toBe(0);
    const png = readFileSync(join(dir, 'sheet.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const meta = await sharp(png).metadata();
    const scale = sheetScale(32); // 8
    const cell = 32 * scale; // largest width and height of the binaries: 32 (a.png 32×24, b.png 24×32)
    expect(meta.width).toBe(SHEET_GAP + 3 * (cell + SHEET_GAP));
    expect(meta.height).toBe(SHEET_GAP + 2 * (cell + SHEET_LABEL_HEIGHT + SHEET_GAP));
    const md = readFileSync(join(dir, 'tables.md'), 'utf8');
    expect(md).toContain('| method | PSNR σ1.5 dB | PSNR σ1.0 dB | SSIM | tone bias | PSNR σ2 dB | edge F1 | orphans % | orphans4 % | ms binarize | ms total |');
    expect(md).toMatch(/\| floyd-steinberg \| \d+\.\d\d ± \d+\.\d\d \|/);
  });

  it('--sheet-rows caps the rows', async () => {
    const r = await run(['good', '-m', 'bayer-2', '--grid', '32', '--sheet', 'one.png', '--sheet-rows', '1']);
    expect(r.code).toBe(0);
    const meta = await sharp(join(dir, 'one.png')).metadata();
    expect(meta.height).toBe(SHEET_GAP + 1 * (24 * sheetScale(32) + SHEET_LABEL_HEIGHT + SHEET_GAP));
  });
});

describe('pixel eval: errors', () => {
  it('names a bad file, skips its row, scores the rest and exits 1', async () => {
    const r = await run(['mixed', '-m', 'floyd-steinberg', '--grid', '32', '--json', 'mixed.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pixel: mixed/b-broken.png: Not an image, or an unsupported image format');
    expect(r.stderr).toContain('skipped');
    expect(r.stdout).toMatch(/^2 images scored, 1 skipped;/m);
    expect(r.stdout).toContain('Skipped:\n  mixed/b-broken.png: Not an image, or an unsupported image format\n');
    const json = JSON.parse(readFileSync(join(dir, 'mixed.json'), 'utf8'));
    expect(json.count).toEqual({ images: 3, scored: 2, skipped: 1 });
    expect(json.images[1]).toMatchObject({ file: 'mixed/b-broken.png', skipped: true, code: 'E_INPUT', message: 'Not an image, or an unsupported image format' });
    expect(json.methods[0].images).toBe(2);
    expect(json.images[2].results['floyd-steinberg'].width).toBe(32);
  });

  it.each([
    [['--methods', 'floyd-steinberk'], 'pixel: Unknown method "floyd-steinberk" for --methods (did you mean "floyd-steinberg"?)'],
    [['--preset', 'pixle-art'], 'pixel: Unknown preset "pixle-art" for --preset (did you mean "pixel-art"?)'],
    [['--grid', '128', '--full', '512'], 'pixel: Use either --grid (pixel-art job) or --full (halftone job), not both'],
    [['--grid', 'abc'], 'pixel: Expected a whole number between 8 and 4096 for --grid but received "abc"'],
    [['--grid', '4'], 'pixel: Expected a whole number between 8 and 4096 for --grid but received "4"'],
    [['--full', '0'], 'pixel: Expected a whole number between 8 and 16384 for --full but received "0"'],
    [['--space', 'lab'], 'pixel: Expected linear, srgb or both for --space but received "lab"'],
    [['--sheet-rows', '0'], 'pixel: Expected a whole number between 1 and 100 for --sheet-rows but received "0"'],
    [['-m', 'bayer-4:strength=2'], 'pixel: --methods bayer-4:strength=2: Expected a number between 0 and 1 for bayer-4.strength but received 2'],
    [['-m', 'atkinson:serpentin'], 'pixel: --methods atkinson:serpentin: Unknown option atkinson.serpentin (did you mean "serpentine"?)'],
    [['--method', 'atkinson'], 'pixel: Unknown option --method for pixel eval (did you mean --methods?)'],
  ])('%j is a usage error', async (args, message) => {
    const r = await run(['good', ...args]);
    expect(r.code).toBe(64);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('needs an input', async () => {
    const r = await run(['-m', 'atkinson']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('pixel: No input given');
  });

  it('--help lists the options and the methods', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pixel eval <files\|folders\|globs\.\.\.> \[options\]/);
    for (const flag of ['--methods', '--preset', '--config', '--grid', '--full', '--space', '--json', '--sheet']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('floyd-steinberg, atkinson');
  });
});

describe('evaluateSet', () => {
  it('gives a method that works above the grid (pixel-art) the job\'s resize, and scores it at the grid', async () => {
    const file = join(good, 'a.png');
    const result = await evaluateSet([file], { columns: methodColumns(['pixel-art']), job: { kind: 'grid', longSide: 32 } });
    const image = result.images[0];
    expect(image.skipped).toBe(false);
    if (image.skipped) return;
    const scored = image.results['pixel-art'];
    expect([scored.width, scored.height]).toEqual([32, 24]);
    expect(scored.linear!.orphans).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(scored.srgb!.edgeF1)).toBe(true);
  });

  it('scores equal a direct metrics call on the same resized gray', async () => {
    const file = join(good, 'a.png');
    const result = await evaluateSet([file], { columns: methodColumns(['floyd-steinberg']), job: { kind: 'grid', longSide: 32 } });
    // By hand: decode → linear luminance → box to 32×24 → FS → QUALITY.md metrics.
    const tone = await decodeImage(file);
    const gray = resizeBox(referenceFrom(tone, 'linear'), tone.width, tone.height, 1, 32, 24);
    const Y: ToneTensor = { width: 32, height: 24, channels: 1, range: 'unit', space: 'linear', data: gray };
    const step = await dither.create(dither.parseOptions({ method: 'floyd-steinberg' }, 'dither'));
    const binary = (await step.run(Y, { warn: () => {} })) as BinaryTensor;
    const direct = evaluate(Y, binary);
    const image = result.images[0];
    expect(image.skipped).toBe(false);
    if (image.skipped) return;
    const scored = image.results['floyd-steinberg'];
    expect(scored.linear).toEqual(direct.linear);
    expect(scored.srgb).toEqual(direct.srgb);
    expect(result.columns[0].linear!.tonePsnr15).toEqual({ mean: direct.linear.tonePsnr15, sd: 0 });
    expect(result.columns[0].srgb!.ssim).toEqual({ mean: direct.srgb.ssim, sd: 0 });
  });

  it('keeps images for a sheet and scores only the spaces asked for', async () => {
    const result = await evaluateSet([join(good, 'a.png'), join(good, 'b.png')], {
      columns: methodColumns(['threshold', 'bayer-2']),
      job: { kind: 'full', longSide: 20 },
      spaces: ['linear'],
      keep: 1,
      warmup: false,
    });
    expect(result.kept).toHaveLength(1);
    expect(result.kept[0].outputs.map((o) => [o.width, o.height])).toEqual([
      [20, 15],
      [20, 15],
    ]);
    expect(result.kept[0].reference.space).toBe('srgb');
    expect(result.columns[0].srgb).toBeUndefined();
    expect(result.columns[0].linear!.toneBias.mean).toBeGreaterThan(-1);
  });

  it('sets method options after colons (kebab or camel case)', async () => {
    const [plain, straight] = methodColumns(['floyd-steinberg', 'floyd-steinberg:serpentine=false:strength=0.5']);
    expect(straight.name).toBe('floyd-steinberg:serpentine=false:strength=0.5');
    expect(straight.steps).toEqual([{ use: 'dither', method: 'floyd-steinberg', serpentine: false, strength: 0.5 }]);
    expect(methodColumns(['bayer-2:space=srgb'])[0].steps).toEqual([{ use: 'dither', method: 'bayer-2', space: 'srgb' }]);
    const result = await evaluateSet([join(good, 'a.png')], { columns: [plain, straight], job: { kind: 'grid', longSide: 32 }, warmup: false });
    expect(result.columns.map((c) => c.name)).toEqual(['floyd-steinberg', 'floyd-steinberg:serpentine=false:strength=0.5']);
    expect(result.columns[0].linear!.tonePsnr15.mean).not.toBe(result.columns[1].linear!.tonePsnr15.mean);
  });

  it('leaves out an optional column that cannot be built (a missing model), and stops on a named one', async () => {
    const broken = definePlugin<Record<string, never>>({
      name: 'broken',
      description: 'a binarizer whose model is missing',
      defaults: {},
      parseOptions: () => ({}),
      accepts: { channels: [1], range: ['unit'] },
      produces: () => ({ channels: 1, range: 'binary', space: 'linear' }),
      create() {
        throw new PixelError('E_INPUT', 'Expected a readable model file but cannot read "m.bin"');
      },
    });
    const plugins = pluginTable([broken]);
    const missing = { name: 'broken', kind: 'method' as const, steps: [{ use: 'broken' }] };
    const dropped: string[] = [];
    const result = await evaluateSet([join(good, 'a.png')], {
      columns: [...methodColumns(['bayer-2']), { ...missing, optional: true }],
      job: { kind: 'grid', longSide: 16 },
      plugins,
      onDrop: (name, e) => dropped.push(`${name}: ${e.message}`),
    });
    expect(result.columns.map((c) => c.name)).toEqual(['bayer-2']);
    expect(result.dropped).toEqual([{ name: 'broken', message: 'Expected a readable model file but cannot read "m.bin"' }]);
    expect(dropped).toEqual(['broken: Expected a readable model file but cannot read "m.bin"']);
    await expect(evaluateSet([join(good, 'a.png')], { columns: [missing], plugins })).rejects.toThrow('cannot read "m.bin"');
    // Methods that `all` expands to are optional; named ones are not.
    expect(methodColumns(['all', 'atkinson']).every((c) => (c.optional === true) === (c.name !== 'atkinson'))).toBe(true);
  });

  it('builds columns for presets and configs, and refuses duplicates', () => {
    expect(presetColumns(['pixel-art']).map((c) => c.name)).toEqual(['preset:pixel-art']);
    expect(configColumn({ steps: [{ use: 'threshold' }] }, 'mine').name).toBe('config:mine');
    expect(methodColumns(['atkinson', 'atkinson']).map((c) => c.name)).toEqual(['atkinson']);
    expect(methodColumns(['all']).length).toBeGreaterThan(10);
    return expect(evaluateSet([], { columns: [...methodColumns(['atkinson']), ...methodColumns(['atkinson'])] })).rejects.toThrow('Two columns are named "atkinson"');
  });
});
