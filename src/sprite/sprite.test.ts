import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng1 } from '../image/encode/png.js';
import { rng } from '../nn/data.js';
import { useBackend, type TF } from '../nn/tf.js';
import { binaryTensor } from '../pipeline/types.js';
import { spriteCommand, parseTemperatures } from '../cli/commands/sprite.js';
import { checkTemperature, completeSprites, cutFill, decodeArModel, encodeArModel, loadArModel, sampleSprites, scoreSprites } from './ar.js';
import { fitPositionBaseline, pngBpp, positionBaselineBpp } from './baseline.js';
import { fitToGrid, loadSprites, promptOf } from './data.js';
import { ArNet, arLogits, arTensorSpecs, disposeTfArModel, initArWeights, maskArray, tapVisible, tfArModel, type ArArchitecture } from './pixelcnn.js';
import { decodePromptModel, promptFeatures, promptSprite, trainPrompt, PROMPT_TRAIN_DEFAULTS } from './prompt.js';
import { trainAr, AR_TRAIN_DEFAULTS } from './train.js';

const TINY: ArArchitecture = { type: 'pixelcnn', grid: 8, channels: 6, blocks: 2, firstKernel: 7, kernel: 3 };
const G = TINY.grid;
const N = G * G;
let tf: TF;
let dir: string;

/** Random weights, larger than the init so every tap matters. */
function randomWeights(arch: ArArchitecture, seed: number): Map<string, Float32Array> {
  const w = initArWeights(arch, seed);
  const next = rng(seed + 99);
  for (const [k, v] of w) if (k.endsWith('.b')) for (let i = 0; i < v.length; i++) v[i] = (next() - 0.5) * 0.5;
  return w;
}

function randomBits(seed: number, density = 0.5): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: N }, () => (next() < density ? 1 : 0));
}

/** Logits at every position with all pixels known (teacher forcing), from the JS path. */
function jsLogits(net: ArNet, bits: Uint8Array): Float64Array {
  const out = new Float64Array(N);
  net.run(1, bits.slice(), (p, l) => {
    out[p] = l[0];
  });
  return out;
}

/** A "training-like" sprite: an ink frame with one random inner dot. */
function frameSprite(seed: number): Uint8Array {
  const next = rng(seed);
  const b = new Uint8Array(N);
  for (let i = 0; i < G; i++) b[i] = b[(G - 1) * G + i] = b[i * G] = b[i * G + G - 1] = 1;
  b[(2 + Math.floor(next() * 4)) * G + 2 + Math.floor(next() * 4)] = 1;
  return b;
}

function writeSprite(file: string, bits: Uint8Array, w = G, h = G): void {
  const t = binaryTensor(w, h);
  for (let i = 0; i < w * h; i++) t.data[i] = bits[i] ? 0 : 1;
  writeFileSync(file, encodePng1(t));
}

