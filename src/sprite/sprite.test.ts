import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../image/decode.js';
import { encodePng1 } from '../image/encode/png.js';
import { rng } from '../nn/data.js';
import { useBackend, type TF } from '../nn/tf.js';
import { binaryTensor } from '../pipeline/types.js';
import { spriteCommand, parseTemperatures } from '../cli/commands/sprite.js';
import { checkTemperature, completeSprites, cutFill, decodeArModel, encodeArModel, loadArModel, sampleSprites, scoreSprites } from './ar.js';
import { fitPositionBaseline, pngBpp, positionBaselineBpp } from './baseline.js';
import { expandPrompts, fitToGrid, loadSprites, promptOf, readAsSprite, splitSprites } from './data.js';
import { ArNet, arLogits, arTensorSpecs, disposeTfArModel, initArWeights, maskArray, tapVisible, tfArModel, type ArArchitecture } from './pixelcnn.js';
import { decodePromptModel, promptFeatures, promptSprite } from './prompt.js';
import { trainPrompt, PROMPT_TRAIN_DEFAULTS } from './prompt-train.js';
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
    const r = await trainAr({ ...AR_TRAIN_DEFAULTS, arch: 'pixelcnn', images: data, out, grid: G, channels: 6, blocks: 1, epochs: 12, batch: 8, lr: 0.02, command: 'test', backend: 'wasm' }, (p) => losses.push(p.loss));
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.6);
    expect(r.metrics.valBpp!).toBeLessThan(r.metrics.positionBaselineBpp! * 1.5);
    const model = loadArModel(out);
    const [frame, noise] = scoreSprites(model.net, [frameSprite(100), randomBits(3)]);
    expect(Number.isFinite(frame) && Number.isFinite(noise)).toBe(true);
    expect(frame).toBeLessThan(noise);
    expect(frame).toBeLessThan(0.5);
    expect(readFileSync(join(dir, 'ar.ckpt.png')).length).toBeGreaterThan(0);
    // One JSON line per epoch: training loss and held-out bits/px.
    const log = readFileSync(join(dir, 'ar.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toHaveLength(12);
    expect(log[11]).toMatchObject({ epoch: 12 });
    expect(Number.isFinite(log[11].valBpp) && Number.isFinite(log[11].trainBpp)).toBe(true);
  }, 60_000);

  it('trains the gated model on 3 sprites: one is held out, every figure is finite (no "0 bits/px, NaN")', async () => {
    const data = join(dir, 'three');
    mkdirSync(data);
    for (let i = 0; i < 3; i++) writeSprite(join(data, `f${i}.png`), frameSprite(i));
    const r = await trainAr({ ...AR_TRAIN_DEFAULTS, images: data, out: join(dir, 'three.png'), grid: G, channels: 4, epochs: 1, batch: 2, command: 'test', backend: 'wasm' });
    expect(r.metrics.valSprites).toBe(1);
    expect(r.metrics.trainSprites).toBe(2);
    for (const v of [r.metrics.valBpp, r.metrics.trainBpp, r.metrics.positionBaselineBpp, r.metrics.pngFileBpp]) expect(Number.isFinite(v) && v! > 0).toBe(true);
    expect(loadArModel(join(dir, 'three.png')).arch.type).toBe('gated-pixelcnn');
  }, 60_000);

  it('holds out exactly the sprites of a --holdout list', async () => {
    const data = join(dir, 'listed');
    mkdirSync(join(data, 'sub'), { recursive: true });
    for (let i = 0; i < 4; i++) writeSprite(join(data, 'sub', `f${i}.png`), frameSprite(i));
    const list = join(dir, 'held.txt');
    writeFileSync(list, '# held out\nsub/f1.png\nsub/f3.png\n');
    const r = await trainAr({ ...AR_TRAIN_DEFAULTS, images: data, holdout: list, out: join(dir, 'listed.png'), grid: G, channels: 4, epochs: 1, batch: 2, command: 'test', backend: 'wasm' });
    expect([r.metrics.trainSprites, r.metrics.valSprites]).toEqual([2, 2]);
  }, 60_000);
});

