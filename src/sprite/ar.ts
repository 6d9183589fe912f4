/**
 * Sampling, completion and scoring with the autoregressive sprite models,
 * and their model file (a weights PNG, src/nn/weights-png.ts). Two
 * architectures share one interface: the full-context gated PixelCNN
 * (gated.ts, the shipped model) and the original masked PixelCNN
 * (pixelcnn.ts, kept so older model files still load). Sampling and
 * completion run in plain JS (no tfjs load); scoring many sprites runs the
 * teacher-forced tfjs graph in batches (one parallel pass per batch).
 */
import type { Tensor, Tensor4D, Variable } from '@tensorflow/tfjs';
import { rng } from '../nn/data.js';
import { useBackend, type TF } from '../nn/tf.js';
import { decodeModel, loadModel, type ModelKind } from '../nn/model-file.js';
import { encodeModelPng, type ModelHeader } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { disposeTfGatedModel, gatedLogits, gatedLogitsConv, gatedMacsPerPixel, gatedParameterCount, gatedTensorSpecs, initGatedWeights, tfGatedModel, type GatedArchitecture } from './gated.js';
import { GatedNet } from './gated-net.js';
import { ArNet, arLogits, arMacsPerPixel, arParameterCount, arTensorSpecs, disposeTfArModel, initArWeights, tfArModel, type ArArchitecture } from './pixelcnn.js';

export const AR_KIND = 'sprite-ar';

export type AnyArArchitecture = ArArchitecture | GatedArchitecture;

/** What sampling, completion and scoring need of a net: the grid and a raster-order run. */
export interface ArRunner {
  readonly grid: number;
  run(count: number, bits: Uint8Array, decide: (p: number, logits: Float64Array) => void, from?: number): void;
}

export interface ArModel {
  header: ModelHeader;
  arch: AnyArArchitecture;
  weights: Map<string, Float32Array>;
  net: ArRunner;
}

const isGated = (a: AnyArArchitecture): a is GatedArchitecture => a.type === 'gated-pixelcnn';

export function anyTensorSpecs(a: AnyArArchitecture): { name: string; shape: number[] }[] {
  return isGated(a) ? gatedTensorSpecs(a) : arTensorSpecs(a);
}
export const anyInitWeights = (a: AnyArArchitecture, seed: number): Map<string, Float32Array> => (isGated(a) ? initGatedWeights(a, seed) : initArWeights(a, seed));
export const anyNet = (a: AnyArArchitecture, w: Map<string, Float32Array>): ArRunner => (isGated(a) ? new GatedNet(a, w) : new ArNet(a, w));
export const anyParameterCount = (a: AnyArArchitecture): number => (isGated(a) ? gatedParameterCount(a) : arParameterCount(a));
export const anyMacsPerPixel = (a: AnyArArchitecture): number => (isGated(a) ? gatedMacsPerPixel(a) : arMacsPerPixel(a));

/** The tfjs graph of either architecture (training, batched scoring). */
export interface TfAr {
  vars: Map<string, Variable>;
  logits(x: Tensor4D): Tensor4D;
  /** The same logits without gradients, where a faster graph exists (scoring). */
  infer?(x: Tensor4D): Tensor4D;
  dispose(): void;
}

export function tfAr(tf: TF, a: AnyArArchitecture, w: Map<string, Float32Array>): TfAr {
  if (isGated(a)) {
    const m = tfGatedModel(tf, a, w);
    return { vars: m.vars, logits: (x) => gatedLogits(tf, m, x), infer: (x) => gatedLogitsConv(tf, m, x), dispose: () => disposeTfGatedModel(m) };
  }
  const m = tfArModel(tf, a, w);
  return { vars: m.vars, logits: (x) => arLogits(tf, m, x), dispose: () => disposeTfArModel(m) };
}

export function encodeArModel(arch: AnyArArchitecture, weights: Map<string, Float32Array>, extra: Record<string, unknown> = {}, state: { name: string; shape: number[]; data: Float32Array }[] = []): Buffer {
  const tensors = anyTensorSpecs(arch).map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! }));
  return encodeModelPng({ kind: AR_KIND, architecture: arch, ...extra }, [...tensors, ...state]);
}

