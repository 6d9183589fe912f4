import { describe, expect, it } from 'vitest';
import { expectGolden, flat, gray, rgb, whiteShare } from '../../../test/helpers.js';
import { srgbToLinearExact } from '../../image/color.js';
import { buildPipeline, resolveSteps } from '../../pipeline/pipeline.js';
import type { BinaryTensor, ImageTensor, ToneTensor } from '../../pipeline/types.js';
import { pluginTable } from '../index.js';
import { blur, dilate, dropShort, patternFill, pixelPerfect, removeOrphans, thin, FREE } from './kernels.js';
import { FILL_PATTERNS, pixelArt } from './index.js';
import { drawTextBoxes, findText, findTextBoxes, sameLine, textSeeds, type Rect } from './text.js';

const plugins = pluginTable();

async function run(steps: Array<Record<string, unknown>>, image: ImageTensor): Promise<BinaryTensor> {
  const p = await buildPipeline(steps as never, plugins);
  try {
    return (await p.run(image)) as BinaryTensor;
  } finally {
    await p.dispose();
  }
}

/** A source-resolution line drawing: white paper, black strokes `stroke` px wide. */
function drawing(size: number, stroke: number): ToneTensor {
  const c = size / 2;
  const r = size * 0.35;
  return gray(size, size, (x, y) => {
    const ring = Math.abs(Math.hypot(x + 0.5 - c, y + 0.5 - c) - r) < stroke / 2;
    const diagonal = Math.abs(x - y) / Math.SQRT2 < stroke / 2 && x > size * 0.1 && x < size * 0.9;
    return ring || diagonal ? 0 : 1;
  });
}

