/**
 * Training the prompt model (prompt.ts) on tfjs: Adam on the cross-entropy
 * of the grid² logits plus the MSE of the straight-through hard sprite, each
 * name drawn with a random phrasing (prompt-text.ts); metrics on bare names,
 * held-out phrasings and held-out pairs; the model written as a weights PNG.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { writeFileAtomic } from '../files/atomic.js';
import { dataLabel } from '../files/data-label.js';
import { rng } from '../nn/data.js';
import { useBackend, type BackendName } from '../nn/tf.js';
import { encodeModelPng, type ModelHeader } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { loadSprites, type Sprite } from './data.js';
import { PROMPT_KIND, promptSprite, promptTensorSpecs as specs, type PromptArchitecture, type PromptModel } from './prompt.js';
import { HELD_OUT_PHRASES, promptFeatures, rephrase, TRAIN_PHRASES } from './prompt-text.js';
import { readHoldoutList, spriteKey } from './split.js';

export interface PromptTrainOptions {
  images: string;
  out: string;
  grid: number;
  hidden: number;
  features: number;
  /** Passes over the icons; ignored when `steps` is given. */
  epochs: number;
  steps?: number;
  batch: number;
  lr: number;
  seed: number;
  /** Held-out (name, icon) pairs: a list of paths relative to `images`, or a folder. */
  holdout?: string;
  val?: string;
  /** JSON-lines log, one line per epoch (default <out>.log.jsonl). */
  log?: string;
  backend: BackendName;
  command: string;
}

export const PROMPT_TRAIN_DEFAULTS = { grid: 24, hidden: 192, features: 512, epochs: 60, batch: 128, lr: 0.01, seed: 1, backend: 'auto' as BackendName };

export interface PromptMetrics {
  pairs: number;
  distinctPrompts: number;
  /** Fraction of training pixels the thresholded output gets wrong (bare names). */
  trainPixelError: number;
  /** Fraction of training icons reproduced exactly. */
  trainExact: number;
  /** Fraction of training icons within 3 % pixel error for their bare name. */
  trainWithin3: number;
  /** The same for phrasings never used in training (HELD_OUT_PHRASES), averaged over them. */
  rephrasedPixelError: number;
  rephrasedWithin3: number;
  /** Pixel error on held-out (name, icon) pairs (--holdout / --val), null without. */
  valPixelError: number | null;
  /** Pixel error of the best possible answer for prompts shared by several icons (the per-pixel majority). */
  duplicateFloor: number;
}

/** Pixel error of the model's answers for (prompt, icon) pairs, and the fraction within 3 %. */
export function promptErrors(model: PromptModel, pairs: readonly { prompt: string; bits: Uint8Array }[]): { pixelError: number; within3: number; exact: number } {
  let wrong = 0;
  let within = 0;
  let exact = 0;
  const n = model.arch.grid * model.arch.grid;
  for (const p of pairs) {
    const out = promptSprite(model, p.prompt);
    let w = 0;
    for (let i = 0; i < n; i++) if (out[i] !== p.bits[i]) w++;
    wrong += w;
    if (w <= 0.03 * n) within++;
    if (w === 0) exact++;
  }
  const N = Math.max(1, pairs.length);
  return { pixelError: wrong / (N * n), within3: within / N, exact: exact / N };
}

async function promptSplit(o: PromptTrainOptions, warn: (m: string) => void): Promise<{ train: Sprite[]; val: Sprite[] }> {
  const sprites = await loadSprites(o.images, o.grid, warn);
  if (o.val) return { train: sprites, val: await loadSprites(o.val, o.grid, warn, '--val') };
  if (o.holdout) {
    const keys = new Set(readHoldoutList(o.holdout));
    return { train: sprites.filter((s) => !keys.has(spriteKey(s.file, o.images))), val: sprites.filter((s) => keys.has(spriteKey(s.file, o.images))) };
  }
  return { train: sprites, val: [] };
}

export interface PromptProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
  pixelError: number;
  valPixelError?: number;
}

