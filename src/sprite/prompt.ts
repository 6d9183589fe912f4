/**
 * Prompt → sprite (the idea of the PixelModel project): a bag of hashed
 * character trigrams of the prompt (each word padded with '#', FNV-1a hash
 * into `features` buckets, L2-normalised: unseen words still share trigrams
 * with seen ones) → one hidden ReLU layer → grid² logits → a hard 0.5
 * threshold. Training uses the straight-through estimator (Bengio, Léonard &
 * Courville 2013): the forward pass sees the hard 0/1 sprite, the backward
 * pass treats the threshold as identity; its MSE is added to the usual
 * cross-entropy of the probabilities, which gives the gradient direction
 * while nothing is thresholded yet. Weights live in a PNG (weights-png.ts).
 */
import { readFileSync } from 'node:fs';
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { writeFileAtomic } from '../files/atomic.js';
import { rng } from '../nn/data.js';
import { useBackend, type BackendName } from '../nn/tf.js';
import { decodeModelPng, encodeModelPng, type ModelHeader } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { loadSprites, normalizePrompt } from './data.js';
import { dataLabel } from '../files/data-label.js';

export const PROMPT_KIND = 'sprite-prompt';

export interface PromptArchitecture {
  type: 'trigram-mlp';
  grid: number;
  features: number;
  hidden: number;
}

export const DEFAULT_PROMPT: PromptArchitecture = { type: 'trigram-mlp', grid: 24, features: 256, hidden: 160 };

const specs = (a: PromptArchitecture) => [
  { name: 'hidden.w', shape: [a.features, a.hidden] },
  { name: 'hidden.b', shape: [a.hidden] },
  { name: 'out.w', shape: [a.hidden, a.grid * a.grid] },
  { name: 'out.b', shape: [a.grid * a.grid] },
];

/** FNV-1a 32-bit (Fowler, Noll, Vo). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hashed, L2-normalised character-trigram counts of a prompt. */
export function promptFeatures(text: string, features: number, out = new Float32Array(features)): Float32Array {
  out.fill(0);
  for (const word of normalizePrompt(text).split(' ')) {
    if (!word) continue;
    const w = `#${word}#`;
    for (let i = 0; i + 3 <= w.length; i++) out[fnv1a(w.slice(i, i + 3)) % features] += 1;
  }
  let norm = 0;
  for (let i = 0; i < features; i++) norm += out[i] * out[i];
  if (norm > 0) for (let i = 0, s = 1 / Math.sqrt(norm); i < features; i++) out[i] *= s;
  return out;
}

export interface PromptModel {
  header: ModelHeader;
  arch: PromptArchitecture;
  weights: Map<string, Float32Array>;
}

export function decodePromptModel(bytes: Uint8Array, file?: string): PromptModel {
  const { header, tensors } = decodeModelPng(bytes, file);
  if (header.kind !== PROMPT_KIND)
    throw new PixelError('E_INPUT', `Expected a prompt-to-sprite model (kind "${PROMPT_KIND}") but ${file ?? 'the file'} holds ${JSON.stringify(header.kind ?? 'a unet binarizer')}`, {
      file,
      hint: 'Train one with `pixel sprite prompt --train <dir>`, or use models/sprite-prompt.png',
    });
  const arch = header.architecture as PromptArchitecture;
  const weights = new Map<string, Float32Array>();
  for (const s of specs(arch)) {
    const t = tensors.get(s.name);
    if (!t) throw new PixelError('E_INPUT', `Expected tensor ${s.name} in the prompt model but ${file ?? 'the file'} has none`, { file });
    weights.set(s.name, t.slice());
  }
  return { header, arch, weights };
}

export function loadPromptModel(file: string): PromptModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new PixelError('E_INPUT', `Expected a readable prompt model but cannot read ${JSON.stringify(file)}`, { file, hint: 'Check the --model path' });
  }
  return decodePromptModel(bytes, file);
}

