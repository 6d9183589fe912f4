import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binarizePlane, straightThrough } from './binarize.js';
import { correctedPlane } from './infer.js';
import { conv2dFilterGrad, conv2dInputGrad } from './kernels.js';
import { halftoneLoss } from './loss.js';
import { correctedGray, initWeights, parameterCount, readModel, tensorSpecs, type Architecture, type Weights } from './model.js';
import { useBackend, type TF } from './tf.js';
import { train, TRAIN_DEFAULTS } from './train.js';
import { decodeModelPng, encodeModelPng } from './weights-png.js';
import { rng } from './data.js';

const TINY: Architecture = { type: 'unet-residual', channels: [2, 4, 4] };
let tf: TF;
let dir: string;

function randomWeights(arch: Architecture, seed: number, scale = 0.5): Weights {
  const next = rng(seed);
  const w: Weights = new Map();
  for (const s of tensorSpecs(arch)) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    w.set(s.name, tf.tensor(Float32Array.from({ length: n }, () => (next() - 0.5) * scale), s.shape));
  }
  return w;
}

function plane(w: number, h: number, seed: number): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length: w * h }, (_, i) => 0.5 + 0.4 * Math.sin((i % w) / 3 + Math.floor(i / w) / 5) * next());
}

beforeAll(async () => {
  tf = (await useBackend('wasm')).tf;
  dir = mkdtempSync(join(tmpdir(), 'pixel-nn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('weights PNG', () => {
  it('round-trips every float bit-exactly, header included', () => {
    const next = rng(3);
    const bits = new Uint32Array(1000).map(() => Math.floor(next() * 2 ** 32));
    bits[0] = 0x80000000; // -0
    bits[1] = 0x7fc00001; // a NaN payload
    const a = new Float32Array(bits.buffer);
    const b = Float32Array.from([1.5, -2, 3.25]);
    const png = encodeModelPng({ binarizer: 'threshold', note: 'ünïcödé ✓' }, [
      { name: 'a', shape: [10, 100], data: a },
      { name: 'b', shape: [3], data: b },
    ]);
    const back = decodeModelPng(png);
    expect(new Uint32Array(back.tensors.get('a')!.slice().buffer)).toEqual(bits);
    expect([...back.tensors.get('b')!]).toEqual([1.5, -2, 3.25]);
    expect(back.header.note).toBe('ünïcödé ✓');
    expect(back.header.tensors).toEqual([{ name: 'a', shape: [10, 100], offset: 0 }, { name: 'b', shape: [3], offset: 1000 }]);
  });

  it('is a real PNG (sharp reads it as 256-wide RGBA)', async () => {
    const png = encodeModelPng({}, [{ name: 'x', shape: [300], data: new Float32Array(300).fill(1) }]);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([256, 2, 4, 'png']);
  });

  it('still loads after a re-encode with other PNG filters', async () => {
    const data = Float32Array.from({ length: 700 }, (_, i) => Math.sin(i));
    const png = encodeModelPng({}, [{ name: 'x', shape: [700], data }]);
    const raw = await sharp(png).raw().toBuffer();
    const again = await sharp(raw, { raw: { width: 256, height: 3, channels: 4 } }).png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer();
    // sharp drops our text chunk: put the header back by splicing chunks.
    const itxt = png.subarray(8 + 25, png.indexOf('IDAT') - 4);
    const spliced = Buffer.concat([again.subarray(0, 33), itxt, again.subarray(33)]);
    expect(decodeModelPng(spliced).tensors.get('x')).toEqual(data);
  });

  it('rejects files that are not models, saying why', () => {
    expect(() => decodeModelPng(Buffer.from('hello'))).toThrow('Expected a pixel model PNG but the file is not a PNG');
    const png = encodeModelPng({}, [{ name: 'x', shape: [1], data: new Float32Array(1) }]);
    const broken = Buffer.from(png);
    broken[40] ^= 1;
    expect(() => decodeModelPng(broken)).toThrow(/fails its CRC check/);
  });
});

describe('wasm gradient kernels agree with the cpu backend', () => {
  const cases: [number[], number[], 'same' | 'valid'][] = [
    [[2, 9, 7, 3], [3, 3, 3, 4], 'same'],
    [[1, 8, 8, 1], [3, 3, 1, 2], 'same'],
    [[3, 6, 5, 2], [1, 1, 2, 3], 'valid'],
    [[2, 10, 9, 2], [5, 3, 2, 2], 'valid'],
  ];
  it.each(cases)('x %j filter %j pad %s', async (xs, fs, pad) => {
    const next = rng(xs[1] * 31 + fs[0]);
    const xv = Float32Array.from({ length: xs.reduce((a, b) => a * b) }, () => next() - 0.5);
    const wv = Float32Array.from({ length: fs.reduce((a, b) => a * b) }, () => next() - 0.5);
    const grads = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      return tf.tidy(() => {
        const f = (x: import('@tensorflow/tfjs').Tensor4D, w: import('@tensorflow/tfjs').Tensor4D) => tf.sum(tf.sin(tf.conv2d(x, w, 1, pad)));
        return tf.grads(f as never)([tf.tensor(xv, xs), tf.tensor(wv, fs)]).map((t) => t.dataSync().slice());
      });
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    for (let k = 0; k < 2; k++) for (let i = 0; i < cpu[k].length; i++) expect(wasm[k][i]).toBeCloseTo(cpu[k][i], 4);
  });

  it('computes the same as direct calls (no leaks)', () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 1) as import('@tensorflow/tfjs').Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 2], 0, 1, 'float32', 2) as import('@tensorflow/tfjs').Tensor4D;
    const dy = tf.ones([1, 6, 6, 2]) as import('@tensorflow/tfjs').Tensor4D;
    const g = conv2dFilterGrad(tf, x, dy, [3, 3, 2, 2], { strides: 1, pad: 'same', dataFormat: 'NHWC' });
    const d = conv2dInputGrad(tf, dy, w, [1, 6, 6, 2], { strides: 1, pad: 'same', dataFormat: 'NHWC' })!;
    expect(g.shape).toEqual([3, 3, 2, 2]);
    expect(d.shape).toEqual([1, 6, 6, 2]);
    tf.dispose([x, w, dy, g, d]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('straight-through binarizers', () => {
  it.each(['ostromoukhov', 'error-diffusion', 'threshold'] as const)('%s: forward exactly 0/1, gradient passed through unchanged', (name) => {
    const before = tf.memory().numTensors;
    const next = rng(7);
    const pv = Float32Array.from({ length: 2 * 8 * 8 }, () => next());
    const wv = Float32Array.from({ length: 2 * 8 * 8 }, () => next() - 0.5);
    const [out, grad] = tf.tidy(() => {
      const p = tf.tensor4d(pv, [2, 8, 8, 1]);
      const w = tf.tensor4d(wv, [2, 8, 8, 1]);
      const b = straightThrough(tf, name, p);
      const g = tf.grad((q: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.mul(straightThrough(tf, name, q as never), w)))(p);
      return [b.dataSync().slice(), g.dataSync().slice()];
    });
    expect([...new Set(out)].sort()).toEqual([0, 1]);
    // The loss is linear in B, so d loss / d p through the identity backward is exactly w.
    expect([...grad]).toEqual([...wv]);
    // Forward is the plain binarizer, image by image.
    const first = binarizePlane(name, pv.subarray(0, 64), 8, 8);
    expect([...out.subarray(0, 64)]).toEqual([...first]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('model', () => {
  it('starts at exactly its binarizer (zero last layer) and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const w = initWeights(tf, TINY, 1);
    const g = plane(20, 13, 1);
    const p = correctedPlane(tf, w, g, 20, 13);
    expect(p).toEqual(g);
    for (const t of w.values()) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(parameterCount({ type: 'unet-residual', channels: [8, 16, 32] })).toBe(29617);
  });

  it('tiles join without seams when the overlap covers the receptive field', () => {
    const w = randomWeights(TINY, 2);
    const g = plane(50, 37, 2);
    const whole = correctedPlane(tf, w, g, 50, 37, { tile: 256, overlap: 32 });
    const tiled = correctedPlane(tf, w, g, 50, 37, { tile: 16, overlap: 32 });
    for (let i = 0; i < whole.length; i++) expect(tiled[i]).toBeCloseTo(whole[i], 5);
    expect(whole).not.toEqual(g);
    for (const t of w.values()) t.dispose();
  });

  it('wasm and cpu inference agree on all but a small fraction of pixels', async () => {
    const g = plane(40, 32, 4);
    const run = async (backend: 'cpu' | 'wasm', binarizer: 'threshold' | 'error-diffusion') => {
      await useBackend(backend);
      const w = randomWeights(TINY, 5);
      const bits = binarizePlane(binarizer, correctedPlane(tf, w, g, 40, 32), 40, 32);
      for (const t of w.values()) t.dispose();
      return bits;
    };
    for (const b of ['threshold', 'error-diffusion'] as const) {
      const a = await run('cpu', b);
      const c = await run('wasm', b);
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff += a[i] !== c[i] ? 1 : 0;
      expect(diff / a.length).toBeLessThan(0.02);
    }
  });

  it('the loss rewards the closer tone', () => {
    const r = tf.tidy(() => {
      const y = tf.fill([1, 32, 32, 1], 0.5) as import('@tensorflow/tfjs').Tensor4D;
      const fsBits = binarizePlane('error-diffusion', new Float32Array(32 * 32).fill(0.5), 32, 32);
      const good = tf.tensor4d(Float32Array.from(fsBits), [1, 32, 32, 1]);
      const bad = tf.zeros([1, 32, 32, 1]) as import('@tensorflow/tfjs').Tensor4D;
      return [halftoneLoss(tf, y, good).loss.dataSync()[0], halftoneLoss(tf, y, bad).loss.dataSync()[0]];
    });
    expect(r[0]).toBeLessThan(r[1]);
  });
});

describe('train', () => {
  it('a few steps on generated images reduce the loss, deterministically, and write a loadable model', async () => {
    const imgs = join(dir, 'imgs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(imgs);
    for (let k = 0; k < 2; k++) {
      const px = Buffer.alloc(48 * 40);
      for (let y = 0; y < 40; y++) for (let x = 0; x < 48; x++) px[y * 48 + x] = Math.round(255 * (0.5 + 0.45 * Math.sin(x / (3 + k) + y / 4)));
      await sharp(px, { raw: { width: 48, height: 40, channels: 1 } }).png().toFile(join(imgs, `g${k}.png`));
    }
    const out = join(dir, 'm.png');
    const options = { ...TRAIN_DEFAULTS, images: imgs, out, steps: 10, batch: 3, patch: 32, lr: 0.01, every: 0, scales: [48], architecture: TINY, backend: 'wasm' as const };
    const losses: number[] = [];
    const before = tf.memory().numTensors;
    await train(options, (p) => losses.push(p.loss));
    expect(tf.memory().numTensors).toBe(before);
    const first = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const last = losses.slice(-3).reduce((a, b) => a + b) / 3;
    expect(last).toBeLessThan(first);
    const again: number[] = [];
    await train({ ...options, out: join(dir, 'm2.png') }, (p) => again.push(p.loss));
    expect(again).toEqual(losses);
    const model = readModel(tf, out);
    expect(model.architecture).toEqual(TINY);
    expect((model.header.training as { step: number }).step).toBe(10);
    for (const t of model.weights.values()) t.dispose();
    expect(decodeModelPng(readFileSync(out)).tensors.get('out.w')).toEqual(decodeModelPng(readFileSync(join(dir, 'm2.png'))).tensors.get('out.w'));
  });

  it('says clearly when a data folder is empty or missing', async () => {
    const empty = join(dir, 'empty');
    (await import('node:fs')).mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'x');
    const base = { ...TRAIN_DEFAULTS, out: join(dir, 'x.png'), steps: 1 };
    await expect(train({ ...base, images: empty })).rejects.toThrow(`Expected a folder of images for --images but ${JSON.stringify(empty)} has none`);
    await expect(train({ ...base, images: join(dir, 'nope') })).rejects.toThrow(`Expected a folder of images for --images but received ${JSON.stringify(join(dir, 'nope'))}`);
    await expect(train({ ...base })).rejects.toThrow('Expected exactly one of --images or --pairs');
  });
});

describe('train --workers', () => {
  it('two threads share a batch and give the one-thread result (up to float rounding)', async () => {
    const imgs = join(dir, 'imgs-w');
    (await import('node:fs')).mkdirSync(imgs);
    const px = Buffer.alloc(40 * 40);
    for (let i = 0; i < px.length; i++) px[i] = Math.round(255 * (0.5 + 0.45 * Math.sin(i / 7)));
    await sharp(px, { raw: { width: 40, height: 40, channels: 1 } }).png().toFile(join(imgs, 'g.png'));
    const options = { ...TRAIN_DEFAULTS, images: imgs, steps: 3, batch: 4, patch: 32, lr: 0.01, every: 0, scales: [40], architecture: TINY, backend: 'wasm' as const };
    const one: number[] = [];
    const two: number[] = [];
    await train({ ...options, out: join(dir, 'w1.png') }, (p) => one.push(p.loss));
    await train({ ...options, out: join(dir, 'w2.png'), workers: 2 }, (p) => two.push(p.loss));
    for (let i = 0; i < one.length; i++) expect(two[i]).toBeCloseTo(one[i], 3);
  });
});

describe('train --resume', () => {
  it('continuing from a checkpoint gives the same weights as an unbroken run', async () => {
    const imgs = join(dir, 'imgs-r');
    (await import('node:fs')).mkdirSync(imgs);
    const px = Buffer.alloc(36 * 36);
    for (let i = 0; i < px.length; i++) px[i] = Math.round(255 * (0.5 + 0.4 * Math.cos(i / 5)));
    await sharp(px, { raw: { width: 36, height: 36, channels: 1 } }).png().toFile(join(imgs, 'g.png'));
    const options = { ...TRAIN_DEFAULTS, images: imgs, batch: 2, patch: 32, lr: 0.01, scales: [36], architecture: TINY, backend: 'wasm' as const };
    const { copyFileSync } = await import('node:fs');
    // Keep the step-2 checkpoint (weights + Adam moments) of an unbroken 4-step run.
    await train({ ...options, steps: 4, every: 2, out: join(dir, 'full.png') }, (p) => {
      if (p.step === 2) copyFileSync(join(dir, 'full.ckpt.png'), join(dir, 'half.ckpt.png'));
    });
    await train({ ...options, steps: 4, every: 0, out: join(dir, 'resumed.png'), resume: join(dir, 'half.ckpt.png') });
    const a = decodeModelPng(readFileSync(join(dir, 'full.png'))).tensors;
    const b = decodeModelPng(readFileSync(join(dir, 'resumed.png'))).tensors;
    expect(b.get('enc0a.w')).toEqual(a.get('enc0a.w'));
    expect(b.get('out.w')).toEqual(a.get('out.w'));
  });
});
