/**
 * Device presets and the transparency mask through the whole pipeline:
 * exact sizes, byte layouts read back independently, bit-exact goldens, and
 * output.layout / output.mask validation.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPresets } from '../presets/index.js';
import { resolveConfig, resolveOutput } from '../src/config/resolve.js';
import { validateShape } from '../src/config/validate.js';
import { convert, encodeOutput, runOne } from '../src/convert.js';
import { decodeImage } from '../src/image/decode.js';
import { layoutBytes, type Layout } from '../src/image/encode/index.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { binaryTensor, type BinaryTensor } from '../src/pipeline/types.js';
import { pluginTable } from '../src/plugins/index.js';
import { resize } from '../src/plugins/resize/index.js';
import { upscale } from '../src/plugins/upscale/index.js';
import { expectGolden, toP1 } from './helpers.js';

const plugins = pluginTable();

/** A 300×200 RGBA test picture: colour ramps, a dark disc, a transparent corner. */
async function testPicture(): Promise<Buffer> {
  const w = 300;
  const h = 200;
  const raw = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const disc = Math.hypot(x - 190, y - 95) < 55;
      raw[i] = disc ? 40 : (x * 255) / (w - 1);
      raw[i + 1] = disc ? 30 : (y * 255) / (h - 1);
      raw[i + 2] = disc ? 60 : ((x + y) % 50) * 5;
      raw[i + 3] = x < 60 && y < 60 ? 0 : 255; // transparent top-left corner
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer();
}

/** Pixel (x, y) of packed bytes in a layout, straight from the layout's definition: true = set bit. */
function bitAt(bytes: Uint8Array, width: number, x: number, y: number, layout: Layout): boolean {
  if (layout === 'vertical') return ((bytes[(y >> 3) * width + x] >> (y & 7)) & 1) === 1;
  const byte = bytes[y * Math.ceil(width / 8) + (x >> 3)];
  return ((layout === 'horizontal-msb' ? byte >> (7 - (x & 7)) : byte >> (x & 7)) & 1) === 1;
}

function hexArray(text: string, name: string): Uint8Array {
  const start = text.indexOf(`const uint8_t ${name}[`);
  expect(start, `array ${name}`).toBeGreaterThanOrEqual(0);
  const body = text.slice(text.indexOf('{', start), text.indexOf('};', start));
  return Uint8Array.from(body.match(/0x[0-9a-f]{2}/g)!.map((h) => parseInt(h, 16)));
}

function inkMismatches(bytes: Uint8Array, image: BinaryTensor, layout: Layout, set: (i: number) => boolean): number {
  let bad = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) if (bitAt(bytes, image.width, x, y, layout) !== set(y * image.width + x)) bad++;
  return bad;
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Every device preset: size, format, layout and (for small screens) a golden PBM. */
const DEVICES: Array<[name: string, width: number, height: number, format: string, layout: Layout, mask: string]> = [
  ['playdate', 400, 240, 'png', 'horizontal-msb', 'none'],
  ['ssd1306-128x64', 128, 64, 'c', 'vertical', 'none'],
  ['ssd1306-128x32', 128, 32, 'c', 'vertical', 'none'],
  ['sh1106-128x64', 128, 64, 'c', 'vertical', 'none'],
  ['arduboy', 128, 64, 'c', 'vertical', 'array'],
  ['nokia-5110', 84, 48, 'c', 'vertical', 'none'],
  ['eink-2in13', 250, 122, 'c', 'horizontal-msb', 'none'],
  ['eink-4in2', 400, 300, 'c', 'horizontal-msb', 'none'],
  ['eink-7in5', 800, 480, 'c', 'horizontal-msb', 'none'],
  ['eink-2in13-bwr', 250, 122, 'c', 'horizontal-msb', 'none'],
  ['eink-2in9-bwr', 296, 128, 'c', 'horizontal-msb', 'none'],
  ['eink-4in2-bwr', 400, 300, 'c', 'horizontal-msb', 'none'],
  ['eink-7in5-bwr', 800, 480, 'c', 'horizontal-msb', 'none'],
  ['thermal-58mm', 384, 256, 'png', 'horizontal-msb', 'none'],
  ['thermal-80mm', 576, 384, 'png', 'horizontal-msb', 'none'],
  ['mac-classic', 512, 342, 'png', 'horizontal-msb', 'none'],
  ['macpaint', 576, 720, 'png', 'horizontal-msb', 'none'],
];

