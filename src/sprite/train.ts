/**
 * Training the autoregressive sprite model on tfjs (wasm by default): Adam on
 * the mean binary cross-entropy of every pixel given the pixels before it
 * (teacher forcing: one parallel pass per batch), cosine learning-rate decay
 * (the same schedule as `pixel train`), seeded shuffles and horizontal flips.
 * Checkpoints (weights, Adam moments, epoch) go to <out>.ckpt.png after every
 * epoch; the final file holds held-out metrics next to both baselines.
 */
import { adamUpdate, learningRate, type StepProgress } from '../nn/optim.js';
import { readFileSync } from 'node:fs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { writeFileAtomic } from '../files/atomic.js';
import { rng } from '../nn/data.js';
import { useBackend, type BackendName } from '../nn/tf.js';
import { decodeModelPng } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { encodeArModel, scoreSprites } from './ar.js';
import { fitPositionBaseline, pngBpp, positionBaselineBpp } from './baseline.js';
import { loadSprites, splitSprites, type Sprite } from './data.js';
import { ArNet, arLogits, arMacsPerPixel, arParameterCount, arTensorSpecs, bceWithLogits, disposeTfArModel, initArWeights, tfArModel, type ArArchitecture } from './pixelcnn.js';
import { dataLabel } from '../files/data-label.js';

export interface ArTrainOptions {
  images: string;
  out: string;
  grid: number;
  channels: number;
  blocks: number;
  epochs: number;
  lr: number;
  batch: number;
  seed: number;
  valSplit: number;
  /** Stop after this many minutes (at an epoch boundary's step), 0 = no limit. */
  maxMinutes: number;
  resume?: string;
  backend: BackendName;
  command: string;
}

export const AR_TRAIN_DEFAULTS = { grid: 24, channels: 32, blocks: 5, epochs: 40, lr: 0.003, batch: 32, seed: 1, valSplit: 0.1, maxMinutes: 0, backend: 'auto' as BackendName };

export interface ArProgress extends StepProgress {
  epoch: number;
  epochs: number;
  /** Held-out bits per pixel, at epoch ends. */
  valBpp?: number;
}

export interface ArMetrics {
  trainSprites: number;
  valSprites: number;
  valBpp: number;
  trainBpp: number;
  positionBaselineBpp: number;
  pngFileBpp: number;
  pngIdatBpp: number;
}

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