beforeAll(async () => {
  tf = (await useBackend('wasm')).tf;
  dir = mkdtempSync(join(tmpdir(), 'pixel-sprite-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('masks', () => {
  it('mask A excludes the centre, mask B includes it, both exclude everything after it', () => {
    expect(tapVisible(1, 1, 3, 'A')).toBe(false);
    expect(tapVisible(1, 1, 3, 'B')).toBe(true);
    expect(tapVisible(1, 2, 3, 'B')).toBe(false);
    expect(tapVisible(2, 0, 3, 'B')).toBe(false);
    expect(tapVisible(0, 2, 3, 'A')).toBe(true);
    const m = maskArray(7, 4, 2, 'A', 1);
    // centre tap: ink channel masked, aux channels open
    const centre = (3 * 7 + 3) * 4 * 2;
    expect([...m.subarray(centre, centre + 8)]).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
  });
});

describe('causality (numerical)', () => {
  it('changing pixel q never changes the probability of any pixel at or before q (JS inference)', () => {
    const net = new ArNet(TINY, randomWeights(TINY, 3));
    const base = randomBits(5);
    const ref = jsLogits(net, base);
    let laterChanged = 0;
    for (let q = 0; q < N; q++) {
      const flipped = base.slice();
      flipped[q] ^= 1;
      const l = jsLogits(net, flipped);
      for (let p = 0; p <= q; p++) expect(l[p]).toBe(ref[p]);
      for (let p = q + 1; p < N; p++) if (l[p] !== ref[p]) laterChanged++;
    }
    expect(laterChanged).toBeGreaterThan(N); // the test is sensitive: later pixels do depend on earlier ones
  });

  it('the tfjs training graph is causal too and agrees with the JS inference', () => {
    const w = randomWeights(TINY, 4);
    const model = tfArModel(tf, TINY, w);
    const net = new ArNet(TINY, w);
    const base = randomBits(6);
    const before = tf.memory().numTensors;
    const run = (bits: Uint8Array) => tf.tidy(() => arLogits(tf, model, tf.tensor4d(Float32Array.from(bits), [1, G, G, 1])).dataSync() as Float32Array);
    const ref = run(base);
    const js = jsLogits(net, base);
    for (let p = 0; p < N; p++) expect(Math.abs(ref[p] - js[p])).toBeLessThan(1e-4);
    for (const q of [0, 9, 27, 40, 63]) {
      const flipped = base.slice();
      flipped[q] ^= 1;
      const l = run(flipped);
      for (let p = 0; p <= q; p++) expect(Math.abs(l[p] - ref[p])).toBeLessThan(1e-6);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeTfArModel(model);
  });
});

describe('sampling and completion', () => {
  const net = new ArNet(TINY, randomWeights(TINY, 7));
  it('is deterministic for a seed and differs across seeds', () => {
    const a = sampleSprites(net, { count: 3, temperature: 1, seed: 1 });
    const b = sampleSprites(net, { count: 3, temperature: 1, seed: 1 });
    const c = sampleSprites(net, { count: 3, temperature: 1, seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const s of a) expect(s.every((v) => v === 0 || v === 1)).toBe(true);
  });
  it('--cut keeps the prefix exactly', () => {
    const known = randomBits(11);
    for (const cut of [0, 1, 20, 37, N]) {
      for (const s of completeSprites(net, known, cutFill(G, cut), { count: 4, temperature: 1.3, seed: 5 })) expect([...s.subarray(0, cut)]).toEqual([...known.subarray(0, cut)]);
    }
    expect(completeSprites(net, known, cutFill(G, N), { count: 1, temperature: 1, seed: 1 })[0]).toEqual(known);
  });
  it('--mask keeps every unmasked pixel exactly', () => {
    const known = randomBits(12);
    const fill = new Uint8Array(N);
    for (let y = 2; y < 5; y++) for (let x = 3; x < 7; x++) fill[y * G + x] = 1;
    for (const s of completeSprites(net, known, fill, { count: 4, temperature: 2, seed: 3 })) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
  });
  it('rejects temperatures <= 0 and bad cuts', () => {
    expect(() => checkTemperature(0)).toThrow('Expected a temperature above 0 for --temperature but received 0');
    expect(() => sampleSprites(net, { count: 1, temperature: -1, seed: 1 })).toThrow('Expected a temperature above 0');
    expect(() => parseTemperatures('0.9,0')).toThrow('Expected temperatures above 0 for --temperature but received "0.9,0"');
    expect(() => parseTemperatures('1,,2')).toThrow('Expected temperatures above 0');
    expect(parseTemperatures('0.9,1.0,1.1')).toEqual([0.9, 1, 1.1]);
    expect(() => cutFill(G, N + 1)).toThrow(`Expected a whole number between 0 and ${N} for --cut but received ${N + 1}`);
  });
});

describe('model file', () => {
  it('round-trips bit-exactly', () => {
    const w = randomWeights(TINY, 8);
    const bytes = encodeArModel(TINY, w, { note: 'test' });
    const m = decodeArModel(bytes);
    expect(m.arch).toEqual(TINY);
    for (const s of arTensorSpecs(TINY)) expect(Buffer.from(m.weights.get(s.name)!.buffer).equals(Buffer.from(w.get(s.name)!.buffer))).toBe(true);
    expect(encodeArModel(m.arch, m.weights, { note: 'test' }).equals(bytes)).toBe(true);
  });
  it('rejects another kind of model clearly', () => {
    const bytes = encodeArModel(TINY, randomWeights(TINY, 1));
    expect(() => decodePromptModel(bytes, 'x.png')).toThrow('Expected a prompt-to-sprite model (kind "sprite-prompt") but x.png holds "sprite-ar"');
  });
});

describe('data', () => {
  it('derives prompts from file names', () => {
    expect(promptOf('/a/solid__heart-box.png')).toBe('solid heart box');
    expect(promptOf('/a/regular__ad.png')).toBe('ad');
    expect(promptOf('/a/arrow_left.png')).toBe('arrow left');
  });
  it('pads sprites up to 2 px smaller and refuses others', () => {
    const bits = new Uint8Array(8 * 7).fill(1);
    const padded = fitToGrid({ width: 8, height: 7, bits }, 8)!;
    expect(padded.slice(0, 56)).toEqual(bits); // centred: offset (8 − 7) >> 1 = 0 rows
    expect(padded.slice(56)).toEqual(new Uint8Array(8)); // the added row is paper
    expect(fitToGrid({ width: 9, height: 8, bits: new Uint8Array(72) }, 8)).toBeUndefined();
    expect(fitToGrid({ width: 4, height: 4, bits: new Uint8Array(16) }, 8)).toBeUndefined();
  });
  it('gives clear errors for empty folders and wrong sizes', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadSprites(empty, 8)).rejects.toThrow(`Expected a folder of sprites for --images but ${JSON.stringify(empty)} has no images`);
    const wrong = join(dir, 'wrong');
    mkdirSync(wrong);
    writeSprite(join(wrong, 'a.png'), new Uint8Array(256), 16, 16);
    const warnings: string[] = [];
    await expect(loadSprites(wrong, 8, (m) => warnings.push(m))).rejects.toThrow(`Expected 8×8 sprites for --images but none of the 1 image(s) in ${JSON.stringify(wrong)} has that size`);
    expect(warnings[0]).toBe('skipped 1 image(s) that are not 8×8 (sprites are never resized): a.png (16×16)');
  });
});

describe('baselines', () => {
  it('per-position Bernoulli and PNG sizes are finite and sensible', () => {
    const sprites = Array.from({ length: 10 }, (_, i) => frameSprite(i));
    const p = fitPositionBaseline(sprites, N);
    const bpp = positionBaselineBpp(p, sprites);
    expect(bpp).toBeGreaterThan(0);
    expect(bpp).toBeLessThan(0.5);
    expect(positionBaselineBpp(p, [randomBits(1)])).toBeGreaterThan(1);
    const png = pngBpp(sprites, G);
    expect(png.file).toBeGreaterThan(png.idat);
  });
});

describe('training (tiny)', () => {
  it('trains, writes a model whose scores are finite and lower for training-like sprites than for noise, and leaks no tensors', async () => {
    const data = join(dir, 'frames');
    mkdirSync(data);
    for (let i = 0; i < 24; i++) writeSprite(join(data, `frame-${i}.png`), frameSprite(i));
    const out = join(dir, 'ar.png');
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const r = await trainAr({ ...AR_TRAIN_DEFAULTS, images: data, out, grid: G, channels: 6, blocks: 1, epochs: 12, batch: 8, lr: 0.02, command: 'test', backend: 'wasm' }, (p) => losses.push(p.loss));
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.6);
    expect(r.metrics.valBpp).toBeLessThan(r.metrics.positionBaselineBpp * 1.5);
    const model = loadArModel(out);
    const [frame, noise] = scoreSprites(model.net, [frameSprite(100), randomBits(3)]);
    expect(Number.isFinite(frame) && Number.isFinite(noise)).toBe(true);
    expect(frame).toBeLessThan(noise);
    expect(frame).toBeLessThan(0.5);
    expect(readFileSync(join(dir, 'ar.ckpt.png')).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('prompt model', () => {
  it('hashes trigrams deterministically into an L2-normalised vector', () => {
    const a = promptFeatures('Heart', 64);
    expect(promptFeatures('heart', 64)).toEqual(a);
    expect(a.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 6);
    expect(promptFeatures('', 64).every((v) => v === 0)).toBe(true);
  });
  it('trains a few steps, recalls its icons better than chance, round-trips, leaks nothing', async () => {
    const data = join(dir, 'named');
    mkdirSync(data);
    const full = new Uint8Array(N).fill(1);
    const left = Uint8Array.from({ length: N }, (_, i) => (i % G < G / 2 ? 1 : 0));
    writeSprite(join(data, 'box.png'), frameSprite(1));
    writeSprite(join(data, 'full.png'), full);
    writeSprite(join(data, 'left.png'), left);
    const out = join(dir, 'prompt.png');
    const before = tf.memory().numTensors;
    const r = await trainPrompt({ ...PROMPT_TRAIN_DEFAULTS, images: data, out, grid: G, hidden: 16, features: 32, steps: 150, batch: 3, lr: 0.02, command: 'test', backend: 'wasm' });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.metrics.trainPixelError).toBeLessThan(0.05);
    const m = decodePromptModel(readFileSync(out));
    expect(promptSprite(m, 'full')).toEqual(full);
    expect(() => promptSprite(m, '!!')).toThrow('Expected a prompt with letters or digits but received "!!"');
  }, 60_000);
});

describe('CLI', () => {
  const io = () => {
    const o = { out: '', err: '' };
    return { o, io: { stdout: (s: string) => void (o.out += s), stderr: (s: string) => void (o.err += s) } as never };
  };
  it('samples a sheet, completes with --cut and scores, with a given model', async () => {
    const model = join(dir, 'cli-model.png');
    writeFileSync(model, encodeArModel(TINY, randomWeights(TINY, 9)));
    const a = io();
    expect(await spriteCommand(['sample', '--model', model, '--count', '3', '--temperature', '0.9,1.1', '-o', 'sheet.png', '--scale', '2'], a.io, dir)).toBe(0);
    expect(a.o.out).toMatch(/sampled 6 sprites .* ms per sprite/);
    const input = join(dir, 'in.png');
    writeSprite(input, randomBits(4));
    const b = io();
    expect(await spriteCommand(['complete', input, '--model', model, '--cut', '30', '--count', '2', '-o', 'done.png'], b.io, dir)).toBe(0);
    const c = io();
    expect(await spriteCommand(['score', input, '--model', model, '--json'], c.io, dir)).toBe(0);
    expect(Number.isFinite(JSON.parse(c.o.out).mean)).toBe(true);
    const d = io();
    expect(await spriteCommand(['info', model], d.io, dir)).toBe(0);
    expect(JSON.parse(d.o.out)).toMatchObject({ kind: 'sprite-ar', architecture: TINY });
    await expect(spriteCommand(['sample', '--model', model, '--temperature', '0'], io().io, dir)).rejects.toThrow('Expected temperatures above 0');
    const big = join(dir, 'big.png');
    writeSprite(big, new Uint8Array(100), 10, 10);
    await expect(spriteCommand(['complete', big, '--model', model, '--cut', '3'], io().io, dir)).rejects.toThrow(`Expected a 8×8 sprite for pixel sprite complete but ${JSON.stringify(big)} is 10×10`);
  });
});
