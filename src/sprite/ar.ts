/**
 * Sampling, completion and scoring with the autoregressive sprite model, and
 * its model file (a weights PNG, src/nn/weights-png.ts). Pure JS at inference
 * (see ArNet): no tfjs load, no tensors to leak.
 */
import { readFileSync } from 'node:fs';
import { rng } from '../nn/data.js';
import { decodeModelPng, encodeModelPng, type ModelHeader } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { ArNet, arTensorSpecs, type ArArchitecture } from './pixelcnn.js';

export const AR_KIND = 'sprite-ar';

export interface ArModel {
  header: ModelHeader;
  arch: ArArchitecture;
  weights: Map<string, Float32Array>;
  net: ArNet;
}

export function encodeArModel(arch: ArArchitecture, weights: Map<string, Float32Array>, extra: Record<string, unknown> = {}, state: { name: string; shape: number[]; data: Float32Array }[] = []): Buffer {
  const tensors = arTensorSpecs(arch).map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! }));
  return encodeModelPng({ kind: AR_KIND, architecture: arch, ...extra }, [...tensors, ...state]);
}

export function decodeArModel(bytes: Uint8Array, file?: string): ArModel {
  const { header, tensors } = decodeModelPng(bytes, file);
  if (header.kind !== AR_KIND)
    throw new PixelError('E_INPUT', `Expected an autoregressive sprite model (kind "${AR_KIND}") but ${file ?? 'the file'} holds ${JSON.stringify(header.kind ?? 'a unet binarizer')}`, {
      file,
      hint: 'Train one with `pixel sprite train --images <dir>`, or use models/sprite-ar.png',
    });
  const arch = header.architecture as ArArchitecture;
  for (const s of arTensorSpecs(arch)) if (!tensors.has(s.name)) throw new PixelError('E_INPUT', `Expected tensor ${s.name} in the sprite model but ${file ?? 'the file'} has none`, { file });
  const weights = new Map<string, Float32Array>();
  for (const s of arTensorSpecs(arch)) weights.set(s.name, tensors.get(s.name)!.slice());
  return { header, arch, weights, net: new ArNet(arch, weights) };
}

export function loadArModel(file: string): ArModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new PixelError('E_INPUT', `Expected a readable sprite model but cannot read ${JSON.stringify(file)}`, { file, hint: 'Check the --model path' });
  }
  return decodeArModel(bytes, file);
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

/**
 * Fills the pixels where `fill` is 1 by sampling in raster order, each one
 * conditioned on every pixel before it (known or already sampled); pixels
 * where `fill` is 0 keep `known`'s value exactly. A raster-causal model
 * cannot see known pixels after a filled one: that is the documented
 * limitation of `--mask` inpainting. Returns `count` sprites (ink bits).
 */
export function completeSprites(net: ArNet, known: Uint8Array, fill: Uint8Array, o: SampleOptions): Uint8Array[] {
  checkTemperature(o.temperature);
  const n = net.grid * net.grid;
  if (known.length !== n || fill.length !== n) throw new PixelError('E_USAGE', `Expected a ${net.grid}×${net.grid} sprite and fill mask but received ${known.length} and ${fill.length} pixels`);
  const bits = new Uint8Array(o.count * n);
  for (let s = 0; s < o.count; s++) bits.set(known, s * n);
  const next = rng(o.seed);
  const invT = 1 / o.temperature;
  net.run(o.count, bits, (p, logits) => {
    if (!fill[p]) return;
    for (let s = 0; s < o.count; s++) {
      const prob = 1 / (1 + Math.exp(-logits[s] * invT));
      bits[s * n + p] = next() < prob ? 1 : 0;
    }
  });
  return Array.from({ length: o.count }, (_, s) => bits.slice(s * n, (s + 1) * n));
}

export function sampleSprites(net: ArNet, o: SampleOptions): Uint8Array[] {
  const n = net.grid * net.grid;
  return completeSprites(net, new Uint8Array(n), new Uint8Array(n).fill(1), o);
}

/** Fill mask for `--cut N`: the first N pixels (raster order) kept, the rest generated. */
export function cutFill(grid: number, cut: number): Uint8Array {
  const n = grid * grid;
  if (!(Number.isInteger(cut) && cut >= 0 && cut <= n)) throw new PixelError('E_USAGE', `Expected a whole number between 0 and ${n} for --cut but received ${JSON.stringify(cut)}`, { hint: `A ${grid}×${grid} sprite has ${n} pixels; --cut ${n / 2} keeps the top half` });
  const f = new Uint8Array(n);
  f.fill(1, cut);
  return f;
}

/** Bits per pixel of each sprite under the model: −log2 P(x) / pixels. */
export function scoreSprites(net: ArNet, sprites: readonly Uint8Array[]): number[] {
  const n = net.grid * net.grid;
  const count = sprites.length;
  if (count === 0) return [];
  const bits = new Uint8Array(count * n);
  sprites.forEach((s, i) => bits.set(s, i * n));
  const nats = new Float64Array(count);
  net.run(count, bits, (p, logits) => {
    for (let s = 0; s < count; s++) {
      const z = logits[s];
      // −log P(x|z) = softplus(z) − x·z, stable for large |z|.
      const sp = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
      nats[s] += sp - (bits[s * n + p] ? z : 0);
    }
  });
  return Array.from(nats, (v) => v / Math.LN2 / n);
}