export async function trainAr(options: ArTrainOptions, onProgress: (p: ArProgress) => void = () => {}, warn: (m: string) => void = () => {}): Promise<{ metrics: ArMetrics; seconds: number; backend: string }> {
  const sprites = await loadSprites(options.images, options.grid, warn);
  if (sprites.length < 2) throw new PixelError('E_USAGE', `Expected at least 2 sprites for --images but found ${sprites.length}`, { hint: 'One is needed for training and one for validation' });
  const { train, val } = splitSprites(sprites, options.valSplit, rng(options.seed ^ 0x5eed));
  const arch: ArArchitecture = { type: 'pixelcnn', grid: options.grid, channels: options.channels, blocks: options.blocks, firstKernel: 7, kernel: 3 };
  const { tf, backend } = await useBackend(options.backend);
  let weights = initArWeights(arch, options.seed);
  let startEpoch = 0;
  let moments: Map<string, { m: Float32Array; v: Float32Array }> | undefined;
  if (options.resume) {
    const { header, tensors } = decodeModelPng(readFileSync(options.resume), options.resume);
    if (JSON.stringify(header.architecture) !== JSON.stringify(arch))
      throw new PixelError('E_USAGE', `Expected a checkpoint of the same architecture for --resume but ${options.resume} has ${JSON.stringify(header.architecture)}`);
    weights = new Map(arTensorSpecs(arch).map((s) => [s.name, tensors.get(s.name)!.slice()]));
    startEpoch = Number((header.training as { epoch?: number })?.epoch ?? 0);
    moments = new Map(arTensorSpecs(arch).map((s) => [s.name, { m: tensors.get(`adam.m.${s.name}`)?.slice() ?? new Float32Array(weights.get(s.name)!.length), v: tensors.get(`adam.v.${s.name}`)?.slice() ?? new Float32Array(weights.get(s.name)!.length) }]));
  }
  const model = tfArModel(tf, arch, weights);
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
  const snapshot = (): Map<string, Float32Array> => new Map(vars.map(([k, v]) => [k, v.dataSync() as Float32Array]));
  const valBppTf = (): number => {
    if (val.length === 0) return NaN;
    let sum = 0;
    const vb = 64;
    for (let i = 0; i < val.length; i += vb) {
      const idx = Array.from({ length: Math.min(vb, val.length - i) }, (_, j) => i + j);
      const buf = new Float32Array(idx.length * n);
      packBatch(val, idx, g, undefined, buf);
      sum += tf.tidy(() => {
        const x = tf.tensor4d(buf, [idx.length, g, g, 1]);
        return bceWithLogits(tf, arLogits(tf, model, x), x).dataSync()[0] * idx.length;
      });
    }
    return sum / val.length / LN2;
  };
  const header = (epoch: number, seconds: number, metrics?: ArMetrics) => ({
    parameters: arParameterCount(arch),
    macsPerPixel: arMacsPerPixel(arch),
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
      valSplit: options.valSplit,
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
      for (let s = 0; s < stepsPerEpoch; s++) {
        packBatch(train, order.slice(s * batch, (s + 1) * batch), g, shuffle, input);
        const lr = learningRate(step, steps, options.lr);
        const loss = tf.tidy(() => {
          const x = tf.tensor4d(input, [batch, g, g, 1]);
          const { value, grads } = tf.variableGrads(() => bceWithLogits(tf, arLogits(tf, model, x), x) as import('@tensorflow/tfjs').Scalar, vars.map(([, v]) => v as Variable));
          for (const [k, v] of vars) adamUpdate(tf, v as Variable, grads[v.name], state.get(k)!, { lr, t: step + 1, eps: 1e-7 });
          return value.dataSync()[0];
        });
        if (!Number.isFinite(loss)) throw new PixelError('E_INTERNAL', `Training diverged at step ${step + 1} (loss ${loss})`, { hint: 'Lower --lr' });
        step++;
        const seconds = (performance.now() - began) / 1000;
        const sps = (step - startEpoch * stepsPerEpoch) / seconds;
        const epochEnd = s === stepsPerEpoch - 1;
        if (epochEnd) lastVal = valBppTf();
        onProgress({ epoch: epoch + 1, epochs: options.epochs, step, steps, loss: loss / LN2, lr, stepsPerSecond: sps, etaSeconds: (steps - step) / sps, valBpp: epochEnd ? lastVal : undefined });
      }
      lastEpoch = epoch + 1;
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
    // Metrics from the JS inference path (what sample/score use).
    const net = new ArNet(arch, final);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
    const baseline = fitPositionBaseline(train.map((s) => s.bits), n);
    const trainSubset = train.slice(0, Math.min(train.length, 200));
    const png = pngBpp(val.map((s) => s.bits), g);
    const metrics: ArMetrics = {
      trainSprites: train.length,
      valSprites: val.length,
      valBpp: Number(mean(scoreSprites(net, val.map((s) => s.bits))).toFixed(4)),
      trainBpp: Number(mean(scoreSprites(net, trainSubset.map((s) => s.bits))).toFixed(4)),
      positionBaselineBpp: Number(positionBaselineBpp(baseline, val.map((s) => s.bits)).toFixed(4)),
      pngFileBpp: Number(png.file.toFixed(4)),
      pngIdatBpp: Number(png.idat.toFixed(4)),
    };
    await writeFileAtomic(options.out, encodeArModel(arch, final, header(lastEpoch, seconds, metrics)), { overwrite: true });
    return { metrics, seconds, backend };
  } finally {
    for (const s of state.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    disposeTfArModel(model);
  }
}
