import { describe, expect, it } from 'vitest';
import { expectGolden, gray, noise, testCard } from '../../../test/helpers.js';
import { gaussianBlur } from '../../metrics/index.js';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor, ToneTensor } from '../../pipeline/types.js';
import { threshold } from '../threshold/index.js';
import { CLUSTERED_DOT_8 } from './clustered-dot.js';
import { directBinarySearch, gaussianAutocorrelation } from './dbs.js';
import { KNUTH_CLASS_MATRIX } from './dot-diffusion.js';
import { edgeOffset } from './edges.js';
import { dither, prepare, type DitherOptions } from './index.js';
import { hilbertOrder, riemersmaWeights } from './riemersma.js';
import { OSTROMOUKHOV_TABLE, ZHOU_FANG_STRENGTH, ostromoukhovWeights, zhouFangWeights } from '../../kernels/variable-coefficients.js';

const ctx = { warn() {} };
const opts = (o: Partial<DitherOptions>) => dither.parseOptions(o, 'steps[0]');
async function run(image: ToneTensor, o: Partial<DitherOptions>): Promise<BinaryTensor> {
  return (await (await dither.create(opts(o))).run(image, ctx)) as BinaryTensor;
}

describe('tables', () => {
  it('Ostromoukhov: 128 rows whose three weights add up to the divisor, mirrored above 127', () => {
    expect(OSTROMOUKHOV_TABLE.length).toBe(128);
    for (const [r, dl, d, sum] of OSTROMOUKHOV_TABLE) expect(r + dl + d).toBe(sum);
    const w = ostromoukhovWeights();
    expect([...w.subarray(3 * 200, 3 * 201)]).toEqual([...w.subarray(3 * 55, 3 * 56)]);
    expect(w[0]).toBeCloseTo(13 / 18, 15);
  });

  it("Zhou–Fang: key-level interpolation reproduces the authors' 128-row table (6 decimals)", () => {
    const w = zhouFangWeights();
    // Rows 11, 50, 100 and 126 of the reference implementation's interpolated table.
    const expected: [number, number, number, number][] = [
      [11, 0.533317, 0.235508, 0.231175],
      [50, 0.410459, 0.424631, 0.164909],
      [100, 0.348426, 0.362997, 0.288578],
      [126, 0.351421, 0.361923, 0.286657],
    ];
    for (const [l, r, dl, d] of expected) {
      expect(w[l * 3]).toBeCloseTo(r, 5);
      expect(w[l * 3 + 1]).toBeCloseTo(dl, 5);
      expect(w[l * 3 + 2]).toBeCloseTo(d, 5);
      expect(w[(255 - l) * 3]).toBe(w[l * 3]);
    }
    expect(ZHOU_FANG_STRENGTH.length).toBe(128);
    expect(ZHOU_FANG_STRENGTH[0]).toBe(0);
    expect(ZHOU_FANG_STRENGTH[127]).toBe(100);
  });

  it('Knuth class matrix and the clustered-dot screen are permutations of 0..63', () => {
    const all = [...Array(64).keys()];
    expect([...KNUTH_CLASS_MATRIX].sort((a, b) => a - b)).toEqual(all);
    expect([...CLUSTERED_DOT_8].sort((a, b) => a - b)).toEqual(all);
  });

  it('the clustered-dot matrix is the Euclidean spot function on the 45° lattice, ranked', () => {
    const cells: { i: number; spot: number; dot: number; ang: number }[] = [];
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        const u = (x + 0.5 + y + 0.5) / 8;
        const v = (x - y) / 8;
        const fu = 2 * (u - Math.round(u));
        const fv = 2 * (v - Math.round(v));
        const au = Math.abs(fu);
        const av = Math.abs(fv);
        const spot = au + av <= 1 ? 1 - (fu * fu + fv * fv) / 2 : ((au - 1) ** 2 + (av - 1) ** 2) / 2 - 1;
        cells.push({ i: y * 8 + x, spot, dot: (Math.round(u) + Math.round(v)) & 1, ang: Math.atan2(fv, fu) });
      }
    const rank: number[] = [];
    [...cells].sort((a, b) => a.spot - b.spot || a.ang - b.ang || a.dot - b.dot || a.i - b.i).forEach((c, r) => (rank[c.i] = r));
    expect(rank).toEqual([...CLUSTERED_DOT_8]);
  });

  it("Riemersma weights are the article's rounded 16^(i/15), oldest first", () => {
    expect([...riemersmaWeights()].map((w) => w * 16)).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 9, 11, 13, 16]);
  });

  it('the Hilbert walk visits every pixel once, also for sizes that are not powers of two', () => {
    for (const [w, h] of [[1, 1], [5, 3], [17, 9], [8, 8], [3, 20]]) {
      const order = hilbertOrder(w, h);
      expect([...order].sort((a, b) => a - b)).toEqual([...Array(w * h).keys()]);
    }
    // Inside a power-of-two square each step moves to a 4-neighbour.
    const o = hilbertOrder(16, 16);
    for (let k = 1; k < o.length; k++) expect(Math.abs((o[k] % 16) - (o[k - 1] % 16)) + Math.abs(((o[k] / 16) | 0) - ((o[k - 1] / 16) | 0))).toBe(1);
  });
});

