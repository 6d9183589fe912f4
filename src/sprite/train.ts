/**
 * Training the autoregressive sprite model on tfjs (wasm by default): Adam on
 * the mean binary cross-entropy of every pixel given the pixels before it
 * (teacher forcing: one parallel pass per batch), cosine learning-rate decay
 * (the same schedule as `pixel train`), seeded shuffles and horizontal flips.
 * Checkpoints (weights, Adam moments, epoch) go to <out>.ckpt.png after every
 * epoch, one JSON line of metrics to the log; the final file holds held-out
 * metrics next to both baselines. Held-out sprites come from a list
 * (--holdout, e.g. the honest split of split.ts), a folder (--val) or a
 * seeded random fraction (--val-split).
 */
import { adamUpdate, learningRate, type StepProgress } from '../nn/optim.js';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { writeFileAtomic } from '../files/atomic.js';
import { rng } from '../nn/data.js';
import { useBackend, type BackendName } from '../nn/tf.js';
import { loadModel } from '../nn/model-file.js';
import { PixelError } from '../pipeline/errors.js';
import { AR_FILE, anyInitWeights, anyMacsPerPixel, anyParameterCount, anyTensorSpecs, encodeArModel, scoreSpritesWith, tfAr, type AnyArArchitecture } from './ar.js';
import { fitPositionBaseline, pngBpp, positionBaselineBpp } from './baseline.js';
import { loadSprites, splitSprites, type Sprite } from './data.js';
import { bceWithLogits } from './pixelcnn.js';
import { readHoldoutList, spriteKey } from './split.js';
import { appendFileSync, writeFileSync } from 'node:fs';
import { dataLabel } from '../files/data-label.js';

export interface ArTrainOptions {
  images: string;
  out: string;
  grid: number;
  /** 'gated' (full context, the default) or 'pixelcnn' (masked convolutions, blind spot). */
  arch: 'gated' | 'pixelcnn';
  channels: number;
  /** Residual mask-B layers of the 'pixelcnn' architecture. */
  blocks: number;
  epochs: number;
  lr: number;
  batch: number;
  seed: number;
  valSplit: number;
  /** A list of held-out sprites (paths relative to `images`), never trained on. */
  holdout?: string;
  /** A folder of validation sprites (instead of a split of `images`). */
  val?: string;
  /** JSON-lines training log (one line per epoch); default <out>.log.jsonl. */
  log?: string;
  /** Stop after this many minutes (at an epoch boundary's step), 0 = no limit. */
  maxMinutes: number;
  resume?: string;
  backend: BackendName;
  command: string;
}

export const AR_TRAIN_DEFAULTS = { grid: 24, arch: 'gated' as 'gated' | 'pixelcnn', channels: 24, blocks: 5, epochs: 40, lr: 0.003, batch: 32, seed: 1, valSplit: 0.1, maxMinutes: 0, backend: 'auto' as BackendName };

export interface ArProgress extends StepProgress {
  epoch: number;
  epochs: number;
  /** Held-out bits per pixel, at epoch ends. */
  valBpp?: number;
}

/** Held-out figures are null when nothing is held out (--val-split 0). */
export interface ArMetrics {
  trainSprites: number;
  valSprites: number;
  valBpp: number | null;
  trainBpp: number;
  positionBaselineBpp: number | null;
  pngFileBpp: number | null;
  pngIdatBpp: number | null;
}

const round4 = (v: number): number | null => (Number.isFinite(v) ? Number(v.toFixed(4)) : null);

const LN2 = Math.LN2;


function packBatch(sprites: readonly Sprite[], idx: readonly number[], grid: number, flip: (() => number) | undefined, out: Float32Array): void {
  const n = grid * grid;
  idx.forEach((k, b) => {
    const bits = sprites[k].bits;
    const mirror = flip ? flip() < 0.5 : false;
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++) out[b * n + y * grid + x] = bits[y * grid + (mirror ? grid - 1 - x : x)];
  });
}

/** Training and held-out sprites: from --holdout, --val, or a seeded split (at least one held out whenever there are two or more). */
async function splitFor(options: ArTrainOptions, warn: (m: string) => void): Promise<{ train: Sprite[]; val: Sprite[] }> {
  const sprites = await loadSprites(options.images, options.grid, warn);
  if (options.val) {
    const val = await loadSprites(options.val, options.grid, warn, '--val');
    return { train: sprites, val };
  }
  if (options.holdout) {
    const keys = new Set(readHoldoutList(options.holdout));
    const val = sprites.filter((s) => keys.has(spriteKey(s.file, options.images)));
    if (val.length < keys.size) warn(`${keys.size - val.length} of the ${keys.size} held-out sprites listed in ${options.holdout} are not in ${options.images}`);
    return { train: sprites.filter((s) => !keys.has(spriteKey(s.file, options.images))), val };
  }
  if (sprites.length < 2) throw new PixelError('E_USAGE', `Expected at least 2 sprites for --images but found ${sprites.length}`, { hint: 'One is needed for training and one for validation (or pass --val <dir>)' });
  return splitSprites(sprites, options.valSplit, rng(options.seed ^ 0x5eed));
}

