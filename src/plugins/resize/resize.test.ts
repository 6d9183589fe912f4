import { describe, expect, it } from 'vitest';
import { flat, gray, noise, rgb } from '../../../test/helpers.js';
import { srgbToLinearExact } from '../../image/color.js';
import type { ImageTensor, StepContext, ToneTensor } from '../../pipeline/types.js';
import { resize, resizeBox, resizeLanczos, resizeNearest, resizePlan, targetSize, type ResizeOptions } from './index.js';

const ctx: StepContext = { warn: () => {} };
const f = Math.fround;

async function run(input: unknown, image: ImageTensor): Promise<ToneTensor> {
  const step = await resize.create(resize.parseOptions(input, 'steps[0]'));
  return (await step.run(image, ctx)) as ToneTensor;
}

describe('resize kernels (worked out by hand)', () => {
  it('box 4x4 -> 2x2 averages each 2x2 block', () => {
    // prettier-ignore
    const src = new Float32Array([
      0,   1,   0.2, 0.2,
      1,   0,   0.2, 0.6,
      0.5, 0.5, 0,   0,
      0.5, 0.5, 0,   1,
    ]);
    expect(Array.from(resizeBox(src, 4, 4, 1, 2, 2))).toEqual([0.5, f(0.3), 0.5, 0.25]);
  });

  it('box 3 -> 2 uses fractional coverage (s = 1.5)', () => {
    const src = new Float32Array([0, 0.3, 0.6]);
    // out0 = (1·0 + 0.5·0.3)/1.5 = 0.1; out1 = (0.5·0.3 + 1·0.6)/1.5 = 0.5
    const out = resizeBox(src, 3, 1, 1, 2, 1);
    expect(out[0]).toBeCloseTo(0.1, 6);
    expect(out[1]).toBeCloseTo(0.5, 6);
  });

  it('box on 3 channels keeps channels apart', () => {
    const src = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]); // 2x2 RGB
    expect(Array.from(resizeBox(src, 2, 2, 3, 1, 1))).toEqual([0.5, 0.5, 0.5]);
  });

  it('box with a source region crops exactly', () => {
    const src = new Float32Array([0, 0.25, 0.5, 1]);
    expect(Array.from(resizeBox(src, 4, 1, 1, 2, 1, { x: 1, y: 0, width: 2, height: 1 }))).toEqual([0.25, 0.5]);
  });

  it('nearest picks the pixel under each output centre', () => {
    const src = new Float32Array([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(Array.from(resizeNearest(src, 6, 1, 1, 3, 1))).toEqual([f(0.1), f(0.3), f(0.5)]);
    expect(Array.from(resizeNearest(src, 6, 1, 1, 12, 1))).toEqual([0, 0, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5].map(f));
  });

  it('lanczos stays within 0..1 on a hard edge and is identity at scale 1', () => {
    const src = gray(16, 4, (x) => (x < 8 ? 0 : 1)).data;
    const up = resizeLanczos(src, 16, 4, 1, 37, 9);
    for (const v of up) expect(v >= 0 && v <= 1).toBe(true);
    const n = noise(9, 7, 3).data;
    const same = resizeLanczos(n, 9, 7, 1, 9, 7);
    for (let i = 0; i < n.length; i++) expect(same[i]).toBeCloseTo(n[i], 6);
  });

  it.each([
    ['box', resizeBox],
    ['lanczos', resizeLanczos],
    ['nearest', resizeNearest],
  ] as const)('%s keeps a flat gray exactly flat (integer and odd ratios)', (_, fn) => {
    for (const [sw, sh, dw, dh] of [
      [1024, 768, 128, 96],
      [97, 61, 13, 7],
      [5, 3, 17, 11],
      [1000, 3, 128, 1],
    ]) {
      const out = fn(flat(sw, sh, 0.3).data, sw, sh, 1, dw, dh);
      expect(out.length).toBe(dw * dh);
      for (const v of out) expect(v).toBe(f(0.3));
    }
  });

  it('box keeps pure black and white pure', () => {
    const src = gray(8, 8, (x, y) => (Math.floor(x / 4) + Math.floor(y / 4)) % 2);
    expect(Array.from(resizeBox(src.data, 8, 8, 1, 2, 2))).toEqual([0, 1, 1, 0]);
    expect(Array.from(resizeBox(src.data, 8, 8, 1, 4, 4))).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
  });
});