/** 8-connected pieces of ink. */
function inkPieces(b: BinaryTensor): number {
  const seen = new Uint8Array(b.data.length);
  let pieces = 0;
  for (let s = 0; s < b.data.length; s++) {
    if (b.data[s] || seen[s]) continue;
    pieces++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % b.width;
      const y = (i - x) / b.width;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= b.width || yy >= b.height) continue;
          const j = yy * b.width + xx;
          if (!b.data[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
  }
  return pieces;
}

describe('pixel-art options', () => {
  it('has defaults and rejects bad values with the exact message', () => {
    expect(pixelArt.parseOptions({}, 'steps[1]')).toMatchObject({ workScale: 4, space: 'srgb', pattern: 'diagonal', screen: 0.5, detailContrast: 0.3, cleanup: false, outline: true });
    expect(() => pixelArt.parseOptions({ pattern: 'checkers' }, 'steps[1]')).toThrow('Expected one of "diagonal", "dots", "bayer-4", "solid" for steps[1].pattern but received "checkers"');
    expect(() => pixelArt.parseOptions({ workScale: 0 }, 'steps[1]')).toThrow('Expected an integer between 1 and 8 for steps[1].workScale but received 0');
    expect(() => pixelArt.parseOptions({ inputScale: 4 }, 'steps[1]')).toThrow(/Unknown option "inputScale"|inputScale/);
  });
});

describe('working scale: resize → pixel-art', () => {
  it('asks the resize right before it for workScale × the grid and returns the grid', async () => {
    const steps = resolveSteps([{ use: 'resize', longSide: 32 }, { use: 'pixel-art' }], plugins);
    expect(steps[0].options).toMatchObject({ longSide: 32, oversample: 4 });
    expect(steps[1].options).toMatchObject({ inputScale: 4 });
    // Linking again (eval re-resolves resolved steps) changes nothing.
    expect(resolveSteps(steps, plugins)[0].options).toMatchObject({ oversample: 4 });
    const out = await run([{ use: 'resize', longSide: 32 }, { use: 'pixel-art' }], drawing(256, 2));
    expect([out.width, out.height]).toEqual([32, 32]);
  });

  it('works at the size it is given without a resize right before it', async () => {
    const steps = resolveSteps([{ use: 'adjust' }, { use: 'pixel-art' }], plugins);
    expect((steps[1].options as { inputScale?: number }).inputScale).toBeUndefined();
    const out = await run([{ use: 'pixel-art' }], flat(20, 10, 1));
    expect([out.width, out.height]).toEqual([20, 10]);
  });

  it('keeps non-multiple aspect ratios: the grid is what resize alone would give', async () => {
    const src = gray(301, 97, (x) => x / 300);
    const a = await run([{ use: 'resize', longSide: 50 }, { use: 'pixel-art' }], src);
    const b = await run([{ use: 'resize', longSide: 50 }, { use: 'adjust' }, { use: 'dither' }], src);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
  });
});

describe('pixel-art output', () => {
  it('keeps pure black black and pure white white', async () => {
    expect(whiteShare(await run([{ use: 'pixel-art' }], flat(24, 24, 1)))).toBe(1);
    expect(whiteShare(await run([{ use: 'pixel-art' }], flat(24, 24, 0)))).toBe(0);
  });

  it('fills flat tones with the phase-locked pattern at screen 1 (coded 50 % → checker, 75 % → diagonal hatching)', async () => {
    const half = await run([{ use: 'pixel-art', screen: 1 }], flat(16, 16, srgbToLinearExact(0.5)));
    for (let y = 2; y < 14; y++) for (let x = 2; x < 14; x++) expect(half.data[y * 16 + x], `${x},${y}`).toBe((x + y) % 2);
    const light = await run([{ use: 'pixel-art', screen: 1 }], flat(16, 16, srgbToLinearExact(0.75)));
    let ink = 0;
    for (let y = 2; y < 14; y++) for (let x = 2; x < 14; x++) if (!light.data[y * 16 + x]) {
      ink++;
      expect((x + y) % 4, `ink at ${x},${y}`).toBe(0);
    }
    expect(ink).toBe(36);
  });

  it('turns a 2-px outline at an 8× reduction into one continuous 1-px line', async () => {
    const out = await run([{ use: 'resize', longSide: 32 }, { use: 'pixel-art' }], drawing(256, 2));
    expect(inkPieces(out)).toBe(1);
    // 1 px wide: no 2×2 block of ink, except one where the diagonal crosses the circle.
    const blocks: string[] = [];
    for (let y = 0; y + 1 < 32; y++)
      for (let x = 0; x + 1 < 32; x++) {
        const i = y * 32 + x;
        if (out.data[i] + out.data[i + 1] + out.data[i + 32] + out.data[i + 33] === 0) blocks.push(`${x},${y}`);
      }
    expect(blocks).toEqual(['23,23']);
    // Without lines the same drawing falls apart into pieces: the lines are what keep it.
    expect(inkPieces(await run([{ use: 'resize', longSide: 32 }, { use: 'pixel-art', lineContrast: 0 }], drawing(256, 2)))).toBeGreaterThan(5);
    expectGolden('pixel-art-drawing', out);
  });

  it('gives the same result for colour and gray input', async () => {
    const g = gray(64, 48, (x, y) => ((x * 7 + y * 3) % 64) / 64, 'srgb');
    const c = rgb(64, 48, (x, y) => {
      const v = g.data[y * 64 + x];
      return [v, v, v];
    });
    const steps = [{ use: 'resize', longSide: 16 }, { use: 'pixel-art' }];
    expect((await run(steps, c)).data).toEqual((await run(steps, g)).data);
  });

  it('outlines a transparent sprite and leaves its outside paper', async () => {
    const sprite = gray(64, 64, () => srgbToLinearExact(0.6));
    sprite.mask = new Uint8Array(64 * 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) sprite.mask[y * 64 + x] = Math.hypot(x - 31.5, y - 31.5) < 24 ? 1 : 0;
    const out = await run([{ use: 'resize', longSide: 16 }, { use: 'pixel-art' }], sprite);
    expect(out.mask).toBeDefined();
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const i = y * 16 + x;
        if (!out.mask![i]) expect(out.data[i], `outside ${x},${y}`).toBe(1);
        else if (!out.mask![i - 1] || !out.mask![i + 1] || !out.mask![i - 16] || !out.mask![i + 16]) expect(out.data[i], `outline ${x},${y}`).toBe(0);
      }
    expectGolden('pixel-art-sprite', out);
  });

  it('is bit-exact on a photo-like card (golden)', async () => {
    const card = rgb(96, 72, (x, y) => {
      const d = Math.hypot(x - 48, y - 36);
      const base = d < 20 ? 0.85 : 0.2 + (0.6 * x) / 95;
      const text = y > 60 && y < 66 && x % 6 < 2 ? 0.05 : base;
      return [text, text * 0.9, Math.min(1, text * 1.1)];
    });
    expectGolden('pixel-art-card', await run([{ use: 'resize', longSide: 48 }, { use: 'pixel-art' }], card));
    expectGolden('pixel-art-card-linear-dots', await run([{ use: 'resize', longSide: 48 }, { use: 'pixel-art', space: 'linear', pattern: 'dots', screen: 0, cleanup: true }], card));
  });
});