export async function trainPrompt(o: PromptTrainOptions, onProgress: (p: PromptProgress) => void = () => {}, warn: (m: string) => void = () => {}): Promise<{ metrics: PromptMetrics; seconds: number; backend: string }> {
  const { train: sprites, val } = await promptSplit(o, warn);
  const arch: PromptArchitecture = { type: 'word-mlp', grid: o.grid, features: o.features, hidden: o.hidden };
  const n = o.grid * o.grid;
  const N = sprites.length;
  const batch = Math.min(o.batch, N);
  const stepsPerEpoch = Math.max(1, Math.ceil(N / batch));
  const steps = o.steps ?? o.epochs * stepsPerEpoch;
  const Y = new Float32Array(N * n);
  sprites.forEach((s, i) => Y.set(s.bits, i * n));
  const log = o.log ?? `${o.out.replace(/\.png$/i, '')}.log.jsonl`;
  writeFileSync(log, '');
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
  const snapshotModel = (): PromptModel => ({ header: {} as ModelHeader, arch, weights: new Map([...vars].map(([k, v]) => [k, v.dataSync() as Float32Array])) });
  const logSample = sprites.filter((_, i) => i % Math.max(1, Math.floor(N / 256)) === 0).slice(0, 256);
  const began = performance.now();
  const idx = new Int32Array(batch);
  const X = new Float32Array(batch * o.features);
  let lastLoss = NaN;
  let epochLoss = 0;
  let epochSteps = 0;
  try {
    for (let step = 0; step < steps; step++) {
      for (let b = 0; b < batch; b++) {
        const k = Math.floor(next() * N);
        idx[b] = k;
        const phrase = rephrase(sprites[k].name, TRAIN_PHRASES[Math.floor(next() * TRAIN_PHRASES.length)], next);
        promptFeatures(phrase, o.features, X.subarray(b * o.features, (b + 1) * o.features));
      }
      // Cosine decay to 5 %.
      (optimizer as unknown as { learningRate: number }).learningRate = o.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / steps)));
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(X, [batch, o.features]);
        const y = tf.gather(ys, tf.tensor1d(idx, 'int32')) as Tensor2D;
        const value = optimizer.minimize(() => {
          const z = forward(x);
          const hard = straightThrough(tf.sigmoid(z));
          const sp = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
          const bce = tf.mean(tf.sub(sp, tf.mul(y, z)));
          return tf.add(bce, tf.mean(tf.square(tf.sub(hard, y)))) as import('@tensorflow/tfjs').Scalar;
        }, true);
        return value!.dataSync()[0];
      });
      lastLoss = loss;
      epochLoss += loss;
      epochSteps++;
      if (!Number.isFinite(loss)) throw new PixelError('E_INTERNAL', `Training diverged at step ${step + 1} (loss ${loss})`, { hint: 'Lower --lr' });
      if ((step + 1) % stepsPerEpoch === 0 || step + 1 === steps) {
        const epoch = Math.ceil((step + 1) / stepsPerEpoch);
        const m = snapshotModel();
        // Training error on a fixed sample of up to 256 icons: cheap enough for every epoch.
        const err = promptErrors(m, logSample.map((s) => ({ prompt: s.name, bits: s.bits }))).pixelError;
        const valErr = val.length ? promptErrors(m, val.map((s) => ({ prompt: s.name, bits: s.bits }))).pixelError : undefined;
        appendFileSync(log, `${JSON.stringify({ epoch, step: step + 1, loss: Number((epochLoss / epochSteps).toFixed(5)), pixelError: Number(err.toFixed(5)), valPixelError: valErr === undefined ? null : Number(valErr.toFixed(5)), seconds: Math.round((performance.now() - began) / 1000) })}\n`);
        epochLoss = 0;
        epochSteps = 0;
        if (epoch % 10 === 0 || step + 1 === steps) onProgress({ epoch, step: step + 1, steps, loss, pixelError: err, valPixelError: valErr });
      }
    }
    const seconds = (performance.now() - began) / 1000;
    const model = snapshotModel();
    // Metrics from the JS path the CLI uses.
    const bare = promptErrors(model, sprites.map((s) => ({ prompt: s.name, bits: s.bits })));
    const rephrased = HELD_OUT_PHRASES.map((t) => promptErrors(model, sprites.map((s) => ({ prompt: rephrase(s.name, t), bits: s.bits }))));
    const groups = new Map<string, number[]>();
    sprites.forEach((s, i) => groups.set(s.name, [...(groups.get(s.name) ?? []), i]));
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
    const r5 = (v: number) => Number(v.toFixed(5));
    const metrics: PromptMetrics = {
      pairs: N,
      distinctPrompts: groups.size,
      trainPixelError: r5(bare.pixelError),
      trainExact: r5(bare.exact),
      trainWithin3: r5(bare.within3),
      rephrasedPixelError: r5(rephrased.reduce((a, r) => a + r.pixelError, 0) / rephrased.length),
      rephrasedWithin3: r5(rephrased.reduce((a, r) => a + r.within3, 0) / rephrased.length),
      valPixelError: val.length ? r5(promptErrors(model, val.map((s) => ({ prompt: s.name, bits: s.bits }))).pixelError) : null,
      duplicateFloor: r5(floor / (N * n)),
    };
    const header = {
      kind: PROMPT_KIND,
      architecture: arch,
      parameters: specs(arch).reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0),
      input: 'prompt words (filler dropped, singular, synonyms mapped) → hashed word unigrams + character trigrams (FNV-1a), each half L2-normalised',
      output: `${o.grid}×${o.grid} ink where sigmoid(logit) > 0.5 (straight-through threshold in training)`,
      training: {
        data: dataLabel(o.images),
        heldOut: o.val ? { folder: dataLabel(o.val) } : o.holdout ? { list: dataLabel(o.holdout) } : null,
        pairs: N,
        steps,
        epochs: Number((steps / stepsPerEpoch).toFixed(2)),
        batch,
        lr: o.lr,
        seed: o.seed,
        phrases: TRAIN_PHRASES,
        heldOutPhrases: HELD_OUT_PHRASES,
        backend,
        seconds: Math.round(seconds),
        finalLoss: Number(lastLoss.toFixed(5)),
        command: o.command,
      },
      metrics,
      created: new Date().toISOString(),
    };
    await writeFileAtomic(o.out, encodeModelPng(header, specs(arch).map((s) => ({ name: s.name, shape: s.shape, data: model.weights.get(s.name)! }))), { overwrite: true });
    return { metrics, seconds, backend };
  } finally {
    ys.dispose();
    for (const v of vars.values()) v.dispose();
    optimizer.dispose();
  }
}

export type { Tensor };
