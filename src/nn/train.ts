/**
 * Training: Adam (Kingma & Ba, ICLR 2015) on random patches, linear warm-up
 * then cosine decay of the learning rate to 5% (Loshchilov & Hutter, SGDR,
 * ICLR 2017), loss from loss.ts on the straight-through binary output.
 * Deterministic for a seed on one backend: weights come from a seeded
 * initialiser, step s draws its patches from rng(seed + s), and error
 * diffusion is exact.
 */
import { adamUpdate, learningRate, type StepProgress } from './optim.js';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic.js';
import { packageInfo } from '../files/package-root.js';
import { scoreBinary, type Scores } from '../metrics/index.js';
import { PixelError } from '../pipeline/errors.js';
import { binarizePlane, type BinarizerName } from './binarize.js';
import { loadImageSet, loadPairs, rng, samplePatches, type Plane } from './data.js';
import { binarizeImage } from './infer.js';
import { DEFAULT_LOSS, type LossWeights } from './loss.js';
import { initWeights, macsPerPixel, parameterCount, readModel, tensorSpecs, type Architecture, type Weights } from './model.js';
import { useBackend, type BackendName, type TF } from './tf.js';
import { decodeModelPng, encodeModelPng, type ModelHeader } from './weights-png.js';
import { GradWorker } from './grad-worker.js';
import { batchGrads } from './grads.js';
import { dataLabel } from '../files/data-label.js';

type Variable = import('@tensorflow/tfjs').Variable;
type Tensor = import('@tensorflow/tfjs').Tensor;

export interface TrainOptions {
  images?: string;
  pairs?: string;
  val?: string;
  out: string;
  resume?: string;
  steps: number;
  lr: number;
  batch: number;
  patch: number;
  seed: number;
  /** Unset: ostromoukhov for a new model, the checkpoint's own on --resume (set, it fine-tunes for another). */
  binarizer?: BinarizerName;
  architecture: Architecture;
  /** Long sides the training images are reduced to. */
  scales: number[];
  loss: LossWeights;
  backend: BackendName;
  /** Validate and write a checkpoint every this many steps (0: only at the end). */
  every: number;
  /** Long side of validation images (QUALITY.md's pixel-art job: 128). */
  valSize: number;
  /** The command line, recorded in the model header. */
  command?: string;
  /** Threads sharing each batch (1: this thread only). */
  workers?: number;
}

export const DEFAULT_BINARIZER: BinarizerName = 'ostromoukhov';

export const TRAIN_DEFAULTS: Omit<TrainOptions, 'out'> = {
  steps: 2000,
  lr: 0.002,
  batch: 16,
  patch: 64,
  seed: 1,
  architecture: { type: 'unet-residual', channels: [8, 16, 32] },
  scales: [128, 192, 256, 384],
  loss: DEFAULT_LOSS,
  backend: 'auto',
  every: 250,
  valSize: 128,
};

export interface Progress extends StepProgress {
  val?: ValScores;
}

export interface ValScores extends Scores {
  /** The same figures for plain Floyd–Steinberg on the same images. */
  fs: Scores;
}

export interface TrainResult {
  header: ModelHeader;
  seconds: number;
  stepsPerSecond: number;
  val?: ValScores;
  backend: string;
}

/** All weights in spec order as one array (what worker threads receive). */
export function flatWeights(tf: TF, vars: Map<string, Variable>): Float32Array {
  let total = 0;
  for (const v of vars.values()) total += v.size;
  const out = new Float32Array(total);
  let o = 0;
  for (const v of vars.values()) {
    out.set(v.dataSync() as Float32Array, o);
    o += v.size;
  }
  return out;
}

/** [start, end) of k near-equal chunks of n items. */
export function splitBatch(n: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)]);
  return out;
}


function mean(list: Scores[]): Scores {
  const n = list.length;
  const s = { tonePsnr15: 0, tonePsnr10: 0, ssim: 0, toneBias: 0, tonePsnr20: 0, edgeF1: 0, orphans: 0, orphans4: 0 } satisfies Scores;
  for (const x of list) for (const k of Object.keys(s) as (keyof Scores)[]) s[k] += x[k] / n;
  return s;
}