/**
 * SHA-256 (first 16 hex digits) of each preset's binary image as P1 text:
 * bit-exact goldens for the big screens, whose PBM files would be large.
 * Regenerate with UPDATE_GOLDEN=1 (prints the table) after reviewing
 * docs/devices-sheet.png.
 */
const IMAGE_HASHES: Record<string, string> = {
  playdate: '93b944eef42f4cb5',
  'eink-2in13': '45c2d8228656298e',
  'eink-4in2': '4206dd0a0be9f846',
  'eink-7in5': 'b70086eb94837745',
  'thermal-58mm': '553fca3f02a590d7',
  'thermal-80mm': '348393de733808d6',
  'mac-classic': '5bc851b7ca873385',
  macpaint: 'fd8609ca2935448f',
  'eink-2in13-bwr': '04e4a222b324cf3b',
  'eink-2in9-bwr': '2a9cbae26d3393fe',
  'eink-4in2-bwr': '25843261aa47b338',
  'eink-7in5-bwr': 'de3c6289b340edde',
};

describe('device presets', () => {
  let picture: Buffer;
  beforeAll(async () => {
    picture = await testPicture();
  });

  it('every device preset is listed in this table', () => {
    const devices = DEVICES.map((d) => d[0]);
    for (const name of Object.keys(builtinPresets)) if (/^(ssd|sh1|ard|nok|eink|therm|mac|play)/.test(name)) expect(devices).toContain(name);
  });

  it.each(DEVICES)('%s: exactly %i×%i, format %s, layout %s, mask %s', async (name, width, height, format, layout, mask) => {
    const config = resolveConfig({ presets: builtinPresets, config: {}, preset: name, plugins });
    expect(config.output.format).toBe(format);
    expect(config.output.layout).toBe(layout);
    expect(config.output.mask).toBe(mask);
    const pipeline = await buildPipeline(config.steps, plugins);
    const result = await runOne(picture, config, pipeline, { file: `${name}.png` });
    await pipeline.dispose();
    const { image, data } = result;
    expect([image.width, image.height]).toEqual([width, height]);

    if (format === 'c') {
      const text = data.toString('latin1');
      const id = name.replace(/-/g, '_');
      expect(text).toContain(`#define ${id.toUpperCase()}_WIDTH ${width}\n#define ${id.toUpperCase()}_HEIGHT ${height}`);
      let bytes = hexArray(text, id);
      if (config.output.sizePrefix) {
        // Arduboy2 Sprites format: width and height bytes, then the pixels.
        expect([bytes[0], bytes[1]]).toEqual([width, height]);
        bytes = bytes.subarray(2);
      }
      expect(bytes.length).toBe(layoutBytes(width, height, layout));
      if (image.accent) {
        // Three-colour panels: the second plane, accentBit 0 = colour (Waveshare's buffers).
        expect(config.output.accentBit).toBe(0);
        expect(inkMismatches(hexArray(text, `${id}_color`), image, layout, (i) => image.accent![i] === 0)).toBe(0);
        expect(image.accent.some((v) => v === 1), 'the red end of the colour ramp takes the red ink').toBe(true);
      } else expect(text).not.toContain(`${id}_color`);
      expect(inkMismatches(bytes, image, layout, (i) => image.data[i] === 0)).toBe(0);
      if (mask === 'array') {
        const m = hexArray(text, `${id}_mask`);
        expect(image.mask, 'the transparent corner survives as a mask').toBeDefined();
        expect(inkMismatches(m, image, layout, (i) => image.mask![i] === 1)).toBe(0);
      }
    } else {
      const { data: px, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([width, height]);
      const ink = image.palette?.ink ?? { r: 0, g: 0, b: 0 };
      let bad = 0;
      for (let i = 0; i < width * height; i++) if ((px[i * info.channels] === ink.r) !== (image.data[i] === 0)) bad++;
      expect(bad).toBe(0);
    }

    if (width * height <= 128 * 64) expectGolden(`device-${name}`, image);
    else {
      const hash = sha(toP1(image) + (image.accent ? Buffer.from(image.accent).toString('hex') : ''));
      if (process.env.UPDATE_GOLDEN === '1') console.log(`  '${name}': '${hash}',`);
      else expect(hash, `golden hash of ${name}`).toBe(IMAGE_HASHES[name]);
    }
  });

  it('bit formats stay binary: the OLED preset as bin is the header array, as PBM 1 = ink', async () => {
    const c = await convert(picture, { preset: 'ssd1306-128x32', file: 'x.png' });
    const bin = await convert(picture, { preset: 'ssd1306-128x32', format: 'bin' });
    expect(Buffer.from(hexArray(c.data.toString(), 'x')).equals(bin.data)).toBe(true);
    const png = await convert(picture, { preset: 'ssd1306-128x32', format: 'png' });
    expect(png.image.palette).toEqual({ ink: { r: 255, g: 255, b: 255 }, paper: { r: 0, g: 0, b: 0 } });
  });
});

describe('transparency mask', () => {
  it('decode: alpha >= 0.5 is opaque; colour is still composited onto paper', async () => {
    const raw = Buffer.from([0, 0, 0, 0, /**/ 0, 0, 0, 127, /**/ 0, 0, 0, 128, /**/ 0, 0, 0, 255]);
    const png = await sharp(raw, { raw: { width: 4, height: 1, channels: 4 } }).png().toBuffer();
    const img = await decodeImage(png);
    expect([...img.mask!]).toEqual([0, 0, 1, 1]);
    expect(img.data[0]).toBe(1); // fully transparent black → white paper
    const opaque = await decodeImage(await sharp(raw, { raw: { width: 4, height: 1, channels: 4 } }).removeAlpha().png().toBuffer());
    expect(opaque.mask).toBeUndefined();
  });

  it('decode: an alpha band without transparent pixels gives no mask', async () => {
    const png = await sharp({ create: { width: 3, height: 3, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 1 } } }).png().toBuffer();
    expect((await decodeImage(png)).mask).toBeUndefined();
  });

  const tone = (w: number, h: number, mask: number[]) => ({
    width: w,
    height: h,
    channels: 1 as const,
    range: 'unit' as const,
    space: 'linear' as const,
    data: new Float32Array(w * h).fill(0.5),
    mask: Uint8Array.from(mask),
  });

  it('resize: coverage area-averaged, opaque at >= 0.5; contain letterbox is transparent', async () => {
    // 4×1 → 2×1: [1,1 | 1,0] → coverage 1, 0.5 → both opaque; [0,0 | 0,1] → 0, 0.5 → 0, 1.
    const step = await resize.create(resize.parseOptions({ width: 2, height: 1, fit: 'fill' }, ''));
    expect([...(await step.run(tone(4, 1, [1, 1, 1, 0]), { warn() {} })).mask!]).toEqual([1, 1]);
    expect([...(await step.run(tone(4, 1, [0, 0, 0, 1]), { warn() {} })).mask!]).toEqual([0, 1]);
    const contain = await resize.create(resize.parseOptions({ width: 4, height: 4, fit: 'contain' }, ''));
    const out = await contain.run(tone(2, 1, [1, 1]), { warn() {} });
    expect([...out.mask!]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    // No mask in, no mask out.
    const plain = { ...tone(4, 1, []), mask: undefined };
    expect((await step.run(plain, { warn() {} })).mask).toBeUndefined();
  });

  it('upscale: the mask is enlarged by nearest neighbour (scale and exact size)', async () => {
    const img = { ...binaryTensor(2, 1), mask: Uint8Array.from([0, 1]) };
    const byScale = await upscale.create(upscale.parseOptions({ scale: 2 }, ''));
    expect([...(await byScale.run(img, { warn() {} })).mask!]).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    const bySize = await upscale.create(upscale.parseOptions({ width: 3, height: 1 }, ''));
    expect((await bySize.run(img, { warn() {} })).mask!.length).toBe(3);
  });

  it('the pipeline carries the mask over steps that keep the size (adjust, dither, threshold, palette)', async () => {
    const png = await sharp(Buffer.from([0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 90, 90, 90, 0]), { raw: { width: 2, height: 2, channels: 4 } })
      .png()
      .toBuffer();
    for (const binarize of [{ use: 'dither' }, { use: 'threshold' }]) {
      const r = await convert(png, { config: { steps: [{ use: 'adjust' }, binarize, { use: 'upscale', scale: 2 }, { use: 'palette', ink: '#112233' }] } });
      expect([...r.image.mask!]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
    }
  });

  const sprite = () => {
    const img = binaryTensor(4, 2);
    img.data.set([0, 0, 1, 1, /**/ 0, 1, 0, 1]);
    img.mask = Uint8Array.from([1, 0, 1, 0, /**/ 1, 1, 1, 1]);
    return img;
  };

  it("mask 'palette' (PNG, GIF): transparent pixels become paper, and paper is transparent", async () => {
    for (const format of ['png', 'gif'] as const) {
      const r = encodeOutput(sprite(), { format, layout: 'horizontal-msb', mask: 'palette' });
      expect([...r.image.data]).toEqual([0, 1, 1, 1, /**/ 0, 1, 0, 1]);
      const { data } = await sharp(r.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => data[i * 4 + 3])).toEqual([255, 0, 0, 0, 255, 0, 255, 0]);
    }
  });

  it("mask 'file': a companion in the same format; white = opaque in image formats, set bit = opaque in data formats", async () => {
    const png = encodeOutput(sprite(), { format: 'png', layout: 'horizontal-msb', mask: 'file' });
    expect(png.extras.map((e) => e.suffix)).toEqual(['.mask.png']);
    const { data, info } = await sharp(png.extras[0].data).raw().toBuffer({ resolveWithObject: true });
    expect([...Array(8).keys()].map((i) => data[i * info.channels])).toEqual([255, 0, 255, 0, 255, 255, 255, 255]);
    const bin = encodeOutput(sprite(), { format: 'bin', layout: 'horizontal-msb', mask: 'file' });
    expect([...bin.extras[0].data]).toEqual([0b10100000, 0b11110000]);
    expect(bin.extras[0].suffix).toBe('.mask.bin');
    const c = encodeOutput(sprite(), { format: 'c', layout: 'vertical', mask: 'file' }, 'hero');
    expect(c.extras[0].suffix).toBe('.mask.h');
    expect(c.extras[0].data.toString()).toContain('const uint8_t hero_mask[4] PROGMEM');
    // No mask: the mask file is all opaque.
    const none = encodeOutput(binaryTensor(3, 1), { format: 'bin', layout: 'horizontal-msb', mask: 'file' });
    expect([...none.extras[0].data]).toEqual([0b11100000]);
  });

  it("mask 'array': the C header gets <name>_mask in the same layout", () => {
    const r = encodeOutput(sprite(), { format: 'c', layout: 'vertical', mask: 'array' }, 'hero');
    const text = r.data.toString();
    expect([...hexArray(text, 'hero')]).toEqual([0b11, 0b01, 0b10, 0b00]);
    expect([...hexArray(text, 'hero_mask')]).toEqual([0b11, 0b10, 0b11, 0b10]);
  });

  it("mask 'none' writes the composited image as it is", () => {
    const r = encodeOutput(sprite(), { format: 'png', layout: 'horizontal-msb', mask: 'none' });
    expect([...r.image.data]).toEqual([0, 0, 1, 1, 0, 1, 0, 1]);
    expect(r.extras).toEqual([]);
  });
});

describe('exact sizes: odd sizes and extreme aspect ratios through the whole pipeline', () => {
  const sources: Array<[number, number]> = [
    [1, 500],
    [500, 1],
    [37, 23],
    [3, 3],
  ];
  const boxes: Array<[number, number]> = [
    [1, 1],
    [3, 7],
    [127, 33],
    [400, 1],
    [1, 300],
  ];
  const cases = sources.flatMap(([sw, sh]) => boxes.flatMap(([w, h]) => (['cover', 'contain', 'fill'] as const).map((fit) => [sw, sh, w, h, fit] as const)));
  it.each(cases)('%i×%i source → %i×%i (%s)', async (sw, sh, w, h, fit) => {
    const raw = Buffer.alloc(sw * sh * 4);
    for (let i = 0; i < sw * sh; i++) raw.set([(i * 37) % 256, (i * 11) % 256, 128, i % 5 === 0 ? 0 : 255], i * 4);
    const png = await sharp(raw, { raw: { width: sw, height: sh, channels: 4 } }).png().toBuffer();
    const r = await convert(png, {
      config: { steps: [{ use: 'resize', width: w, height: h, fit, background: '#808080' }, { use: 'adjust' }, { use: 'dither' }], output: { format: 'c', layout: 'vertical', mask: 'array' } },
    });
    expect([r.image.width, r.image.height]).toEqual([w, h]);
    expect(r.image.mask?.length ?? w * h).toBe(w * h);
    expect(hexArray(r.data.toString(), 'image').length).toBe(layoutBytes(w, h, 'vertical'));
  });
});

describe('output.layout and output.mask', () => {
  const resolveOut = (output: Record<string, unknown>) => {
    const problems: string[] = [];
    const out = resolveOutput(output, problems);
    return { out, problems };
  };

  it.each([
    [{}, 'horizontal-msb', 'none'],
    [{ layout: 'vertical' }, 'vertical', 'none'],
    [{ layout: 'horizontal-lsb', format: 'bin' }, 'horizontal-lsb', 'none'],
    [{ format: 'png', mask: 'palette' }, 'horizontal-msb', 'palette'],
    [{ format: 'gif', mask: 'palette' }, 'horizontal-msb', 'palette'],
    [{ format: 'c', mask: 'array' }, 'horizontal-msb', 'array'],
    [{ format: 'tiff', mask: 'file' }, 'horizontal-msb', 'file'],
    [{ format: 'png', layout: 'vertical' }, 'vertical', 'none'], // layout is ignored by formats without one
  ])('accepts %j', (output, layout, mask) => {
    const { out, problems } = resolveOut(output);
    expect(problems).toEqual([]);
    expect([out.layout, out.mask]).toEqual([layout, mask]);
  });

  it.each([
    [{ layout: 'vertcal' }, 'Expected one of "horizontal-msb", "horizontal-lsb", "vertical" for output.layout but received "vertcal" (did you mean "vertical"?)'],
    [{ layout: 8 }, 'Expected one of "horizontal-msb", "horizontal-lsb", "vertical" for output.layout but received 8'],
    [{ mask: 'alpha' }, 'Expected one of "none", "palette", "file", "array" for output.mask but received "alpha"'],
    [{ mask: true }, 'Expected one of "none", "palette", "file", "array" for output.mask but received true'],
    [{ format: 'bmp', mask: 'palette' }, 'Expected one of "none", "file" for output.mask with format "bmp" but received "palette" (mask "palette" needs format "png", "gif")'],
    [{ format: 'png', mask: 'array' }, 'Expected one of "none", "palette", "file" for output.mask with format "png" but received "array" (mask "array" needs format "c", "pdi", "pdt")'],
  ])('rejects %j', (output, message) => {
    expect(resolveOut(output).problems).toEqual([message]);
  });

  it('the config shape accepts output.layout and output.mask, and still names unknown keys', () => {
    expect(validateShape({ output: { layout: 'vertical', mask: 'file' } })).toEqual([]);
    expect(validateShape({ output: { layuot: 'vertical' } })).toEqual(['Unknown key output.layuot (did you mean "layout"?)']);
  });

  it('resolveConfig reports a bad combination in one E_CONFIG error', () => {
    expect(() => resolveConfig({ presets: builtinPresets, config: { output: { format: 'xbm', mask: 'array' } }, plugins })).toThrow('Invalid configuration (1 problem)');
  });
});

describe('animated GIF in → animated GIF out', () => {
  const w = 24;
  const h = 16;
  /** 4 frames: a dark square moving over a still gradient; the top 3 rows are transparent. */
  async function animation(): Promise<Buffer> {
    const frames: Buffer[] = [];
    for (let f = 0; f < 4; f++) {
      const raw = Buffer.alloc(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const square = x >= f * 4 && x < f * 4 + 6 && y >= 6 && y < 12;
          raw.set(square ? [0, 0, 0, 255] : [x * 10, 200 - y * 6, 90, y < 3 ? 0 : 255], (y * w + x) * 4);
        }
      frames.push(await sharp(raw, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer());
    }
    return sharp(frames, { join: { animated: true } }).gif({ delay: [80, 120, 80, 200], loop: 3 }).toBuffer();
  }

  it('every frame goes through the pipeline; delays, loop and transparency are kept; ordered dither is stable', async () => {
    const gif = await animation();
    const warnings: string[] = [];
    const steps = [{ use: 'adjust' }, { use: 'dither', method: 'bayer-4' }];
    const config = resolveConfig({ presets: builtinPresets, config: { steps, output: { format: 'gif', mask: 'palette' } }, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    const r = await runOne(gif, config, pipeline, { warn: (m) => warnings.push(m) });
    await pipeline.dispose();
    expect(warnings).toEqual([]);
    expect(r.frames).toHaveLength(4);
    const meta = await sharp(r.data).metadata();
    expect([meta.pages, meta.delay, meta.loop, meta.hasAlpha]).toEqual([4, [80, 120, 80, 200], 3, true]);
    for (let f = 0; f < 4; f++) {
      const { data, info } = await sharp(r.data, { page: f }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([w, h]);
      for (let i = 0; i < w * h; i++) {
        const y = Math.floor(i / w);
        expect(data[i * 4 + 3], `frame ${f} pixel ${i} alpha`).toBe(y < 3 || r.frames![f].data[i] === 1 ? 0 : 255);
      }
    }
    // Rows 12.. never see the square: with an ordered dither they are the same in every frame.
    const still = (f: number) => r.frames![f].data.subarray(12 * w);
    for (let f = 1; f < 4; f++) expect(still(f)).toEqual(still(0));
  });

  it('error diffusion warns that still areas will flicker', async () => {
    const warnings: string[] = [];
    const config = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }], output: { format: 'gif' } }, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    await runOne(await animation(), config, pipeline, { warn: (m) => warnings.push(m) });
    await pipeline.dispose();
    expect(warnings).toEqual(['4 frames dithered with floyd-steinberg: error diffusion flickers in still areas; an ordered method (blue-noise, bayer-8) keeps them stable']);
  });

  it('the warning comes from the binarizer\'s declaration: every error-diffusion method, none for ordered ones', async () => {
    const warned: string[] = [];
    for (const method of ['ostromoukhov', 'zhou-fang', 'riemersma', 'dot-diffusion', 'dbs', 'sierra-lite', 'blue-noise', 'clustered-dot']) {
      const warnings: string[] = [];
      const config = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'adjust' }, { use: 'dither', method }], output: { format: 'gif' } }, plugins });
      const pipeline = await buildPipeline(config.steps, plugins);
      await runOne(await animation(), config, pipeline, { warn: (m) => warnings.push(m) });
      await pipeline.dispose();
      warned.push(...warnings);
    }
    expect(warned).toEqual(
      ['ostromoukhov', 'zhou-fang', 'riemersma', 'dot-diffusion', 'dbs', 'sierra-lite'].map(
        (m) => `4 frames dithered with ${m}: error diffusion flickers in still areas; an ordered method (blue-noise, bayer-8) keeps them stable`,
      ),
    );
  });

  it('other formats take the first frame', async () => {
    const r = await convert(await animation(), { config: { steps: [{ use: 'adjust' }, { use: 'threshold' }], output: { format: 'png' } } });
    expect(r.frames).toBeUndefined();
    expect([r.image.width, r.image.height]).toEqual([w, h]);
  });
});