/** ‖G_σ ∗ (g − b)‖² with the metrics' Gaussian (reflected borders). */
function filteredError(g: Float32Array, b: Uint8Array, w: number, h: number, sigma: number): number {
  const d = new Float64Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = g[i] - b[i];
  const f = gaussianBlur(d, w, h, sigma);
  let s = 0;
  for (const v of f) s += v * v;
  return s;
}

describe('dbs', () => {
  it('never increases the filtered error of its Floyd–Steinberg start (metrics blur, several images and σ)', () => {
    for (const img of [testCard(32, 24), noise(24, 20, 3), gray(30, 18, (x, y) => 0.05 + 0.9 * ((x * 7 + y * 3) % 31) / 31)]) {
      const { data, width, height } = img;
      for (const sigma of [0.8, 1.2, 2]) {
        const fs = new Uint8Array(width * height);
        prepare(opts({ method: 'floyd-steinberg' }))(data, width, height, fs);
        const b = fs.slice();
        const stats = directBinarySearch(data, width, height, b, { sigma, iterations: 8, timeMs: 0 });
        expect(stats.timedOut).toBe(false);
        expect(filteredError(data, b, width, height, sigma)).toBeLessThanOrEqual(filteredError(data, fs, width, height, sigma) + 1e-9);
      }
    }
  });

  it('stops when a pass changes nothing, and is deterministic', () => {
    const { data, width, height } = testCard(32, 24);
    const a = new Uint8Array(width * height);
    prepare(opts({ method: 'floyd-steinberg' }))(data, width, height, a);
    const b = a.slice();
    const stats = directBinarySearch(data, width, height, a, { sigma: 1.2, iterations: 100, timeMs: 0 });
    expect(stats.passes).toBeLessThan(100);
    expect(directBinarySearch(data, width, height, a, { sigma: 1.2, iterations: 100, timeMs: 0 }).changes).toBe(0);
    directBinarySearch(data, width, height, b, { sigma: 1.2, iterations: 100, timeMs: 0 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('the eye-model autocorrelation is symmetric and peaks at the centre', () => {
    const { cpp, radius } = gaussianAutocorrelation(1.2);
    const side = 2 * radius + 1;
    expect(cpp[radius * side + radius]).toBe(Math.max(...cpp));
    expect(cpp[0]).toBeCloseTo(cpp[side * side - 1], 15);
  });
});

/** A 1-px dark-gray vertical line and a 1-px diagonal on light gray (they do not cross). */
function lines(width = 40, height = 24): ToneTensor {
  return gray(width, height, (x, y) => (x === 9 || x - y === 14 ? 0.25 : 0.8));
}
function breaks(image: ToneTensor, out: BinaryTensor): number {
  let n = 0;
  for (let i = 0; i < out.data.length; i++) if (image.data[i] === 0.25 && out.data[i] === 1) n++;
  return n;
}

describe('edge-aware', () => {
  it('keeps 1-px lines continuous where plain Floyd–Steinberg breaks them', async () => {
    const img = lines();
    const plain = await run(img, { method: 'floyd-steinberg' });
    const aware = await run(img, { method: 'floyd-steinberg', edgeAware: true });
    expect(breaks(img, plain)).toBeGreaterThan(0);
    expect(breaks(img, aware)).toBe(0);
    expectGolden('dither-floyd-steinberg-edge-lines', aware);
  });

  it('keeps lines for the other error-diffusion methods too', async () => {
    const img = lines();
    for (const method of ['ostromoukhov', 'sierra-lite', 'jarvis-judice-ninke'] as const) {
      expect(breaks(img, await run(img, { method, edgeAware: true }))).toBe(0);
    }
  });

  it('golden images (bit-exact)', async () => {
    for (const method of ['floyd-steinberg', 'ostromoukhov', 'zhou-fang', 'riemersma', 'dot-diffusion', 'stucki'] as const) {
      expectGolden(`dither-${method}-edge-card`, await run(testCard(32, 24), { method, edgeAware: true }));
    }
  });

  it('changes nothing on a flat image, and edgeStrength 0 is off', async () => {
    expect([...edgeOffset(new Float32Array(20).fill(0.3), 5, 4, 1)].every((v) => v === 0)).toBe(true);
    const img = noise(24, 16, 5);
    const a = await run(img, { method: 'stucki' });
    const b = await run(img, { method: 'stucki', edgeAware: true, edgeStrength: 0 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('threshold: a faint thin line survives a fixed level with edgeAware', async () => {
    const img = gray(30, 20, (x) => (x === 12 ? 0.6 : 0.9), 'srgb');
    const step = async (o: unknown) => (await (await threshold.create(threshold.parseOptions(o, 's'))).run(img, ctx)) as BinaryTensor;
    const plain = await step({});
    const aware = await step({ edgeAware: true });
    for (let y = 0; y < 20; y++) {
      expect(plain.data[y * 30 + 12]).toBe(1);
      expect(aware.data[y * 30 + 12]).toBe(0);
      expect(aware.data[y * 30 + 5]).toBe(1);
    }
    const adaptive = await step({ mode: 'adaptive', edgeAware: true });
    for (let y = 0; y < 20; y++) expect(adaptive.data[y * 30 + 12]).toBe(0);
  });
});

describe('new options', () => {
  const accept: [unknown, Partial<DitherOptions>][] = [
    [{ method: 'dbs', dbsSigma: 1.5, dbsIterations: 3, dbsTimeMs: 250 }, { method: 'dbs', dbsSigma: 1.5, dbsIterations: 3, dbsTimeMs: 250 }],
    [{ edgeAware: true }, { edgeAware: true }],
    [{ edgeAware: true, edgeStrength: 0.3 }, { edgeAware: true, edgeStrength: 0.3 }],
    [{ method: 'zhou-fang' }, { method: 'zhou-fang' }],
    [{ method: 'clustered-dot' }, { method: 'clustered-dot' }],
  ];
  it.each(accept)('accepts %j', (input, expected) => {
    expect(dither.parseOptions(input, 'steps[0]')).toEqual({ ...dither.defaults, ...expected });
  });
  const reject: [unknown, string][] = [
    [{ edgeAware: 1 }, 'Expected a boolean for steps[0].edgeAware but received 1'],
    [{ edgeStrength: 2 }, 'Expected a number between 0 and 1 for steps[0].edgeStrength but received 2'],
    [{ dbsSigma: 0.1 }, 'Expected a number between 0.3 and 4 for steps[0].dbsSigma but received 0.1'],
    [{ dbsIterations: 2.5 }, 'Expected an integer between 1 and 100 for steps[0].dbsIterations but received 2.5'],
    [{ dbsIterations: 0 }, 'Expected an integer between 1 and 100 for steps[0].dbsIterations but received 0'],
    [{ dbsTimeMs: -1 }, 'Expected a number >= 0 for steps[0].dbsTimeMs but received -1'],
  ];
  it.each(reject)('rejects %j', (input, message) => {
    expect(() => dither.parseOptions(input, 'steps[0]')).toThrow(message);
    expect(() => dither.parseOptions(input, 'steps[0]')).toThrow(PixelError);
  });
  it('threshold accepts and rejects edgeAware / edgeStrength', () => {
    expect(threshold.parseOptions({ edgeAware: true, edgeStrength: 0.5 }, 's')).toMatchObject({ edgeAware: true, edgeStrength: 0.5 });
    expect(threshold.defaults).toMatchObject({ edgeAware: false, edgeStrength: 1 });
    expect(() => threshold.parseOptions({ edgeAware: 'yes' }, 's')).toThrow('Expected a boolean for s.edgeAware but received "yes"');
    expect(() => threshold.parseOptions({ edgeStrength: -1 }, 's')).toThrow('Expected a number between 0 and 1 for s.edgeStrength but received -1');
  });
});