describe('prompt model', () => {
  it('hashes trigrams deterministically into an L2-normalised vector', () => {
    const a = promptFeatures('Heart', 64);
    expect(promptFeatures('heart', 64)).toEqual(a);
    expect(a.reduce((s, v) => s + v * v, 0)).toBeCloseTo(2, 6); // two L2-normalised halves: words, trigrams
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
    const r = await trainPrompt({ ...PROMPT_TRAIN_DEFAULTS, images: data, out, grid: G, hidden: 16, features: 64, steps: 150, batch: 3, lr: 0.02, command: 'test', backend: 'wasm' });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.metrics.trainPixelError).toBeLessThan(0.05);
    const m = decodePromptModel(readFileSync(out));
    expect(promptSprite(m, 'full')).toEqual(full);
    // Rephrasings read as the same words.
    expect(promptSprite(m, 'a picture of some fulls')).toEqual(full);
    expect(Number.isFinite(r.metrics.rephrasedPixelError)).toBe(true);
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
    writeSprite(big, new Uint8Array(100), 11, 11);
    const e = io();
    expect(await spriteCommand(['complete', big, '--model', model, '--cut', '3', '-o', 'big-done.png'], e.io, dir)).toBe(0);
    expect(e.o.err).toContain(`${big} is 11×11: fitted onto the 8×8 grid and binarized at 50 %`);
  });
});

