import { describe, expect, it } from 'vitest';
import { edgeF1, edgeMap, orphanRate, scoreBinary } from './index.js';

const plane = (w: number, h: number, f: (x: number, y: number) => number) => {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = f(x, y);
  return out;
};
const bits = (w: number, h: number, f: (x: number, y: number) => number) => Uint8Array.from(plane(w, h, f));

describe('orphan rate', () => {
  it('counts lone pixels with 8 neighbours, and also diagonals and checkers with 4', () => {
    const lone = bits(8, 8, (x, y) => (x === 3 && y === 3 ? 0 : 1));
    expect(orphanRate(lone, 8, 8)).toBe(1 / 64);
    expect(orphanRate(lone, 8, 8, 4)).toBe(1 / 64);
    const diagonal = bits(8, 8, (x, y) => (x === y ? 0 : 1));
    expect(orphanRate(diagonal, 8, 8)).toBe(0);
    // Each of the 8 diagonal pixels differs from its 4 edge neighbours.
    expect(orphanRate(diagonal, 8, 8, 4)).toBe(8 / 64);
    const checker = bits(8, 8, (x, y) => (x + y) % 2);
    expect(orphanRate(checker, 8, 8)).toBe(0);
    expect(orphanRate(checker, 8, 8, 4)).toBe(1);
    expect(orphanRate(bits(8, 8, () => 1), 8, 8)).toBe(0);
  });
});

describe('edge F1', () => {
  const step = plane(32, 32, (x) => (x < 16 ? 0.1 : 0.9));
  it('is 1 for the image itself and for a flat pair, 0 when one side has no edges', () => {
    const b = bits(32, 32, (x) => (x < 16 ? 0 : 1));
    expect(edgeF1(step, b, 32, 32)).toBe(1);
    expect(edgeF1(plane(32, 32, () => 0.5), bits(32, 32, () => 1), 32, 32)).toBe(1);
    expect(edgeF1(step, bits(32, 32, () => 1), 32, 32)).toBe(0);
  });

  it('tolerates a 1-px shift and not a 3-px one', () => {
    expect(edgeF1(step, bits(32, 32, (x) => (x < 17 ? 0 : 1)), 32, 32)).toBe(1);
    expect(edgeF1(step, bits(32, 32, (x) => (x < 19 ? 0 : 1)), 32, 32)).toBe(0);
  });

  it('finds thin edges: one column for a step', () => {
    const e = edgeMap(step, 32, 32);
    for (let y = 0; y < 32; y++) expect(Array.from(e.subarray(y * 32, y * 32 + 32)).reduce((a, v) => a + v, 0)).toBe(1);
  });
});

describe('scores carry the pixel-art figures', () => {
  it('has tone PSNR at σ 2 above the σ 1.5 one for a fine checker, edge F1 and orphans', () => {
    const ref = plane(32, 32, () => 0.5);
    const s = scoreBinary(ref, bits(32, 32, (x, y) => (x + y) % 2), 32, 32);
    expect(s.tonePsnr20).toBeGreaterThan(s.tonePsnr15);
    expect(s.edgeF1).toBe(1);
    expect(s.orphans).toBe(0);
    expect(s.orphans4).toBe(1);
  });
});
