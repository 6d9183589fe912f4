import { describe, expect, it } from 'vitest';
import { rgb } from '../../../test/helpers.js';
import type { BinaryTensor, StepContext } from '../../pipeline/types.js';
import { accent, quantizeThree } from './index.js';

async function run(input: unknown, image: ReturnType<typeof rgb>, warn: (m: string) => void = () => {}): Promise<BinaryTensor> {
  const step = await accent.create(accent.parseOptions(input, 'steps[2]'));
  const ctx: StepContext = { warn };
  return step.run(image, ctx) as BinaryTensor;
}

describe('accent (three inks)', () => {
  it('pure black, white and the accent colour stay exactly themselves, with any method', async () => {
    const colours: Array<[number, number, number]> = [
      [0, 0, 0],
      [1, 1, 1],
      [1, 0, 0],
    ];
    for (const method of ['floyd-steinberg', 'atkinson', 'none']) {
      const img = rgb(9, 6, (x, y) => colours[(x + y) % 3]);
      const out = await run({ method }, img);
      for (let i = 0; i < 54; i++) {
        const kind = (Math.floor(i / 9) + (i % 9)) % 3;
        expect([out.data[i], out.accent![i]], `${method} pixel ${i}`).toEqual(kind === 0 ? [0, 0] : kind === 1 ? [1, 0] : [1, 1]);
      }
    }
  });

  it('a yellow panel: yellow becomes the accent, red does not', async () => {
    const img = rgb(2, 1, (x) => (x === 0 ? [1, 1, 0] : [1, 0, 0]));
    const out = await run({ color: '#ffff00', method: 'none' }, img);
    expect([...out.accent!]).toEqual([1, 0]);
  });

  it('a flat pink (between red and white) mixes red and white pixels, no black', async () => {
    const img = rgb(32, 32, () => [1, 0.5, 0.5]);
    const out = await run({}, img);
    const red = out.accent!.reduce((a, b) => a + b, 0) / 1024;
    const black = out.data.filter((v) => v === 0).length;
    expect(red).toBeGreaterThan(0.3);
    expect(red).toBeLessThan(0.8);
    expect(black).toBe(0);
  });

  it('colours no ink can show (blue on a red panel) do not pile up error: the result is stable black/white', () => {
    const n = 64 * 64;
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) data.set([0, 0, 1], i * 3);
    const out = new Uint8Array(n);
    const plane = new Uint8Array(n);
    quantizeThree(data, 64, 64, 3, [1, 0, 0], { method: 'floyd-steinberg', serpentine: true }, out, plane);
    // Linear blue (0,0,1) is as far from black as from white + red error; bounded error keeps red under a third.
    expect(plane.reduce((a, b) => a + b, 0) / n).toBeLessThan(0.34);
  });

  it('is deterministic: the same input gives the same planes', async () => {
    const img = rgb(40, 30, (x, y) => [x / 39, y / 29, 0.3]);
    const a = await run({}, img);
    const b = await run({}, img);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data)) && Buffer.from(a.accent!).equals(Buffer.from(b.accent!))).toBe(true);
  });

  it('warns when it receives gray, since no pixel can take the accent', async () => {
    const warnings: string[] = [];
    const gray = { ...rgb(2, 2, () => [1, 0, 0]), channels: 1 as const, data: new Float32Array(4).fill(0.2) };
    await run({}, gray as never, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(/accent received a gray image/);
  });

  it.each([
    [{ color: 'red' }, 'Expected a CSS hex colour like "#1a1a1a" for steps[2].color but received "red"'],
    [{ method: 'bayer-4' }, 'Expected one of "floyd-steinberg", "atkinson", "none" for steps[2].method but received "bayer-4"'],
  ])('rejects %j', (input, message) => {
    expect(() => accent.parseOptions(input, 'steps[2]')).toThrow(message);
  });
});