describe('CLI habits and fixed bugs', () => {
  const io = () => {
    const o = { out: '', err: '' };
    return { o, io: { stdout: (s: string) => void (o.out += s), stderr: (s: string) => void (o.err += s) } as never };
  };
  const model = () => {
    const file = join(dir, 'habits-model.png');
    writeFileSync(file, encodeArModel(TINY, randomWeights(TINY, 9)));
    return file;
  };
  const pngSize = (file: string) => {
    const b = readFileSync(file);
    return [b.readUInt32BE(16), b.readUInt32BE(20)];
  };

  it('score pads sprites up to 2 px smaller (as training does), reports a bad file and scores the rest (exit 1)', async () => {
    const m = model();
    const set = join(dir, 'score-set');
    mkdirSync(set);
    writeSprite(join(set, 'a.png'), frameSprite(1));
    writeSprite(join(set, 'b-short.png'), frameSprite(2).subarray(0, G * (G - 1)), G, G - 1);
    writeSprite(join(set, 'c-huge.png'), new Uint8Array(400), 20, 20);
    const a = io();
    expect(await spriteCommand(['score', set, '--model', m, '--json'], a.io, dir)).toBe(1);
    const out = JSON.parse(a.o.out);
    expect(out.files.map((f: { file: string }) => f.file)).toEqual([join(set, 'a.png'), join(set, 'b-short.png')]);
    expect(out.failed).toBe(1);
    expect(a.o.err).toContain(`Expected a 8×8 sprite (or up to 2 px smaller) but ${JSON.stringify(join(set, 'c-huge.png'))} is 20×20`);
    // The padded sprite scores exactly as its padded bitmap.
    const padded = fitToGrid({ width: G, height: G - 1, bits: frameSprite(2).subarray(0, G * (G - 1)) }, G)!;
    expect(out.files[1].bitsPerPixel).toBeCloseTo(scoreSprites(loadArModel(m).net, [padded])[0], 4);
  });

  it('score marks the files on the model\'s held-out list', async () => {
    const mdir = join(dir, 'with-list');
    mkdirSync(join(mdir, 'icons'), { recursive: true });
    const file = join(mdir, 'm.png');
    writeFileSync(file, encodeArModel(TINY, randomWeights(TINY, 9), { training: { heldOut: { list: 'models/m-heldout.txt' } } }));
    writeFileSync(join(mdir, 'm-heldout.txt'), 'icons/x.png\n');
    writeSprite(join(mdir, 'icons', 'x.png'), frameSprite(3));
    writeSprite(join(mdir, 'icons', 'y.png'), frameSprite(4));
    const a = io();
    expect(await spriteCommand(['score', join(mdir, 'icons'), '--model', file], a.io, dir)).toBe(0);
    expect(a.o.out).toMatch(/x\.png {2}\(held out\)\n/);
    expect(a.o.out).not.toMatch(/y\.png {2}\(held out\)/);
  });

  it('eval: a table with the explain judge (pool, samples only, guided samples) and the baselines; JSON with per-icon errors', async () => {
    const m = model();
    const data = join(dir, 'eval-data');
    mkdirSync(data);
    for (const [i, name] of ['x', 'y', 'z', 'w'].entries()) writeSprite(join(data, `${name}.png`), frameSprite(10 + i));
    const list = join(dir, 'eval-heldout.txt');
    writeFileSync(list, 'x.png\ny.png\n');
    const a = io();
    const args = ['eval', '--model', m, '--images', data, '--holdout', list, '--samples', '2', '--proposals', '2', '--explain-samples', '3'];
    expect(await spriteCommand(args, a.io, dir)).toBe(0);
    expect(a.o.out).toContain('2 held-out icons (none of them or their relatives trained on), 2 training icons');
    expect(a.o.out).toMatch(/pixel error of the hidden part +explain +expl\.smp +guided +guid\.ref +ranked +sample +majority +blank +mirror +nearest icon/);
    expect(a.o.out).toMatch(/bottom half from the top half +(\d+\.\d %\s+){10}/);
    expect(a.o.out).toMatch(/central square from the rest +(\d+\.\d %\s+){8}– +\d+\.\d %/);
    const b = io();
    expect(await spriteCommand([...args, '--json'], b.io, dir)).toBe(0);
    const r = JSON.parse(b.o.out);
    expect(r).toMatchObject({ heldOut: 2, explainSamples: 3, lambda: 0.25 });
    expect(r.centre.perIcon.explainSamples).toHaveLength(2);
    expect(r.bottomHalf.perIcon.guided).toHaveLength(2);
    expect(r.bottomHalf.guided).toBeGreaterThanOrEqual(0);
    expect(r.bottomHalf.perIcon.guidedRefs).toHaveLength(2);
    expect(r.tuningHalf.filter(Boolean)).toHaveLength(1);
    expect(r.centre.guidedRefs).toBeGreaterThanOrEqual(0);
    // --sheet: a row per held-out icon: the icon, then for the bottom half guided-refs (what complete
    // draws by default), explain among samples and a sample, then the same three for the central square.
    const c = io();
    expect(await spriteCommand([...args, '--sheet', 'eval-sheet.png'], c.io, dir)).toBe(0);
    const sheet = await decodeImage(join(dir, 'eval-sheet.png'), { gray: true });
    const cell = G + 3; // a tile, its 1-px margin and the rule, before the ×3 upscale
    const tile = (row: number, col: number) => {
      const bits = new Uint8Array(G * G);
      for (let y = 0; y < G; y++) for (let x = 0; x < G; x++) bits[y * G + x] = sheet.data[((row * cell + 2 + y) * 3) * sheet.width + (col * cell + 2 + x) * 3] < 0.5 ? 1 : 0;
      return bits;
    };
    expect([sheet.width, sheet.height]).toEqual([(7 * cell + 1) * 3, (2 * cell + 1) * 3]);
    for (const row of [0, 1]) {
      const truth = tile(row, 0);
      const top = (b: Uint8Array) => [...b.subarray(0, (G / 2) * G)];
      // Every bottom-half completion keeps the top half exactly.
      for (const col of [1, 2, 3]) expect(top(tile(row, col)), `row ${row}, column ${col}`).toEqual(top(truth));
    }
  });

  it('sample: sheets wrap at --cols; the extension picks the format', async () => {
    const m = model();
    expect(await spriteCommand(['sample', '--model', m, '--count', '5', '--temperature', '1,1.2', '--cols', '2', '--scale', '1', '-o', 'wrap.png'], io().io, dir)).toBe(0);
    // 2 temperatures × ceil(5 / 2) rows, 2 columns; cells are grid + 2 with 1-px lines.
    expect(pngSize(join(dir, 'wrap.png'))).toEqual([2 * (G + 3) + 1, 6 * (G + 3) + 1]);
    expect(await spriteCommand(['sample', '--model', m, '--count', '2', '-o', 'wrap.gif'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'wrap.gif')).subarray(0, 6).toString()).toBe('GIF89a');
    await expect(spriteCommand(['sample', '--model', m, '-o', 'wrap.jpg'], io().io, dir)).rejects.toThrow('Expected an output file ending in one of .png, .pbm');
  });

  it('complete: several inputs × a temperature list in one sheet; masks use importance resampling', async () => {
    const m = model();
    const a = join(dir, 'in-a.png');
    const b = join(dir, 'in-b.png');
    writeSprite(a, frameSprite(5));
    writeSprite(b, frameSprite(6));
    const mask = join(dir, 'centre-mask.png');
    writeSprite(mask, Uint8Array.from({ length: N }, (_, i) => (i % G > 2 && i % G < 6 && i > 2 * G && i < 6 * G ? 1 : 0)));
    const r = io();
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--method', 'sample', '--temperature', '0.8,1', '--count', '3', '--scale', '1', '-o', 'multi.png'], r.io, dir)).toBe(0);
    expect(r.o.out).toContain('sampled 12 completions (16 proposals each)');
    expect(pngSize(join(dir, 'multi.png'))).toEqual([4 * (G + 3) + 1, 4 * (G + 3) + 1]);
    // rank: candidates from a folder of reference icons (and their mirrors), one row per input
    const refs = join(dir, 'refs');
    mkdirSync(refs, { recursive: true });
    writeSprite(join(refs, 'r5.png'), frameSprite(5));
    writeSprite(join(refs, 'r7.png'), frameSprite(7));
    const k = io();
    expect(await spriteCommand(['complete', a, b, '--model', m, '--cut', String(N / 2), '--method', 'rank', '--references', refs, '--count', '2', '--scale', '1', '-o', 'ranked.png'], k.io, dir)).toBe(0);
    expect(k.o.out).toMatch(/ranked \d+ candidates \(4 reference icons, 0 samples per input\)/);
    expect(pngSize(join(dir, 'ranked.png'))).toEqual([3 * (G + 3) + 1, 2 * (G + 3) + 1]);
    await expect(spriteCommand(['complete', a, '--model', m, '--cut', '3', '--method', 'beam'], io().io, dir)).rejects.toThrow('Unknown --method "beam"');
    // without reference icons rank is the default with --cut
    const k0 = io();
    expect(await spriteCommand(['complete', a, '--model', m, '--cut', String(N / 2), '--count', '2', '--scale', '1', '-o', 'ranked0.png'], k0.io, dir)).toBe(0);
    expect(k0.o.out).toMatch(/ranked \d+ candidates \(0 reference icons, 4 samples per input\)/);
    // a mask that keeps pixels after the hole, no references: explain is the default (samples and candidates judged in 8 orientations); same seed, same sheet
    const e = io();
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--samples', '6', '--count', '2', '--scale', '1', '-o', 'explained0.png'], e.io, dir)).toBe(0);
    expect(e.o.out).toMatch(/judged \d+ candidates \(0 reference icons, 6 samples per input\)/);
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--method', 'explain', '--samples', '6', '--count', '2', '--scale', '1', '-o', 'explained1.png'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'explained1.png'))).toEqual(readFileSync(join(dir, 'explained0.png')));
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--method', 'explain', '--references', refs, '--samples', '6', '--count', '2', '--scale', '1', '-o', 'explained.png'], e.io, dir)).toBe(0);
    expect(e.o.out).toMatch(/judged \d+ candidates \(4 reference icons, 6 samples per input\)/);
    expect(pngSize(join(dir, 'explained.png'))).toEqual([3 * (G + 3) + 1, 2 * (G + 3) + 1]);
    const first = readFileSync(join(dir, 'explained.png'));
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--method', 'explain', '--references', refs, '--samples', '6', '--count', '2', '--scale', '1', '-o', 'explained.png'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'explained.png'))).toEqual(first);
    // explain draws plain samples (its judge does what importance resampling would): --proposals 1 is the default
    expect(await spriteCommand(['complete', a, b, '--model', m, '--mask', mask, '--method', 'explain', '--proposals', '1', '--references', refs, '--samples', '6', '--count', '2', '--scale', '1', '-o', 'explained.png'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'explained.png'))).toEqual(first);
    // guided: samples only (no references needed), model × symmetry expert, judged like explain; deterministic; no importance resampling
    const gd = io();
    expect(await spriteCommand(['complete', a, b, '--model', m, '--cut', String(N / 2), '--method', 'guided', '--samples', '5', '--count', '2', '--scale', '1', '-o', 'guided.png'], gd.io, dir)).toBe(0);
    expect(gd.o.out).toMatch(/judged \d+ candidates \(0 reference icons, 5 samples per input\)/);
    expect(pngSize(join(dir, 'guided.png'))).toEqual([3 * (G + 3) + 1, 2 * (G + 3) + 1]);
    const guided = readFileSync(join(dir, 'guided.png'));
    expect(await spriteCommand(['complete', a, b, '--model', m, '--cut', String(N / 2), '--method', 'guided', '--samples', '5', '--count', '2', '--scale', '1', '-o', 'guided.png'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'guided.png'))).toEqual(guided);
    await expect(spriteCommand(['complete', a, '--model', m, '--mask', mask, '--method', 'guided', '--proposals', '4'], io().io, dir)).rejects.toThrow('--proposals is not available with --method guided');
    // guided-refs: guided samples that also lean towards the nearest reference icons; needs references; deterministic; not the same as guided
    const gr = io();
    const refArgs = ['complete', a, b, '--model', m, '--cut', String(N / 2), '--method', 'guided-refs', '--references', refs, '--samples', '5', '--count', '2', '--scale', '1', '-o', 'guided-refs.png'];
    expect(await spriteCommand(refArgs, gr.io, dir)).toBe(0);
    expect(gr.o.out).toMatch(/judged \d+ candidates \(4 reference icons, 5 samples per input\)/);
    const withRefs = readFileSync(join(dir, 'guided-refs.png'));
    expect(await spriteCommand(refArgs, io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'guided-refs.png'))).toEqual(withRefs);
    // with reference icons it is the default, for --cut and for a mask alike
    expect(await spriteCommand(refArgs.filter((x, i) => x !== 'guided-refs' && refArgs[i + 1] !== 'guided-refs'), io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'guided-refs.png'))).toEqual(withRefs);
    const gm = io();
    expect(await spriteCommand(['complete', a, '--model', m, '--mask', mask, '--references', refs, '--samples', '5', '-o', 'guided-refs-mask.png'], gm.io, dir)).toBe(0);
    expect(gm.o.out).toMatch(/judged [1-5] candidates \(4 reference icons, 5 samples per input\)/);
    expect(await spriteCommand(['complete', a, '--model', m, '--mask', mask, '--method', 'guided-refs', '--references', refs, '--samples', '5', '-o', 'guided-refs-mask2.png'], io().io, dir)).toBe(0);
    expect(readFileSync(join(dir, 'guided-refs-mask2.png'))).toEqual(readFileSync(join(dir, 'guided-refs-mask.png')));
    expect(withRefs).not.toEqual(guided);
    await expect(spriteCommand(['complete', a, '--model', m, '--cut', String(N / 2), '--method', 'guided-refs'], io().io, dir)).rejects.toThrow('--method guided-refs needs reference icons');
    await expect(spriteCommand(['complete', a, '--model', m, '--mask', mask, '--method', 'guided-refs', '--references', refs, '--proposals', '4'], io().io, dir)).rejects.toThrow('--proposals is not available with --method guided-refs');
  });

  it('prompt --train takes --grid and --epochs and a validation folder; prompts come from .txt files too', async () => {
    const data = join(dir, 'prompt-data');
    const val = join(dir, 'prompt-val');
    mkdirSync(data);
    mkdirSync(val);
    writeSprite(join(data, 'box.png'), frameSprite(1));
    writeSprite(join(data, 'full.png'), new Uint8Array(N).fill(1));
    writeSprite(join(val, 'boxes.png'), frameSprite(1));
    const r = io();
    expect(await spriteCommand(['prompt', '--train', data, '--val', val, '--grid', String(G), '--epochs', '3', '--hidden', '8', '-o', 'p.png'], r.io, dir)).toBe(0);
    expect(r.o.out).toMatch(/--val \d+\.\d\d%/);
    expect(readFileSync(join(dir, 'p.log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    await expect(spriteCommand(['prompt', '--train', data, '--epochs', '2', '--steps', '5'], io().io, dir)).rejects.toThrow('Expected --epochs or --steps');
    writeFileSync(join(dir, 'prompts.txt'), '# my prompts\nbox\n\nfull\na box\n');
    const q = io();
    expect(await spriteCommand(['prompt', 'prompts.txt', 'full', '--model', join(dir, 'p.png'), '--cols', '2', '--scale', '1', '-o', 'ps.png'], q.io, dir)).toBe(0);
    expect(q.o.out).toContain('1.1  box\n1.2  full\n2.1  a box\n2.2  full');
    expect(pngSize(join(dir, 'ps.png'))).toEqual([2 * (G + 3) + 1, 2 * (G + 3) + 1]);
  }, 60_000);

  it('| head -1 on score ends quietly (no EPIPE crash)', async () => {
    const { spawn } = await import('node:child_process');
    const m = model();
    const set = join(dir, 'many');
    mkdirSync(set);
    for (let i = 0; i < 40; i++) writeSprite(join(set, `s${i}.png`), frameSprite(i));
    const bin = join(process.cwd(), 'bin', 'pixel.js');
    const child = spawn(process.execPath, [bin, 'sprite', 'score', set, '--model', m], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

describe('data helpers', () => {
  it('fits any image onto the grid: a 2× drawing comes back exactly', async () => {
    const small = frameSprite(7);
    const big = new Uint8Array(4 * N);
    for (let y = 0; y < 2 * G; y++) for (let x = 0; x < 2 * G; x++) big[y * 2 * G + x] = small[(y >> 1) * G + (x >> 1)];
    const file = join(dir, 'big2x.png');
    writeSprite(file, big, 2 * G, 2 * G);
    const r = await readAsSprite(file, G);
    expect(r.how).toBe('resized');
    expect(r.bits).toEqual(small);
  });
  it('reads prompts from .txt files, skipping blank lines and comments', () => {
    expect(expandPrompts(['cat', 'list.txt'], () => 'heart\n\n# no\n a house # yes\n')).toEqual(['cat', 'heart', 'a house']);
    expect(() => expandPrompts(['missing.txt'], () => {
      throw new Error('ENOENT');
    })).toThrow('Expected a readable prompt file but cannot read "missing.txt"');
  });
  it('a seeded split holds out at least one of three sprites', () => {
    const { train, val } = splitSprites([1, 2, 3], 0.1, rng(1));
    expect(val).toHaveLength(1);
    expect(train).toHaveLength(2);
    expect(splitSprites([1, 2, 3], 0, rng(1)).val).toHaveLength(0);
  });
});