/** Scores a model on validation planes (binarizer on the whole image) against FS. */
export function validate(tf: TF, weights: Weights, binarizer: BinarizerName, planes: readonly Plane[]): ValScores {
  const model: Scores[] = [];
  const fs: Scores[] = [];
  for (const p of planes) {
    model.push(scoreBinary(p.target, binarizeImage(tf, weights, binarizer, p.gray, p.width, p.height), p.width, p.height));
    fs.push(scoreBinary(p.target, binarizePlane('error-diffusion', p.gray, p.width, p.height), p.width, p.height));
  }
  return { ...mean(model), fs: mean(fs) };
}

function snapshot(weights: Weights, extra: [string, Tensor][] = []): { name: string; shape: number[]; data: Float32Array }[] {
  return [...weights.entries(), ...extra].map(([name, t]) => ({ name, shape: t.shape, data: t.dataSync() as Float32Array }));
}

export async function train(options: TrainOptions, onProgress: (p: Progress) => void = () => {}): Promise<TrainResult> {
  if (!options.images === !options.pairs) throw new PixelError('E_USAGE', 'Expected exactly one of --images or --pairs', { hint: 'pixel train --images <dir> (self-supervised) or --pairs <dir> (supervised)' });
  const planes = options.images ? await loadImageSet(options.images, options.scales) : await loadPairs(options.pairs!);
  const valPlanes = options.val ? await loadImageSet(options.val, [options.valSize], '--val') : [];
  const { tf, backend } = await useBackend(options.backend);

  const { batch: n, patch: size, steps } = options;
  let start = 0;
  let arch = options.architecture;
  let binarizer: BinarizerName = options.binarizer ?? DEFAULT_BINARIZER;
  let weights: Weights;
  const moments = new Map<string, { m: Tensor; v: Tensor }>();
  if (options.resume) {
    const loaded = readModel(tf, options.resume);
    arch = loaded.architecture;
    binarizer = options.binarizer ?? loaded.binarizer;
    weights = loaded.weights;
    const tr = loaded.header.training as { step?: number } | undefined;
    start = tr?.step ?? 0;
    for (const spec of tensorSpecs(arch)) {
      const m = loaded.extra.get(`adam.m.${spec.name}`);
      const v = loaded.extra.get(`adam.v.${spec.name}`);
      if (m && v) moments.set(spec.name, { m: tf.tensor(m, spec.shape), v: tf.tensor(v, spec.shape) });
    }
  } else {
    weights = initWeights(tf, arch, options.seed);
  }
  const vars = new Map<string, Variable>();
  for (const [k, t] of weights) {
    vars.set(k, tf.variable(t, true, `pixel.${k}.${Math.random().toString(36).slice(2)}`));
    t.dispose();
  }
  weights = vars as unknown as Weights;
  // Adam's bias correction counts from when its moments were zero: a resume
  // from a weights-only file starts them afresh at `start`.
  const adamStart = moments.size === vars.size ? 0 : start;
  for (const [k, v] of vars) if (!moments.has(k)) moments.set(k, { m: tf.zerosLike(v), v: tf.zerosLike(v) });

  const workers = Math.max(1, Math.min(options.workers ?? 1, n));
  const pool: GradWorker[] = [];
  for (let i = 1; i < workers; i++) pool.push(await GradWorker.start({ backend: options.backend, architecture: arch, binarizer, loss: options.loss }));
  const input = new Float32Array(n * size * size);
  const target = new Float32Array(n * size * size);
  const began = performance.now();
  let last: ValScores | undefined;
  let lastLoss = NaN;

  const header = (step: number, seconds: number): Omit<ModelHeader, 'tensors' | 'format' | 'formatVersion'> => ({
    architecture: arch,
    binarizer,
    parameters: parameterCount(arch),
    macsPerPixel: macsPerPixel(arch),
    input: 'linear-light luminance (Rec. 709), 0..1, at the logical grid resolution',
    output: 'p = clamp(Y + 0.5·tanh(f(Y)), 0, 1), then the binarizer (1 = paper)',
    training: {
      step,
      steps,
      data: dataLabel(options.images ?? options.pairs),
      mode: options.images ? 'self-supervised' : 'supervised pairs',
      val: dataLabel(options.val),
      batch: n,
      patch: size,
      lr: options.lr,
      scales: options.scales,
      loss: options.loss,
      seed: options.seed,
      backend,
      workers: options.workers ?? 1,
      seconds: Math.round(seconds),
      stepsPerSecond: seconds > 0 ? Number(((step - start) / seconds).toFixed(3)) : 0,
      command: options.command,
    },
    metrics: last ? { val: { job: `pixel-art, long side ${options.valSize}, linear light`, ...round(last) } } : undefined,
    pixelVersion: packageInfo().version,
    created: new Date().toISOString(),
  });

  const save = async (file: string, step: number, withState: boolean): Promise<ModelHeader> => {
    const extra: [string, Tensor][] = withState ? [...moments].flatMap(([k, s]) => [[`adam.m.${k}`, s.m], [`adam.v.${k}`, s.v]] as [string, Tensor][]) : [];
    const h = header(step, (performance.now() - began) / 1000);
    await writeFileAtomic(file, encodeModelPng(h, snapshot(weights, extra)), { overwrite: true });
    return decodeModelPng(readFileSync(file)).header;
  };

  for (let step = start; step < steps; step++) {
    samplePatches(planes, n, size, rng((options.seed * 1000003 + step) >>> 0), input, target);
    const lr = learningRate(step, steps, options.lr);
    // Split the batch: chunk 0 here, the others on worker threads (data parallel, same weights).
    const chunks = splitBatch(n, pool.length + 1);
    const replies = pool.map((w, i) => {
      const [a, b] = chunks[i + 1];
      return w.grads(flatWeights(tf, vars), input.slice(a * size * size, b * size * size), target.slice(a * size * size, b * size * size), b - a, size);
    });
    const [a0, b0] = chunks[0];
    const own = tf.tidy(() => {
      const m = b0 - a0;
      const x = tf.tensor4d(input.subarray(0, m * size * size), [m, size, size, 1]);
      const ref = tf.tensor4d(target.subarray(0, m * size * size), [m, size, size, 1]);
      const { value, grads } = batchGrads(tf, weights, vars, binarizer, options.loss, x, ref);
      return { value, grads };
    });
    const others = await Promise.all(replies);
    const lossValue = tf.tidy(() => {
      // Mean over the batch = chunk means weighted by chunk sizes.
      let total = own.value.dataSync()[0] * (b0 - a0);
      for (let i = 0; i < others.length; i++) total += others[i].loss * (chunks[i + 1][1] - chunks[i + 1][0]);
      const t = step + 1 - adamStart;
      let offset = 0;
      for (const [k, v] of vars) {
        let g: Tensor = own.grads[v.name];
        if (others.length) {
          g = tf.mul(g, (b0 - a0) / n);
          for (let i = 0; i < others.length; i++) {
            const part = tf.tensor(others[i].grads.subarray(offset, offset + v.size), v.shape);
            g = tf.add(g, tf.mul(part, (chunks[i + 1][1] - chunks[i + 1][0]) / n));
          }
        }
        offset += v.size;
        adamUpdate(tf, v, g, moments.get(k)!, { lr, t });
      }
      return total / n;
    });
    tf.dispose([own.value, ...Object.values(own.grads)]);
    lastLoss = lossValue;
    if (!Number.isFinite(lossValue)) throw new PixelError('E_INTERNAL', `Training diverged at step ${step + 1} (loss ${lossValue})`, { hint: 'Lower --lr' });
    const done = step + 1;
    const seconds = (performance.now() - began) / 1000;
    const sps = (done - start) / seconds;
    const checkpoint = options.every > 0 && (done % options.every === 0 || done === steps);
    if (checkpoint || done === steps) {
      // (the last checkpoint, with optimizer state, lets a later run resume exactly)
      if (valPlanes.length) last = validate(tf, weights, binarizer, valPlanes);
      if (checkpoint) await save(`${options.out.replace(/\.png$/i, '')}.ckpt.png`, done, true);
    }
    onProgress({ step: done, steps, loss: lossValue, lr, stepsPerSecond: sps, etaSeconds: (steps - done) / sps, val: checkpoint || done === steps ? last : undefined });
  }
  await Promise.all(pool.map((w) => w.stop()));
  const seconds = (performance.now() - began) / 1000;
  const written = await save(options.out, steps, false);
  for (const v of vars.values()) v.dispose();
  for (const s of moments.values()) {
    s.m.dispose();
    s.v.dispose();
  }
  void lastLoss;
  return { header: written, seconds, stepsPerSecond: (steps - start) / Math.max(seconds, 1e-9), val: last, backend };
}

function round(v: ValScores): Record<string, unknown> {
  const r = (s: Scores) => ({ tonePsnr15: +s.tonePsnr15.toFixed(3), tonePsnr10: +s.tonePsnr10.toFixed(3), ssim: +s.ssim.toFixed(4), toneBias: +s.toneBias.toFixed(4) });
  return { model: r(v), floydSteinberg: r(v.fs) };
}