describe('targetSize / resizePlan', () => {
  const cases: [string, number, number, Partial<ResizeOptions>, [number, number]][] = [
    ['width only keeps aspect', 1024, 768, { width: 128 }, [128, 96]],
    ['height only keeps aspect', 1024, 768, { height: 96 }, [128, 96]],
    ['extreme 1000x3 -> 128 wide is at least 1 high', 1000, 3, { width: 128 }, [128, 1]],
    ['extreme 3x1000 -> 128 high', 3, 1000, { height: 128 }, [1, 128]],
    ['odd sizes round to nearest', 33, 17, { width: 10 }, [10, 5]],
    ['longSide on landscape', 300, 200, { longSide: 100 }, [100, 67]],
    ['longSide on portrait', 200, 300, { longSide: 100 }, [67, 100]],
    ['longSide on a square', 50, 50, { longSide: 7 }, [7, 7]],
    ['inside: width-bound', 300, 200, { width: 100, height: 100 }, [100, 67]],
    ['inside: height-bound', 300, 200, { width: 100, height: 50 }, [75, 50]],
    ['inside never exceeds the box', 7, 3, { width: 5, height: 2 }, [5, 2]],
    ['contain: exact box', 300, 200, { width: 100, height: 100, fit: 'contain' }, [100, 100]],
    ['cover: exact box', 300, 200, { width: 100, height: 100, fit: 'cover' }, [100, 100]],
    ['fill: exact box', 300, 200, { width: 7, height: 5, fit: 'fill' }, [7, 5]],
    ['cover on 1000x3', 1000, 3, { width: 128, height: 128, fit: 'cover' }, [128, 128]],
    ['inside on 1000x3', 1000, 3, { width: 128, height: 128 }, [128, 1]],
    ['upscale 1x1', 1, 1, { width: 5 }, [5, 5]],
    ['no size: no-op', 40, 30, { fit: 'cover' }, [40, 30]],
    ['withoutEnlargement: width', 50, 40, { width: 100, withoutEnlargement: true }, [50, 40]],
    ['withoutEnlargement: inside', 50, 40, { width: 200, height: 200, withoutEnlargement: true }, [50, 40]],
    ['withoutEnlargement: longSide', 50, 40, { longSide: 80, withoutEnlargement: true }, [50, 40]],
    ['withoutEnlargement: cover clamps the box', 50, 40, { width: 100, height: 20, fit: 'cover', withoutEnlargement: true }, [50, 20]],
    ['withoutEnlargement: shrinking unaffected', 500, 400, { width: 100, withoutEnlargement: true }, [100, 80]],
  ];
  it.each(cases)('%s', (_, w, h, o, [ew, eh]) => {
    expect(targetSize(w, h, o)).toEqual({ width: ew, height: eh });
  });

  it('contain centres the content (rounding the offset down)', () => {
    const p = resizePlan(300, 200, { width: 100, height: 100, fit: 'contain' })!;
    expect(p).toMatchObject({ contentWidth: 100, contentHeight: 67, left: 0, top: 16 });
  });

  it('cover picks the source region by position', () => {
    expect(resizePlan(1000, 3, { width: 128, height: 128, fit: 'cover' })!.region).toEqual({ x: 498.5, y: 0, width: 3, height: 3 });
    expect(resizePlan(4, 8, { width: 2, height: 2, fit: 'cover', position: 'bottom' })!.region).toEqual({ x: 0, y: 4, width: 4, height: 4 });
  });
});