export function architectureFor(options: Pick<ArTrainOptions, 'arch' | 'grid' | 'channels' | 'blocks'>): AnyArArchitecture {
  return options.arch === 'pixelcnn'
    ? { type: 'pixelcnn', grid: options.grid, channels: options.channels, blocks: options.blocks, firstKernel: 7, kernel: 3 }
    : { type: 'gated-pixelcnn', grid: options.grid, channels: options.channels, dilations: [1, 2, 4, 8, 16].filter((d) => d < options.grid), mirror: true };
}

export async function trainAr(options: ArTrainOptions, onProgress: (p: ArProgress) => void = () => {}, warn: (m: string) => void = () => {}): Promise<{ metrics: ArMetrics; seconds: number; backend: string }> {
  const { train, val } = await splitFor(options, warn);
  if (train.length === 0) throw new PixelError('E_USAGE', `Expected sprites to train on but every sprite of ${options.images} is held out`, { hint: 'Check --holdout' });
  const arch = architectureFor(options);
  const { tf, backend } = await useBackend(options.backend);
  let weights = anyInitWeights(arch, options.seed);
  let startEpoch = 0;
  let moments: Map<string, { m: Float32Array; v: Float32Array }> | undefined;
  if (options.resume) {
    const checkpoint = loadModel(options.resume, AR_FILE);
    const { header, extra } = checkpoint;
    if (JSON.stringify(header.architecture) !== JSON.stringify(arch))
      throw new PixelError('E_USAGE', `Expected a checkpoint of the same architecture for --resume but ${options.resume} has ${JSON.stringify(header.architecture)}`);
    weights = checkpoint.weights;
    startEpoch = Number((header.training as { epoch?: number })?.epoch ?? 0);
    moments = new Map(anyTensorSpecs(arch).map((s) => [s.name, { m: extra.get(`adam.m.${s.name}`)?.slice() ?? new Float32Array(weights.get(s.name)!.length), v: extra.get(`adam.v.${s.name}`)?.slice() ?? new Float32Array(weights.get(s.name)!.length) }]));
  }
  const log = options.log ?? `${options.out.replace(/\.png$/i, '')}.log.jsonl`;
  if (!options.resume) writeFileSync(log, '');
  const model = tfAr(tf, arch, weights);
  const vars = [...model.vars.entries()];
  const state = new Map<string, { m: Tensor; v: Tensor }>();
  for (const [k, v] of vars) state.set(k, { m: moments ? tf.tensor(moments.get(k)!.m, v.shape) : tf.zerosLike(v), v: moments ? tf.tensor(moments.get(k)!.v, v.shape) : tf.zerosLike(v) });
  const g = options.grid;
  const n = g * g;
  const batch = Math.min(options.batch, train.length);
  const stepsPerEpoch = Math.floor(train.length / batch);
  const steps = stepsPerEpoch * options.epochs;
  const input = new Float32Array(batch * n);
  const began = performance.now();
  let step = startEpoch * stepsPerEpoch;
  let lastEpoch = startEpoch;
  let lastVal = NaN;
  let lastLr = options.lr;
  const snapshot = (): Map<string, Float32Array> => new Map(vars.map(([k, v]) => [k, v.dataSync() as Float32Array]));
  const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const valBppTf = (): number => (val.length === 0 ? NaN : mean(scoreSpritesWith(tf, model, g, val.map((s) => s.bits))));
  const header = (epoch: number, seconds: number, metrics?: ArMetrics) => ({
    parameters: anyParameterCount(arch),
    macsPerPixel: anyMacsPerPixel(arch),
    input: `${g}×${g} ink bits (1 = ink), raster order`,
    output: 'P(ink) per pixel given all pixels before it (Bernoulli logits)',
    training: {
      data: dataLabel(options.images),
      trainSprites: train.length,
      valSprites: val.length,
      epoch,
      epochs: options.epochs,
      batch,
      lr: options.lr,
      seed: options.seed,
      heldOut: options.val ? { folder: dataLabel(options.val) } : options.holdout ? { list: dataLabel(options.holdout) } : { valSplit: options.valSplit },
      backend,
      seconds: Math.round(seconds),
      stepsPerSecond: Number(((step - startEpoch * stepsPerEpoch) / Math.max(seconds, 1e-9)).toFixed(2)),
      command: options.command,
    },
    ...(metrics ? { metrics } : {}),
    created: new Date().toISOString(),
  });
  const ckpt = `${options.out.replace(/\.png$/i, '')}.ckpt.png`;
  try {
    for (let epoch = startEpoch; epoch < options.epochs; epoch++) {
      const order = train.map((_, i) => i);
      const shuffle = rng((options.seed * 7919 + epoch) >>> 0);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        packBatch(train, order.slice(s * batch, (s + 1) * batch), g, shuffle, input);
        // With --max-minutes the cosine decay also follows the clock, so a run cut short by time still ends annealed.
        const byTime = options.maxMinutes > 0 ? Math.floor((steps * (performance.now() - began)) / 60000 / options.maxMinutes) : 0;
        const lr = learningRate(Math.min(steps - 1, Math.max(step, byTime)), steps, options.lr);
        lastLr = lr;
        const loss = tf.tidy(() => {
          const x = tf.tensor4d(input, [batch, g, g, 1]);
          const { value, grads } = tf.variableGrads(() => bceWithLogits(tf, model.logits(x), x) as import('@tensorflow/tfjs').Scalar, vars.map(([, v]) => v as Variable));
          for (const [k, v] of vars) adamUpdate(tf, v as Variable, grads[v.name], state.get(k)!, { lr, t: step + 1, eps: 1e-7 });
          return value.dataSync()[0];
        });
        if (!Number.isFinite(loss)) throw new PixelError('E_INTERNAL', `Training diverged at step ${step + 1} (loss ${loss})`, { hint: 'Lower --lr' });
        step++;
        lossSum += loss / LN2;
        const seconds = (performance.now() - began) / 1000;
        const sps = (step - startEpoch * stepsPerEpoch) / seconds;
        const epochEnd = s === stepsPerEpoch - 1;
        if (epochEnd) lastVal = valBppTf();
        onProgress({ epoch: epoch + 1, epochs: options.epochs, step, steps, loss: loss / LN2, lr, stepsPerSecond: sps, etaSeconds: (steps - step) / sps, valBpp: epochEnd ? lastVal : undefined });
      }
      lastEpoch = epoch + 1;
      const elapsed = (performance.now() - began) / 1000;
      appendFileSync(log, `${JSON.stringify({ epoch: lastEpoch, step, trainBpp: Number((lossSum / stepsPerEpoch).toFixed(5)), valBpp: Number.isFinite(lastVal) ? Number(lastVal.toFixed(5)) : null, lr: Number(lastLr.toExponential(3)), seconds: Math.round(elapsed) })}\n`);
      const extra = [...state].flatMap(([k, s]) => [
        { name: `adam.m.${k}`, shape: s.m.shape, data: s.m.dataSync() as Float32Array },
        { name: `adam.v.${k}`, shape: s.v.shape, data: s.v.dataSync() as Float32Array },
      ]);
      await writeFileAtomic(ckpt, encodeArModel(arch, snapshot(), header(lastEpoch, (performance.now() - began) / 1000), extra), { overwrite: true });
      if (options.maxMinutes > 0 && (performance.now() - began) / 60000 >= options.maxMinutes) {
        warn(`stopping after epoch ${lastEpoch}: --max-minutes ${options.maxMinutes} reached`);
        break;
      }
    }
    const final = snapshot();
    const seconds = (performance.now() - began) / 1000;
    const baseline = fitPositionBaseline(train.map((s) => s.bits), n);
    // A seeded random sample of the training sprites (not the first files, which are one icon set).
    const pickRand = rng(options.seed ^ 0x7a1b);
    const trainSample = train.length <= 300 ? train : train.map((t) => ({ t, k: pickRand() })).sort((a, b) => a.k - b.k).slice(0, 300).map((e) => e.t);
    const png = val.length ? pngBpp(val.map((s) => s.bits), g) : { file: NaN, idat: NaN };
    const metrics: ArMetrics = {
      trainSprites: train.length,
      valSprites: val.length,
      valBpp: round4(valBppTf()),
      trainBpp: Number(mean(scoreSpritesWith(tf, model, g, trainSample.map((s) => s.bits))).toFixed(4)),
      positionBaselineBpp: round4(positionBaselineBpp(baseline, val.map((s) => s.bits))),
      pngFileBpp: round4(png.file),
      pngIdatBpp: round4(png.idat),
    };
    await writeFileAtomic(options.out, encodeArModel(arch, final, header(lastEpoch, seconds, metrics)), { overwrite: true });
    return { metrics, seconds, backend };
  } finally {
    for (const s of state.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    model.dispose();
  }
}