describe('pixel-art kernels', () => {
  const grid = (rows: string[]) => ({ w: rows[0].length, h: rows.length, m: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)) });
  const show = (m: Uint8Array, w: number) => Array.from({ length: m.length / w }, (_, y) => Array.from(m.subarray(y * w, (y + 1) * w), (v) => (v ? '#' : '.')).join(''));

  it('thins a 3-px band to a 1-px line', () => {
    const { w, h, m } = grid(['..........', '.########.', '.########.', '.########.', '..........']);
    // Zhang–Suen's known asymmetry: the line ends one pixel short on the right.
    expect(show(thin(m, w, h), w)).toEqual(['..........', '..........', '..#####...', '..........', '..........']);
  });

  it('removes L corners but keeps the line joined', () => {
    const { w, h, m } = grid(['#....', '##...', '.##..', '..##.', '...#.']);
    expect(show(pixelPerfect(m, w, h), w)).toEqual(['#....', '.#...', '..#..', '...#.', '...#.']);
  });

  it('drops short pieces and keeps long ones', () => {
    const { w, h, m } = grid(['##......', '........', '.######.']);
    expect(show(dropShort(m, w, h, 4), w)).toEqual(['........', '........', '.######.']);
  });

  it('blurs with normalised taps: a flat plane stays flat, a line keeps its ink', () => {
    const flatPlane = new Float32Array(20 * 10).fill(0.3);
    for (const v of blur(flatPlane, 20, 10, 2.5)) expect(v).toBeCloseTo(0.3, 6);
    const line = new Float32Array(40 * 8).fill(1);
    for (let y = 0; y < 8; y++) line[y * 40 + 20] = 0;
    const b = blur(line, 40, 8, 1.6);
    let ink = 0;
    for (let x = 0; x < 40; x++) ink += 1 - b[3 * 40 + x];
    expect(ink).toBeCloseTo(1, 5);
  });

  it('dilates by r pixels', () => {
    const { w, h, m } = grid(['.....', '.....', '..#..', '.....', '.....']);
    expect(show(dilate(m, w, h, 1), w)).toEqual(['.....', '.###.', '.###.', '.###.', '.....']);
  });

  it('flips only pixels whose 8 neighbours all differ', () => {
    const { w, h, m } = grid(['.....', '.#...', '.....', '...##', '.....']);
    expect(show(removeOrphans(m, w, h), w)).toEqual(['.....', '.....', '.....', '...##', '.....']);
  });

  it('solid: tones near paper or ink come out solid, without stray dots', () => {
    const tone = new Float32Array(32 * 32).fill(0.95);
    const free = new Uint8Array(32 * 32).fill(FREE);
    expect(patternFill(tone, free, 32, 32, FILL_PATTERNS.diagonal, 1).reduce((a, b) => a + b, 0)).toBeLessThan(32 * 32);
    expect(patternFill(tone, free, 32, 32, FILL_PATTERNS.diagonal, 1, 0.1).reduce((a, b) => a + b, 0)).toBe(32 * 32);
    expect(patternFill(tone.fill(0.04), free, 32, 32, FILL_PATTERNS.diagonal, 1, 0.1).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('fixed pixels keep their value; free ones follow the tone', () => {
    const tone = new Float32Array(16).fill(1);
    const fixed = new Uint8Array(16).fill(FREE);
    fixed[5] = 0;
    const out = patternFill(tone, fixed, 4, 4, FILL_PATTERNS.diagonal, 1);
    expect(out[5]).toBe(0);
    expect(out.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(14);
  });
});

describe('text boxes', () => {
  /** Coded-gray plane: a shaded ground (0.55 → 0.8 left to right) with `word` dark letters (3 × 7 px bars and boxes) on row 6, and a dark half-plane below row 24 (a photo edge, not text). */
  function scene(letters: number): { coded: Float32Array; w: number; h: number } {
    const w = 64, h = 32;
    const coded = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) coded[y * w + x] = y >= 24 ? 0.1 : 0.55 + (0.25 * x) / w;
    for (let k = 0; k < letters; k++) {
      const x0 = 6 + k * 6;
      for (let y = 6; y < 13; y++)
        for (let x = x0; x < x0 + 4; x++) {
          // 'I' for even letters, 'O' (a ring) for odd ones.
          const ring = x === x0 || x === x0 + 3 || y === 6 || y === 12;
          if (k % 2 === 0 ? x === x0 + 1 || x === x0 + 2 : ring) coded[y * w + x] = 0.05;
        }
    }
    return { coded, w, h };
  }
  const plane = (coded: Float32Array, w: number, h: number) => ({ data: coded, width: w, height: h, gw: w, gh: h });

  it('finds a row of letters as one box with a light ground, and not a photo edge or fewer than 3 letters', () => {
    const { coded, w, h } = scene(6);
    const work = plane(coded, w, h);
    const boxes = findTextBoxes(work, textSeeds(work, 0.3), 0.3);
    expect(boxes.map(({ x0, y0, x1, y1, ground }) => ({ x0, y0, x1, y1, ground }))).toEqual([{ x0: 3, y0: 2, x1: 43, y1: 16, ground: 1 }]);
    const two = plane(scene(2).coded, w, h);
    expect(findTextBoxes(two, textSeeds(two, 0.3), 0.3)).toEqual([]);
  });

  it('finds a line of letters that grew into bars below it as the blob\'s densest band of rows', () => {
    const { coded, w, h } = scene(6);
    // Two thin dark bars hanging 8 px below the letters join their blob, which is then not text as a whole.
    for (let y = 14; y < 22; y++) for (const x of [13, 14, 31, 32]) coded[y * w + x] = 0.05;
    const work = plane(coded, w, h);
    expect(findTextBoxes(work, textSeeds(work, 0.3), 0.3).map(({ x0, y0, x1, y1 }) => [x0, y0, x1, y1])).toEqual([[5, 4, 41, 14]]);
  });

  it('reads strokes at the working resolution: letters half a cell wide at 4× are found, and not in the same scene averaged to the grid', () => {
    const { coded, w, h } = scene(6);
    const k = 4;
    const W = w * k;
    // Each letter cell holds a stroke 2 working pixels wide: half ink, half ground.
    const hi = new Float32Array(W * h * k);
    for (let y = 0; y < h * k; y++)
      for (let x = 0; x < W; x++) {
        const v = coded[Math.floor(y / k) * w + Math.floor(x / k)];
        hi[y * W + x] = v < 0.1 && x % k !== 1 && x % k !== 2 ? 0.55 + (0.25 * x) / W : v;
      }
    const work = { data: hi, width: W, height: h * k, gw: w, gh: h };
    // At contrast 0.4 the strokes (0.05 on a 0.55–0.8 ground) pass; averaged to the grid they are at most 0.375 darker than it.
    expect(findTextBoxes(work, textSeeds(work, 0.4), 0.4).map(({ x0, y0, x1, y1 }) => [x0, y0, x1, y1])).toEqual([[5, 4, 41, 14]]);
    const grid = new Float32Array(w * h);
    for (let i = 0; i < hi.length; i++) grid[Math.floor(Math.floor(i / W) / k) * w + Math.floor((i % W) / k)] += hi[i] / (k * k);
    const small = plane(grid, w, h);
    expect(findTextBoxes(small, textSeeds(small, 0.4), 0.4)).toEqual([]);
  });

  it('draws a box as its threshold on a solid ground with a 2-px solid ring, and its rows as solid ground across the picture', () => {
    const { coded, w, h } = scene(6);
    const work = plane(coded, w, h);
    const fixed = new Uint8Array(w * h).fill(FREE);
    const boxes = findTextBoxes(work, textSeeds(work, 0.3), 0.3);
    // Letters 7 px tall: a quarter of them rounds to 2, so the quiet zone above and below is the 2-px ring.
    expect(boxes.map((b) => b.letter)).toEqual([7]);
    drawTextBoxes(boxes, fixed, w, h, 2, 3, FREE);
    for (let y = 0; y <= 18; y++)
      for (let x = 1; x <= 45; x++) {
        const letter = coded[y * w + x] < 0.1;
        expect(fixed[y * w + x], `${x},${y}`).toBe(letter ? 3 : 2);
      }
    // Rows 0–18 beyond the ring: paper across the picture; other rows free.
    expect([fixed[10 * w + 50], fixed[0 * w + 63], fixed[18 * w + 46], fixed[10 * w], fixed[19 * w + 50], fixed[20 * w + 10]]).toEqual([2, 2, 2, 2, FREE, FREE]);
  });

  it('takes a word beside a text box on its line with that box\'s threshold when it fails the tests alone (too narrow)', () => {
    const { coded, w, h } = scene(6);
    // A short word ('III': 2-px bars 1 px apart, 8 px wide and 7 high, so its box is narrower than 1.4 × its height) 10 px right of the six letters.
    for (let y = 6; y <= 12; y++) for (const x of [50, 51, 53, 54, 56, 57]) coded[y * w + x] = 0.05;
    const work = plane(coded, w, h);
    const failed: Rect[] = [];
    const boxes = findTextBoxes(work, textSeeds(work, 0.3), 0.3, failed);
    expect(boxes.map(({ x0, x1 }) => [x0, x1])).toEqual([[3, 43]]);
    const word = sameLine(work, failed, boxes, 0.3);
    expect(word.map(({ x0, y0, x1, y1, ground, level }) => ({ x0, y0, x1, y1, ground, level }))).toEqual([{ x0: 46, y0: 2, x1: 61, y1: 16, ground: 1, level: boxes[0].level }]);
    expect(findText(work, 0.3).map(({ x0, x1 }) => [x0, x1])).toEqual([[3, 43], [46, 61]]);
  });

  it('keeps a text scene\'s ground clean in the output (no fill pixels inside the box)', async () => {
    const { coded, w, h } = scene(6);
    const img = gray(w, h, (x, y) => coded[y * w + x], 'srgb');
    const out = await run([{ use: 'pixel-art' }], img);
    for (let y = 2; y <= 16; y++) for (let x = 3; x <= 43; x++) expect(out.data[y * w + x], `${x},${y}`).toBe(coded[y * w + x] < 0.1 ? 0 : 1);
    expectGolden('pixel-art-text', out);
  });
});