describe('resize step', () => {
  it('averages in linear light: an sRGB black/white checkerboard becomes linear 0.5', async () => {
    const card = gray(4, 4, (x, y) => (x + y) % 2, 'srgb');
    const out = await run({ width: 2, height: 2, fit: 'fill' }, card);
    expect(out.space).toBe('linear');
    expect(Array.from(out.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('contain puts the background where expected (center and top)', async () => {
    const black = flat(4, 2, 0);
    const mid = await run({ width: 4, height: 4, fit: 'contain' }, black);
    expect(Array.from(mid.data)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const top = await run({ width: 4, height: 4, fit: 'contain', position: 'top' }, black);
    expect(Array.from(top.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    const left = await run({ width: 4, height: 3, fit: 'contain', position: 'left', background: '#000' }, flat(2, 3, 1));
    expect(Array.from(left.data)).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('contain background is linear: gray for 1 channel, RGB for 3', async () => {
    const g = await run({ width: 2, height: 2, fit: 'contain', background: '#808080' }, flat(2, 1, 0));
    expect(g.data[2]).toBeCloseTo(srgbToLinearExact(128 / 255), 6);
    const c = await run({ width: 1, height: 2, fit: 'contain', background: '#ff0000', position: 'top' }, rgb(1, 1, () => [0, 0, 1]));
    expect(Array.from(c.data)).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('cover crops by position', async () => {
    const img = gray(4, 2, (x) => [0, 0.25, 0.5, 1][x]);
    const at = async (position: string) => Array.from((await run({ width: 2, height: 2, fit: 'cover', position }, img)).data);
    expect(await at('center')).toEqual([0.25, 0.5, 0.25, 0.5]);
    expect(await at('left')).toEqual([0, 0.25, 0, 0.25]);
    expect(await at('right')).toEqual([0.5, 1, 0.5, 1]);
  });

  it('no size set: passes through (in linear space)', async () => {
    const img = flat(3, 2, 0.5, 'linear');
    expect(await run({ fit: 'cover' }, img)).toBe(img);
    const s = await run({}, flat(3, 2, 1, 'srgb'));
    expect(s.space).toBe('linear');
    expect(Array.from(s.data)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('exact output size for extreme aspect ratios', async () => {
    const out = await run({ width: 128 }, noise(1000, 3, 5));
    expect([out.width, out.height, out.data.length]).toEqual([128, 1, 128]);
  });

  it('declares its contract', () => {
    expect(resize.accepts).toEqual({ channels: [1, 3], range: ['unit'] });
    expect(resize.produces({ channels: 3, range: 'unit', space: 'srgb' }, resize.defaults)).toEqual({ channels: 3, range: 'unit', space: 'linear' });
  });
});

describe('resize options', () => {
  const accept: [unknown, Partial<ResizeOptions>][] = [
    [undefined, { width: undefined, height: undefined, longSide: undefined, fit: 'inside', position: 'center', background: '#ffffff', kernel: 'box', withoutEnlargement: false }],
    [{ use: 'resize', width: 128 }, { width: 128 }],
    [{ longSide: 64, fit: 'cover' }, { longSide: 64, fit: 'cover' }],
    [{ width: 10, height: 20, fit: 'contain', position: 'bottom-right', background: '#000' }, { position: 'bottom-right', background: '#000' }],
    [{ kernel: 'lanczos', withoutEnlargement: true }, { kernel: 'lanczos', withoutEnlargement: true }],
  ];
  it.each(accept)('accepts %j', (input, expected) => {
    expect(resize.parseOptions(input, 'steps[0]')).toMatchObject(expected);
  });

  const reject: [unknown, string][] = [
    [{ width: 0 }, 'Expected an integer >= 1 for steps[0].width but received 0'],
    [{ height: -3 }, 'Expected an integer >= 1 for steps[0].height but received -3'],
    [{ width: 2.5 }, 'Expected an integer >= 1 for steps[0].width but received 2.5'],
    [{ width: '128' }, 'Expected an integer >= 1 for steps[0].width but received "128"'],
    [{ longSide: 0 }, 'Expected an integer >= 1 for steps[0].longSide but received 0'],
    [{ longSide: 1.5 }, 'Expected an integer >= 1 for steps[0].longSide but received 1.5'],
    [{ longSide: 64, width: 10 }, 'Expected either steps[0].longSide or steps[0].width/steps[0].height but received both longSide and width'],
    [{ longSide: 64, height: 10 }, 'Expected either steps[0].longSide or steps[0].width/steps[0].height but received both longSide and height'],
    [{ fit: 'cntain' }, 'Expected one of "inside", "cover", "contain", "fill" for steps[0].fit but received "cntain"'],
    [{ position: 'middle' }, 'Expected one of "center", "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left", "bottom-right" for steps[0].position but received "middle"'],
    [{ background: 'white' }, 'Expected a CSS hex colour like "#ffffff" for steps[0].background but received "white"'],
    [{ kernel: 'bilinear' }, 'Expected one of "box", "lanczos", "nearest" for steps[0].kernel but received "bilinear"'],
    [{ withoutEnlargement: 'yes' }, 'Expected a boolean for steps[0].withoutEnlargement but received "yes"'],
    [{ widht: 10 }, 'Unknown option steps[0].widht (did you mean "width"?)'],
    [42, 'Expected an object of options for steps[0] but received 42'],
  ];
  it.each(reject)('rejects %j', (input, message) => {
    expect(() => resize.parseOptions(input, 'steps[0]')).toThrow(message);
  });
});