/** P(ink) per pixel for a prompt (plain JS: one small matrix-vector product per layer). */
export function promptProbabilities(model: PromptModel, text: string): Float32Array {
  const { arch, weights } = model;
  const x = promptFeatures(text, arch.features);
  const H = arch.hidden;
  const n = arch.grid * arch.grid;
  const w1 = weights.get('hidden.w')!;
  const h = Float64Array.from(weights.get('hidden.b')!);
  for (let f = 0; f < arch.features; f++) {
    const v = x[f];
    if (v === 0) continue;
    for (let j = 0; j < H; j++) h[j] += v * w1[f * H + j];
  }
  const w2 = weights.get('out.w')!;
  const z = Float64Array.from(weights.get('out.b')!);
  for (let j = 0; j < H; j++) {
    const v = h[j];
    if (v <= 0) continue;
    for (let i = 0; i < n; i++) z[i] += v * w2[j * n + i];
  }
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = 1 / (1 + Math.exp(-z[i]));
  return p;
}

/** The sprite for a prompt: ink where P(ink) > 0.5 (the forward pass of the straight-through threshold). */
export function promptSprite(model: PromptModel, text: string): Uint8Array {
  if (!normalizePrompt(text)) throw new PixelError('E_USAGE', `Expected a prompt with letters or digits but received ${JSON.stringify(text)}`, { hint: 'e.g. pixel sprite prompt "heart"' });
  const p = promptProbabilities(model, text);
  return Uint8Array.from(p, (v) => (v > 0.5 ? 1 : 0));
}

export interface PromptTrainOptions {
  images: string;
  out: string;
  grid: number;
  hidden: number;
  features: number;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  backend: BackendName;
  command: string;
}

export const PROMPT_TRAIN_DEFAULTS = { grid: 24, hidden: 160, features: 256, steps: 4000, batch: 128, lr: 0.003, seed: 1, backend: 'auto' as BackendName };

export interface PromptMetrics {
  pairs: number;
  distinctPrompts: number;
  /** Fraction of training pixels the thresholded output gets wrong. */
  trainPixelError: number;
  /** Fraction of training icons reproduced exactly. */
  trainExact: number;
  /** Pixel error of the best possible answer for prompts shared by several icons (the per-pixel majority). */
  duplicateFloor: number;
}