/** The autoregressive sprite models' files (either architecture). */
export const AR_FILE: ModelKind<AnyArArchitecture> = {
  what: 'sprite model',
  kind: AR_KIND,
  title: 'an autoregressive sprite model',
  hint: 'Train one with `pixel sprite train --images <dir>`, or use models/sprite-ar.png',
  types: ['gated-pixelcnn', 'pixelcnn'],
  tensors: anyTensorSpecs,
};

export function decodeArModel(bytes: Uint8Array, file?: string): ArModel {
  const { header, arch, weights } = decodeModel(bytes, AR_FILE, file);
  return { header, arch, weights, net: anyNet(arch, weights) };
}

export function loadArModel(file: string): ArModel {
  const { header, arch, weights } = loadModel(file, AR_FILE);
  return { header, arch, weights, net: anyNet(arch, weights) };
}

export function checkTemperature(t: number, what = '--temperature'): number {
  if (!(Number.isFinite(t) && t > 0)) throw new PixelError('E_USAGE', `Expected a temperature above 0 for ${what} but received ${JSON.stringify(t)}`, { hint: '1 samples the model as trained; below 1 is more conservative, above 1 wilder' });
  return t;
}

export interface SampleOptions {
  count: number;
  temperature: number;
  seed: number;
}

/** One completion job: keep `known` where `fill` is 0, draw `count` sprites. */
export interface CompletionJob {
  known: Uint8Array;
  fill: Uint8Array;
  count: number;
  temperature: number;
  seed: number;
  /**
   * A second expert for the filled pixels (a product of experts): at pixel p,
   * `bias` is added to the logit towards the value of the pixel `mirrors[i][p]`
   * (−1: none) for every map whose mirror pixel is already known (kept, or
   * sampled earlier in raster order).
   */
  guide?: { mirrors: readonly Int32Array[]; bias: number };
  /**
   * A reference expert for the filled pixels (another factor of the product):
   * a posterior over whole reference sprites, each weighted by
   * exp(−mismatches / `tau`) against the kept pixels (all of them, also those
   * after the hole) and the pixels sampled so far in this chain; at pixel p,
   * `bias` · (2·P_ref(ink) − 1) is added to the logit, P_ref(ink) being the
   * weighted share of references with ink at p.
   */
  refs?: { sprites: readonly Uint8Array[]; bias: number; tau: number };
}

/** Does any kept pixel come after a filled one in raster order (so a causal sampler cannot see it)? */
export function keptAfterFill(fill: Uint8Array): boolean {
  const first = fill.indexOf(1);
  if (first < 0) return false;
  for (let p = first + 1; p < fill.length; p++) if (!fill[p]) return true;
  return false;
}

/**
 * Completes several jobs in one batched raster-order pass. Filled pixels are
 * sampled, each conditioned on every pixel before it (known or sampled); kept
 * pixels keep `known`'s value exactly.
 *
 * A causal sampler does not look at kept pixels after a filled one (below or
 * to the right). With `proposals` K > 1 each output is chosen among K
 * samples by importance resampling: the sample's weight is the model's
 * probability of those later kept pixels given it (P(x) / q(x), q being the
 * sampler), so fills that join up with what lies below and to the right are
 * preferred, in proportion to how well they fit. Same seed, same result.
 */
