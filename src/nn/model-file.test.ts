/** The one model-file loader: every kind fails on a bad file with one clear error, and leaves no tensors behind. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AR_FILE, anyInitWeights, encodeArModel, loadArModel, type AnyArArchitecture } from '../sprite/ar.js';
import { PixelError } from '../pipeline/errors.js';
import { readModel, tensorSpecs, type Architecture } from './model.js';
import { loadModel, readModelFile, toTensors } from './model-file.js';
import { useBackend, type TF } from './tf.js';
import { encodeModelPng } from './weights-png.js';

const TINY: Architecture = { type: 'unet-residual', channels: [2, 4, 4] };
const GATED: AnyArArchitecture = { type: 'gated-pixelcnn', grid: 8, channels: 4, dilations: [1, 2, 4], mirror: true };
let tf: TF;
let dir: string;

/** A U-Net model file with every tensor, less those named in `drop`; `resize` gives one tensor the wrong length. */
function unetFile(name: string, drop: string[] = [], resize?: string): string {
  const tensors = tensorSpecs(TINY)
    .filter((s) => !drop.includes(s.name))
    .map((s) => {
      const n = s.shape.reduce((a, b) => a * b, 1) + (s.name === resize ? 1 : 0);
      return { name: s.name, shape: s.name === resize ? [n] : s.shape, data: new Float32Array(n).fill(0.25) };
    });
  const file = join(dir, name);
  writeFileSync(file, encodeModelPng({ architecture: TINY, binarizer: 'error-diffusion' }, tensors));
  return file;
}

function thrown(f: () => unknown): PixelError {
  try {
    f();
  } catch (error) {
    return error as PixelError;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  tf = (await useBackend('wasm')).tf;
  dir = mkdtempSync(join(tmpdir(), 'pixel-model-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading a model file', () => {
  it('loads a whole U-Net file into tensors the caller owns', () => {
    const before = tf.memory().numTensors;
    const loaded = readModel(tf, unetFile('whole.png'));
    expect(loaded.architecture).toEqual(TINY);
    expect([...loaded.weights.keys()]).toEqual(tensorSpecs(TINY).map((s) => s.name));
    expect(tf.memory().numTensors - before).toBe(tensorSpecs(TINY).length);
    for (const t of loaded.weights.values()) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails on a U-Net file missing a tensor with one clear error, and leaks no tensors', () => {
    const last = tensorSpecs(TINY).at(-1)!.name;
    const file = unetFile('missing.png', [last]);
    const before = tf.memory().numTensors;
    const e = thrown(() => readModel(tf, file));
    expect(e).toBeInstanceOf(PixelError);
    expect(e.code).toBe('E_INPUT');
    expect(e.file).toBe(file);
    expect(e.message).toBe(`Expected tensor ${last} in the model but ${file} has none`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails on a tensor of the wrong size before making any', () => {
    const file = unetFile('misshapen.png', [], 'dec0.w');
    const before = tf.memory().numTensors;
    expect(() => readModel(tf, file)).toThrow(`Expected tensor dec0.w of shape [3, 3, 4, 2] in the model but ${file} has 73 values`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says which kind a file holds when another is expected, both ways', () => {
    const sprite = join(dir, 'sprite.png');
    writeFileSync(sprite, encodeArModel(GATED, anyInitWeights(GATED, 1)));
    expect(() => readModel(tf, sprite)).toThrow(`Expected a unet binarizer model but ${sprite} holds "sprite-ar"`);
    const unet = unetFile('unet.png');
    expect(() => loadArModel(unet)).toThrow(`Expected an autoregressive sprite model (kind "sprite-ar") but ${unet} holds "a unet binarizer"`);
    expect(loadArModel(sprite).arch).toEqual(GATED);
  });

  it('fails on a sprite model missing a tensor', () => {
    const weights = anyInitWeights(GATED, 1);
    const gone = [...weights.keys()][3];
    weights.delete(gone);
    const file = join(dir, 'sprite-missing.png');
    const tensors = [...weights].map(([name, data]) => ({ name, shape: [data.length], data }));
    writeFileSync(file, encodeModelPng({ kind: 'sprite-ar', architecture: GATED }, tensors));
    expect(() => loadModel(file, AR_FILE)).toThrow(`Expected tensor ${gone} in the sprite model but ${file} has none`);
  });

  it('names an unreadable file without naming a flag', () => {
    const file = join(dir, 'none.png');
    const e = thrown(() => readModelFile(file, 'prompt model'));
    expect(e.message).toBe(`Expected a readable prompt model file but cannot read ${JSON.stringify(file)}`);
    expect(e.hint).toBe('Check the model path.');
  });

  it('disposes the tensors it made when making one fails', () => {
    const specs = [
      { name: 'a', shape: [2] },
      { name: 'b', shape: [3] },
    ];
    const before = tf.memory().numTensors;
    // 'b' has 2 values for shape [3]: tf.tensor throws after 'a' was made.
    expect(() => toTensors(tf, new Map([['a', new Float32Array(2)], ['b', new Float32Array(2)]]), specs)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