describe('device formats through the pipeline and the command line', () => {
  const animationFrames = async (n: number, w: number, h: number): Promise<Buffer> => {
    const frames: Buffer[] = [];
    for (let f = 0; f < n; f++) {
      const raw = Buffer.alloc(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) raw.set(x >= f * 3 && x < f * 3 + 5 && y >= 4 ? [0, 0, 0, 255] : [240, 240, 240, x < 2 ? 0 : 255], (y * w + x) * 4);
      frames.push(await sharp(raw, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer());
    }
    return sharp(frames, { join: { animated: true } }).gif({ delay: Array(n).fill(100) }).toBuffer();
  };
  const steps = [{ use: 'adjust' }, { use: 'threshold' }];

  it('an animated GIF becomes a frame array in a C header (Arduboy Sprites: size, frames, mask frames)', async () => {
    const gif = await animationFrames(3, 16, 8);
    const r = await convert(gif, { config: { steps, output: { format: 'c', layout: 'vertical', mask: 'array', sizePrefix: true } }, file: 'walk.gif' });
    expect(r.frames).toHaveLength(3);
    const text = r.data.toString('latin1');
    expect(text).toContain('#define WALK_FRAMES 3\n#define WALK_FRAME_BYTES 16');
    const bytes = hexArray(text, 'walk');
    expect([bytes[0], bytes[1], bytes.length]).toEqual([16, 8, 2 + 3 * 16]);
    r.frames!.forEach((f, i) => expect(inkMismatches(bytes.subarray(2 + i * 16, 2 + (i + 1) * 16), f, 'vertical', (j) => f.data[j] === 0)).toBe(0));
    const mask = hexArray(text, 'walk_mask');
    expect(mask.length).toBe(3 * 16); // no size bytes in the external mask
    r.frames!.forEach((f, i) => expect(inkMismatches(mask.subarray(i * 16, (i + 1) * 16), f, 'vertical', (j) => f.mask![j] === 1)).toBe(0));
  });

  it('an animated GIF becomes a Playdate table (pdt) and bin frames; pdi takes the first frame', async () => {
    const gif = await animationFrames(4, 12, 8);
    const pdt = await convert(gif, { config: { steps, output: { format: 'pdt', sheet: true } } });
    expect(pdt.frames).toHaveLength(4);
    expect(pdt.data.subarray(0, 12).toString()).toBe('Playdate IMT');
    expect(pdt.data.readUInt32LE(28)).toBe(4);
    expect(pdt.extras.map((e) => e.suffix)).toEqual(['-table-12-8.png']);
    const bin = await convert(gif, { config: { steps, output: { format: 'bin' } } });
    expect(bin.data.length).toBe(4 * 2 * 8);
    const pdi = await convert(gif, { config: { steps, output: { format: 'pdi' } } });
    expect(pdi.frames).toBeUndefined();
  });

  it('png with output.sheet: the frames side by side (the SDK source sheet, named with output.name); without it the first frame', async () => {
    const gif = await animationFrames(3, 12, 8);
    const sheet = await convert(gif, { config: { steps, output: { format: 'png', sheet: true } } });
    expect(sheet.frames).toHaveLength(3);
    const { data, info } = await sharp(sheet.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([36, 8]);
    for (let f = 0; f < 3; f++)
      for (let y = 0; y < 8; y++) for (let x = 0; x < 12; x++) expect(data[(y * 36 + f * 12 + x) * info.channels]).toBe(sheet.frames![f].data[y * 12 + x] ? 255 : 0);
    const first = await convert(gif, { config: { steps, output: { format: 'png' } } });
    expect(first.frames).toBeUndefined();
  });

  it("a format that cannot do the preset's mask mode drops it: `-p arduboy -f png` is a preview, not a config error", () => {
    const png = resolveConfig({ presets: builtinPresets, config: {}, preset: 'arduboy', cli: { output: { format: 'png' } }, plugins });
    expect([png.output.format, png.output.mask]).toEqual(['png', 'none']);
    const pdi = resolveConfig({ presets: builtinPresets, config: {}, preset: 'arduboy', cli: { output: { format: 'pdi' } }, plugins });
    expect(pdi.output.mask).toBe('array'); // pdi keeps it: the alpha plane
    // Set in the same layer, the combination is still an error.
    expect(() => resolveConfig({ presets: builtinPresets, config: { output: { format: 'png', mask: 'array' } }, plugins })).toThrow('Invalid configuration (1 problem)');
  });

  it.each([
    [{ sizePrefix: 'yes' }, 'Expected a boolean for output.sizePrefix but received "yes"'],
    [{ prefix: '1x' }, 'Expected a C identifier start like "epd_" for output.prefix but received "1x"'],
    [{ bytesPerLine: 0 }, 'Expected an integer between 1 and 1024 for output.bytesPerLine but received 0'],
    [{ accentBit: 2 }, 'Expected 0 or 1 for output.accentBit but received 2'],
  ])('output options are checked: %j', (output, message) => {
    const problems: string[] = [];
    resolveOutput(output as never, problems);
    expect(problems).toEqual([message]);
  });

  it('the CLI: --rotate, --flip and --threshold-level; -p arduboy -f png exits 0; bad values exit 64', async () => {
    const { main } = await import('../src/cli/main.js');
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'pixel-dev-'));
    const run = async (argv: string[]) => {
      let err = '';
      const code = await main(argv, { stdout: () => {}, stderr: (t) => (err += t) }, dir);
      return { code, err };
    };
    try {
      // A 6×4 picture, dark left half: rotated 90° clockwise the dark half is at the top.
      const raw = Buffer.alloc(6 * 4 * 3, 255);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 3; x++) raw.fill(0, (y * 6 + x) * 3, (y * 6 + x) * 3 + 3);
      writeFileSync(join(dir, 'in.png'), await sharp(raw, { raw: { width: 6, height: 4, channels: 3 } }).png().toBuffer());
      expect((await run(['convert', 'in.png', '-o', 'r.pbm', '--threshold-level', '128', '--rotate', '90', '--flip', 'vertical'])).code).toBe(0);
      // P4 4×6: rotate 90 puts the dark half on top; the vertical flip moves it to the bottom.
      const pbm = readFileSync(join(dir, 'r.pbm'));
      expect(pbm.subarray(0, 7).toString()).toBe('P4\n4 6\n');
      expect([...pbm.subarray(7)].map((b) => b >> 4)).toEqual([0, 0, 0, 15, 15, 15]);
      expect((await run(['convert', 'in.png', '-p', 'arduboy', '-f', 'png', '-o', 'a.png'])).code).toBe(0);
      const bad = await run(['convert', 'in.png', '-o', 'x.pbm', '--rotate', '45']);
      expect([bad.code, bad.err]).toEqual([64, expect.stringContaining('Expected 0, 90, 180 or 270 for --rotate but received "45"')]);
      const level = await run(['convert', 'in.png', '-o', 'x.pbm', '--threshold-level', '300']);
      expect([level.code, level.err]).toEqual([64, expect.stringContaining('Expected a whole number between 0 and 255 for --threshold-level')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pixel decode and pixel preview', () => {
  it('decode writes the header back as a PNG (beside the input, never over it); preview prints blocks', async () => {
    const { main } = await import('../src/cli/main.js');
    const { mkdtempSync, rmSync, writeFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'pixel-decode-'));
    const run = async (argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) }, dir);
      return { code, out, err };
    };
    try {
      const raw = Buffer.alloc(16 * 8 * 3, 255);
      for (let y = 2; y < 6; y++) raw.fill(0, (y * 16 + 4) * 3, (y * 16 + 12) * 3); // a dark bar
      writeFileSync(join(dir, 'bar.png'), await sharp(raw, { raw: { width: 16, height: 8, channels: 3 } }).png().toBuffer());
      expect((await run(['convert', 'bar.png', '-o', 'bar.h', '--threshold-level', '128', '--layout', 'vertical'])).code).toBe(0);
      const decoded = await run(['decode', 'bar.h']);
      expect([decoded.code, decoded.out]).toEqual([0, 'bar.h: C array bar, 16×8 -> bar.h.png\n']);
      const { data, info } = await sharp(join(dir, 'bar.h.png')).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([16, 8]);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 16; x++) expect(data[(y * 16 + x) * info.channels]).toBe(y >= 2 && y < 6 && x >= 4 && x < 12 ? 0 : 255);
      expect((await run(['decode', 'bar.h'])).code).not.toBe(0); // exists: not replaced without --overwrite
      const preview = await run(['preview', 'bar.h']);
      const blank = ' '.repeat(16);
      expect(preview.out).toBe([blank, '    ████████    ', '    ████████    ', blank, '16×8', ''].join('\n'));
      const fromImage = await run(['preview', 'bar.png', '--threshold-level', '128']);
      expect(fromImage.out).toBe(preview.out);
      // pack: two inputs, one header, read back by name.
      writeFileSync(join(dir, 'bar2.png'), await sharp(raw, { raw: { width: 16, height: 8, channels: 3 } }).flop().png().toBuffer());
      const packed = await run(['pack', 'bar.png', 'bar2.png', '-o', 'bars.h', '--threshold-level', '128']);
      expect([packed.code, packed.out]).toEqual([0, expect.stringMatching(/^2 images -> bars.h \(\d+ B\)\n$/)]);
      const back = await run(['decode', 'bars.h', '--name', 'bar2', '-o', 'bar2-check.png']);
      expect(back.code).toBe(0);
      const { data: px } = await sharp(join(dir, 'bar2-check.png')).raw().toBuffer({ resolveWithObject: true });
      expect(px.length).toBeGreaterThan(0);
      expect((await run(['pack', 'bar.png', '-o', 'bar.png'])).err).toContain('--out bar.png is one of the inputs');
      expect(existsSync(join(dir, 'bar.png'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