export async function trainPrompt(o: PromptTrainOptions, onProgress: (p: { step: number; steps: number; loss: number; pixelError: number }) => void = () => {}, warn: (m: string) => void = () => {}): Promise<{ metrics: PromptMetrics; seconds: number; backend: string }> {
  const sprites = await loadSprites(o.images, o.grid, warn);
  const arch: PromptArchitecture = { type: 'trigram-mlp', grid: o.grid, features: o.features, hidden: o.hidden };
  const n = o.grid * o.grid;
  const N = sprites.length;
  const X = new Float32Array(N * o.features);
  const Y = new Float32Array(N * n);
  sprites.forEach((s, i) => {
    promptFeatures(s.name, o.features, X.subarray(i * o.features, (i + 1) * o.features));
    Y.set(s.bits, i * n);
  });
  const { tf, backend } = await useBackend(o.backend);
  const next = rng(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
  const vars = new Map<string, Variable>();
  for (const s of specs(arch)) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (s.name.endsWith('.w')) for (let i = 0; i < size; i++) data[i] = gauss() * Math.sqrt(2 / s.shape[0]);
    const init = tf.tensor(data, s.shape);
    vars.set(s.name, tf.variable(init, true, `prompt.${s.name}.${Math.random().toString(36).slice(2)}`));
    init.dispose();
  }
  const xs = tf.tensor2d(X, [N, o.features]);
  const ys = tf.tensor2d(Y, [N, n]);
  const optimizer = tf.train.adam(o.lr);
  const forward = (x: Tensor2D): Tensor2D => {
    const h = tf.relu(tf.add(tf.matMul(x, vars.get('hidden.w') as Tensor2D), vars.get('hidden.b')!)) as Tensor2D;
    return tf.add(tf.matMul(h, vars.get('out.w') as Tensor2D), vars.get('out.b')!) as Tensor2D;
  };
  // Straight-through threshold: forward hard(p > 0.5), backward identity.
  const straightThrough = tf.customGrad(((p: Tensor, save: (t: Tensor[]) => void) => {
    save([]);
    return { value: tf.cast(tf.greater(p, 0.5), 'float32'), gradFunc: (dy: Tensor) => dy };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (p: Tensor) => Tensor;
  const began = performance.now();
  const batch = Math.min(o.batch, N);
  const idx = new Int32Array(batch);
  let lastLoss = NaN;
  try {
    for (let step = 0; step < o.steps; step++) {
      for (let b = 0; b < batch; b++) idx[b] = Math.floor(next() * N);
      // Cosine decay to 5 %.
      (optimizer as unknown as { learningRate: number }).learningRate = o.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps)));
      const loss = tf.tidy(() => {
        const ii = tf.tensor1d(idx, 'int32');
        const x = tf.gather(xs, ii) as Tensor2D;
        const y = tf.gather(ys, ii) as Tensor2D;
        const value = optimizer.minimize(() => {
          const z = forward(x);
          const p = tf.sigmoid(z);
          const hard = straightThrough(p);
          const sp = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
          const bce = tf.mean(tf.sub(sp, tf.mul(y, z)));
          return tf.add(bce, tf.mean(tf.square(tf.sub(hard, y)))) as import('@tensorflow/tfjs').Scalar;
        }, true);
        return value!.dataSync()[0];
      });
      lastLoss = loss;
      if (!Number.isFinite(loss)) throw new PixelError('E_INTERNAL', `Training diverged at step ${step + 1} (loss ${loss})`, { hint: 'Lower --lr' });
      if ((step + 1) % 250 === 0 || step + 1 === o.steps) {
        const err = tf.tidy(() => tf.mean(tf.notEqual(tf.cast(tf.greater(forward(xs), 0), 'float32'), ys).asType('float32')).dataSync()[0]);
        onProgress({ step: step + 1, steps: o.steps, loss, pixelError: err });
      }
    }
    const weights = new Map([...vars].map(([k, v]) => [k, v.dataSync() as Float32Array]));
    const seconds = (performance.now() - began) / 1000;
    const model: PromptModel = { header: {} as ModelHeader, arch, weights };
    // Metrics from the JS path the CLI uses.
    let wrong = 0;
    let exact = 0;
    const groups = new Map<string, number[]>();
    sprites.forEach((s, i) => {
      const out = promptSprite(model, s.name);
      let w = 0;
      for (let p = 0; p < n; p++) if (out[p] !== s.bits[p]) w++;
      wrong += w;
      if (w === 0) exact++;
      groups.set(s.name, [...(groups.get(s.name) ?? []), i]);
    });
    // The floor that duplicate prompts impose: the per-pixel majority of the icons sharing a name.
    let floor = 0;
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      for (let p = 0; p < n; p++) {
        let ink = 0;
        for (const m of members) ink += sprites[m].bits[p];
        floor += Math.min(ink, members.length - ink);
      }
    }
    const metrics: PromptMetrics = {
      pairs: N,
      distinctPrompts: groups.size,
      trainPixelError: Number((wrong / (N * n)).toFixed(5)),
      trainExact: Number((exact / N).toFixed(4)),
      duplicateFloor: Number((floor / (N * n)).toFixed(5)),
    };
    const header = {
      kind: PROMPT_KIND,
      architecture: arch,
      parameters: specs(arch).reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0),
      input: 'prompt text → hashed character trigrams (FNV-1a, words padded with #), L2-normalised',
      output: `${o.grid}×${o.grid} ink where sigmoid(logit) > 0.5 (straight-through threshold in training)`,
      training: { data: dataLabel(o.images), pairs: N, steps: o.steps, batch, lr: o.lr, seed: o.seed, backend, seconds: Math.round(seconds), finalLoss: Number(lastLoss.toFixed(5)), command: o.command },
      metrics,
      created: new Date().toISOString(),
    };
    await writeFileAtomic(o.out, encodeModelPng(header, specs(arch).map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! }))), { overwrite: true });
    return { metrics, seconds, backend };
  } finally {
    xs.dispose();
    ys.dispose();
    for (const v of vars.values()) v.dispose();
    optimizer.dispose();
  }
}

export type { Tensor };