export function completeJobs(net: ArRunner, jobs: readonly CompletionJob[], proposals = 1): Uint8Array[][] {
  const n = net.grid * net.grid;
  const K = Math.max(1, Math.floor(proposals));
  const chains: { job: number; rand: () => number; invT: number; miss?: Float64Array }[] = [];
  for (const [j, job] of jobs.entries()) {
    checkTemperature(job.temperature);
    if (job.known.length !== n || job.fill.length !== n) throw new PixelError('E_USAGE', `Expected a ${net.grid}×${net.grid} sprite and fill mask but received ${job.known.length} and ${job.fill.length} pixels`);
    const rand = rng(job.seed);
    // Mismatches of each reference with the kept pixels; each chain then adds its own sampled ones.
    const kept = job.refs && Float64Array.from(job.refs.sprites, (r) => {
      let d = 0;
      for (let p = 0; p < n; p++) if (!job.fill[p] && r[p] !== job.known[p]) d++;
      return d;
    });
    for (let c = 0; c < job.count * K; c++) chains.push({ job: j, rand, invT: 1 / job.temperature, miss: kept?.slice() });
  }
  const total = chains.length;
  const bits = new Uint8Array(total * n);
  chains.forEach((c, s) => bits.set(jobs[c.job].known, s * n));
  const logW = new Float64Array(total);
  const started = new Uint8Array(total);
  net.run(total, bits, (p, logits) => {
    for (let s = 0; s < total; s++) {
      const c = chains[s];
      let z = logits[s] * c.invT;
      const { fill, guide, refs } = jobs[c.job];
      if (fill[p]) {
        started[s] = 1;
        if (guide)
          for (const m of guide.mirrors) {
            const q = m[p];
            if (q >= 0 && q !== p && (q < p || !fill[q])) z += bits[s * n + q] ? guide.bias : -guide.bias;
          }
        if (refs && c.miss) z += refs.bias * (2 * refInk(refs.sprites, c.miss, refs.tau, p) - 1);
        const bit = c.rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        bits[s * n + p] = bit;
        if (refs && c.miss) for (let r = 0; r < refs.sprites.length; r++) if (refs.sprites[r][p] !== bit) c.miss[r]++;
      } else if (K > 1 && started[s]) {
        // log P(kept bit | everything before it) = −softplus(∓z)
        const x = bits[s * n + p] ? z : -z;
        logW[s] -= Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      }
    }
  });
  let s0 = 0;
  return jobs.map((job) => {
    const pick = rng(job.seed ^ 0x9e3779b9);
    const out: Uint8Array[] = [];
    for (let k = 0; k < job.count; k++, s0 += K) {
      let chosen = s0;
      if (K > 1) {
        let max = -Infinity;
        for (let i = 0; i < K; i++) max = Math.max(max, logW[s0 + i]);
        const w = Array.from({ length: K }, (_, i) => Math.exp(logW[s0 + i] - max));
        let r = pick() * w.reduce((a, b) => a + b, 0);
        chosen = s0 + K - 1;
        for (let i = 0; i < K; i++) if ((r -= w[i]) < 0) {
          chosen = s0 + i;
          break;
        }
      }
      out.push(bits.slice(chosen * n, (chosen + 1) * n));
    }
    return out;
  });
}

/** The reference expert's belief that pixel p is ink: the share of references with ink there, each weighted by exp(−mismatches / tau). */
function refInk(sprites: readonly Uint8Array[], miss: Float64Array, tau: number, p: number): number {
  if (sprites.length === 0) return 0.5;
  let least = Infinity;
  for (const d of miss) least = Math.min(least, d);
  let all = 0;
  let ink = 0;
  for (let r = 0; r < sprites.length; r++) {
    const w = Math.exp((least - miss[r]) / tau);
    all += w;
    if (sprites[r][p]) ink += w;
  }
  return ink / all;
}

export function completeSprites(net: ArRunner, known: Uint8Array, fill: Uint8Array, o: SampleOptions & { proposals?: number }): Uint8Array[] {
  return completeJobs(net, [{ known, fill, ...o }], o.proposals ?? 1)[0];
}

export function sampleSprites(net: ArRunner, o: SampleOptions): Uint8Array[] {
  const n = net.grid * net.grid;
  return completeSprites(net, new Uint8Array(n), new Uint8Array(n).fill(1), o);
}

/** One row of `count` samples per temperature, all in one batched pass; each row has its own seed stream. */
export function sampleRows(net: ArRunner, temperatures: readonly number[], count: number, seed: number): Uint8Array[][] {
  const n = net.grid * net.grid;
  const blank = new Uint8Array(n);
  const all = new Uint8Array(n).fill(1);
  return completeJobs(
    net,
    temperatures.map((t, i) => ({ known: blank, fill: all, count, temperature: t, seed: seed + i * 1_000_003 })),
  );
}

