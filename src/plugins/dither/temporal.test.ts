/**
 * The temporal-stability declaration (Plugin.temporalStability) against what
 * each method does: two frames that differ only in a small square, and the
 * dots outside the square compared. The host warns about flicker from the
 * declaration alone, so a method that declares itself stable must keep every
 * dot outside the change, and one that carries error must move some.
 */
import { describe, expect, it } from 'vitest';
import { gray } from '../../../test/helpers.js';
import type { BinaryTensor, ToneTensor } from '../../pipeline/types.js';
import { pixelArt } from '../pixel-art/index.js';
import { dither, DITHER_METHODS, METHODS, type DitherMethod } from './index.js';

const W = 48;
const H = 48;
const ctx = { warn() {} };
// A smooth ramp (every tone level in play), and the same frame with an 6×6 square moved in at the top left.
const ramp = (x: number, y: number) => 0.15 + (0.7 * (x + y)) / (W + H);
const inSquare = (x: number, y: number) => x >= 4 && x < 10 && y >= 4 && y < 10;
const frameA = gray(W, H, ramp);
const frameB = gray(W, H, (x, y) => (inSquare(x, y) ? 0.95 : ramp(x, y)));

/** How many dots outside the square differ between the two frames. */
function movedOutside(a: BinaryTensor, b: BinaryTensor): number {
  let n = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (!inSquare(x, y) && a.data[y * W + x] !== b.data[y * W + x]) n++;
  return n;
}

async function moved(plugin: typeof dither | typeof pixelArt, options: unknown, a: ToneTensor, b: ToneTensor): Promise<number> {
  const step = await plugin.create(options as never);
  return movedOutside((await step.run(a, ctx)) as BinaryTensor, (await step.run(b, ctx)) as BinaryTensor);
}

describe('temporal stability is declared by the binarizer, and holds', () => {
  it.each(DITHER_METHODS)('dither %s', async (method: DitherMethod) => {
    const options = dither.parseOptions({ method }, 'steps[0]');
    const declared = dither.temporalStability!(options);
    expect(declared.method).toBe(method);
    const n = await moved(dither, options, frameA, frameB);
    if (declared.stable) expect(n, `${method} declares itself stable`).toBe(0);
    else expect(n, `${method} declares itself unstable`).toBeGreaterThan(0);
  });

  it('every error-diffusion method (kernel or custom) declares itself unstable, every ordered one stable', () => {
    for (const method of DITHER_METHODS) {
      const stable = dither.temporalStability!(dither.parseOptions({ method }, 'steps[0]')).stable;
      expect(stable, method).toBe(METHODS[method].kind === 'ordered');
    }
  });

  it('pixel-art carries its fill error, so it declares itself unstable', async () => {
    const options = pixelArt.parseOptions({ workScale: 1 }, 'steps[0]');
    expect(pixelArt.temporalStability!(options)).toEqual({ stable: false, method: 'pixel-art' });
    expect(await moved(pixelArt, options, frameA, frameB)).toBeGreaterThan(0);
  });
});