/** Fill mask for `--cut N`: the first N pixels (raster order) kept, the rest generated. */
export function cutFill(grid: number, cut: number): Uint8Array {
  const n = grid * grid;
  if (!(Number.isInteger(cut) && cut >= 0 && cut <= n)) throw new PixelError('E_USAGE', `Expected a whole number between 0 and ${n} for --cut but received ${JSON.stringify(cut)}`, { hint: `A ${grid}×${grid} sprite has ${n} pixels; --cut ${n / 2} keeps the top half` });
  const f = new Uint8Array(n);
  f.fill(1, cut);
  return f;
}

/** Bits per pixel of each sprite under the model: −log2 P(x) / pixels (plain JS, position by position). */
export function scoreSprites(net: ArRunner, sprites: readonly Uint8Array[]): number[] {
  return bitsPerPixel(pixelNats(net, sprites), sprites.length, net.grid * net.grid);
}

/** Per-sprite bits per pixel from sprite-major per-pixel nats. */
export function bitsPerPixel(nats: Float32Array, count: number, n: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    let sum = 0;
    for (let k = i * n; k < (i + 1) * n; k++) sum += nats[k];
    return sum / (n * Math.LN2);
  });
}

/** −ln P(x_p | x_<p) at every pixel of every sprite (sprite-major), plain JS. */
export function pixelNats(net: ArRunner, sprites: readonly Uint8Array[]): Float32Array {
  const n = net.grid * net.grid;
  const count = sprites.length;
  const out = new Float32Array(count * n);
  if (count === 0) return out;
  const bits = new Uint8Array(count * n);
  sprites.forEach((s, i) => bits.set(s, i * n));
  net.run(count, bits, (p, logits) => {
    for (let s = 0; s < count; s++) {
      const x = bits[s * n + p] ? logits[s] : -logits[s];
      out[s * n + p] = Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
  });
  return out;
}

/** The same per-pixel nats from a tfjs graph, `batch` sprites per parallel pass. */
export function pixelNatsWith(tf: TF, model: TfAr, grid: number, sprites: readonly Uint8Array[], batch = 128): Float32Array {
  const n = grid * grid;
  const out = new Float32Array(sprites.length * n);
  for (let i = 0; i < sprites.length; i += batch) {
    const part = sprites.slice(i, i + batch);
    const buf = new Float32Array(part.length * n);
    part.forEach((s, j) => buf.set(s, j * n));
    const nats = tf.tidy(() => {
      const x = tf.tensor4d(buf, [part.length, grid, grid, 1]);
      const z = model.infer ? model.infer(x) : model.logits(x);
      // −ln P(x | z) = softplus(z) − x·z
      return tf.sub(tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z))))), tf.mul(x, z)).dataSync() as Float32Array;
    });
    out.set(nats, i * n);
  }
  return out;
}

/** Bits per pixel per sprite from a tfjs graph, `batch` sprites per parallel pass. */
export function scoreSpritesWith(tf: TF, model: TfAr, grid: number, sprites: readonly Uint8Array[], batch = 128): number[] {
  return bitsPerPixel(pixelNatsWith(tf, model, grid, sprites, batch), sprites.length, grid * grid);
}

/** Batched scoring for the CLI: loads tfjs (wasm) once, one parallel pass per 128 sprites. */
export async function scoreSpritesFast(model: ArModel, sprites: readonly Uint8Array[]): Promise<number[]> {
  if (sprites.length === 0) return [];
  const scorer = await tfPixelNats(model);
  try {
    return bitsPerPixel(scorer.nats(sprites), sprites.length, model.arch.grid * model.arch.grid);
  } finally {
    scorer.dispose();
  }
}

export type { Tensor };

/** Per-pixel nats for the CLI: tfjs (wasm) loaded once, one parallel pass per 128 sprites; dispose when done. */
export async function tfPixelNats(model: ArModel): Promise<{ nats: (sprites: readonly Uint8Array[]) => Float32Array; dispose: () => void }> {
  const { tf } = await useBackend('auto');
  const m = tfAr(tf, model.arch, model.weights);
  return { nats: (sprites) => pixelNatsWith(tf, m, model.arch.grid, sprites), dispose: () => m.dispose() };
}
