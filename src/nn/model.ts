/**
 * The U-Net (Ronneberger, Fischer & Brox, "U-Net: Convolutional Networks for
 * Biomedical Image Segmentation", MICCAI 2015), made small: three levels,
 * 3×3 convolutions with ReLU, 2×2 average pooling down, nearest-neighbour
 * upsampling + 3×3 convolution up (not transposed convolution, which leaves
 * checkerboard artefacts: Odena, Dumoulin & Olah, "Deconvolution and
 * Checkerboard Artifacts", Distill 2016), skip connections by concatenation.
 *
 * It does not draw the dots itself: it outputs a correction f(Y), and the
 * binarizer sees p = clamp(Y + 0.5·tanh(f(Y)), 0, 1). The last 1×1 layer
 * starts at zero, so an untrained model is exactly its binarizer on Y
 * (Floyd–Steinberg for 'error-diffusion'). Input: linear-light gray in 0..1.
 *
 * Shapes: x [n, h, w, 1] with h and w multiples of 4 → p [n, h, w, 1].
 */
import type { BinarizerName } from './binarize.js';
import { loadModel, toTensors, type ModelKind } from './model-file.js';
import type { TF } from './tf.js';
import type { ModelHeader } from './weights-png.js';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

export interface Architecture {
  /** 'unet-residual': p = clamp(Y + 0.5·tanh(f(Y))). */
  type: 'unet-residual';
  /** Channels at full, half and quarter resolution. */
  channels: [number, number, number];
}

export interface TensorSpec {
  name: string;
  shape: number[];
}

/** Every weight tensor, in file order: conv filters [kh, kw, cin, cout] and biases [cout]. */
export function tensorSpecs(arch: Architecture): TensorSpec[] {
  const [c0, c1, c2] = arch.channels;
  const convs: [string, number, number, number][] = [
    ['enc0a', 3, 1, c0],
    ['enc0b', 3, c0, c0],
    ['enc1a', 3, c0, c1],
    ['enc1b', 3, c1, c1],
    ['mid_a', 3, c1, c2],
    ['mid_b', 3, c2, c2],
    ['up1', 3, c2, c1],
    ['dec1', 3, 2 * c1, c1],
    ['up0', 3, c1, c0],
    ['dec0', 3, 2 * c0, c0],
    ['out', 1, c0, 1],
  ];
  const specs: TensorSpec[] = [];
  for (const [name, k, cin, cout] of convs) {
    specs.push({ name: `${name}.w`, shape: [k, k, cin, cout] });
    specs.push({ name: `${name}.b`, shape: [cout] });
  }
  return specs;
}

export function parameterCount(arch: Architecture): number {
  return tensorSpecs(arch).reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** Multiply-adds per input pixel (each level's convs weighted by its pixel share). */
export function macsPerPixel(arch: Architecture): number {
  const share: Record<string, number> = { enc0a: 1, enc0b: 1, enc1a: 1 / 4, enc1b: 1 / 4, mid_a: 1 / 16, mid_b: 1 / 16, up1: 1 / 4, dec1: 1 / 4, up0: 1, dec0: 1, out: 1 };
  let macs = 0;
  for (const t of tensorSpecs(arch)) if (t.name.endsWith('.w')) macs += t.shape.reduce((a, b) => a * b, 1) * share[t.name.slice(0, -2)];
  return macs;
}

export type Weights = Map<string, Tensor>;

/**
 * Fresh weights: He-normal filters (He et al., "Delving Deep into
 * Rectifiers", ICCV 2015), zero biases, and a zero last layer.
 */
export function initWeights(tf: TF, arch: Architecture, seed: number): Weights {
  const w: Weights = new Map();
  let s = seed >>> 0;
  for (const spec of tensorSpecs(arch)) {
    if (spec.name.endsWith('.b') || spec.name.startsWith('out.')) {
      w.set(spec.name, tf.zeros(spec.shape));
    } else {
      const fanIn = spec.shape[0] * spec.shape[1] * spec.shape[2];
      w.set(spec.name, tf.randomNormal(spec.shape, 0, Math.sqrt(2 / fanIn), 'float32', (s = (s * 1103515245 + 12345) >>> 0)));
    }
  }
  return w;
}

/** Set by inference: conv + bias + ReLU as one fused kernel (same result, fewer passes over memory). */
let fusedConvs = false;

function conv(tf: TF, w: Weights, name: string, x: Tensor4D, relu: boolean): Tensor4D {
  const filter = w.get(`${name}.w`) as Tensor4D;
  const bias = w.get(`${name}.b`)!;
  if (fusedConvs) return tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation: relu ? 'relu' : 'linear' });
  const y = tf.add(tf.conv2d(x, filter, 1, 'same'), bias) as Tensor4D;
  return relu ? tf.relu(y) : y;
}

function down(tf: TF, x: Tensor4D): Tensor4D {
  return tf.avgPool(x, 2, 2, 'valid');
}

function up(tf: TF, x: Tensor4D): Tensor4D {
  return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

/** The raw correction f(Y): [n, h, w, 1] (h, w multiples of 4). */
export function correction(tf: TF, w: Weights, y: Tensor4D): Tensor4D {
  const x = tf.sub(y, 0.5) as Tensor4D; // centred input
  const e0 = conv(tf, w, 'enc0b', conv(tf, w, 'enc0a', x, true), true); // [n,h,w,c0]
  const e1 = conv(tf, w, 'enc1b', conv(tf, w, 'enc1a', down(tf, e0), true), true); // [n,h/2,w/2,c1]
  const m = conv(tf, w, 'mid_b', conv(tf, w, 'mid_a', down(tf, e1), true), true); // [n,h/4,w/4,c2]
  const u1 = conv(tf, w, 'up1', up(tf, m), true); // [n,h/2,w/2,c1]
  const d1 = conv(tf, w, 'dec1', tf.concat([u1, e1], 3), true);
  const u0 = conv(tf, w, 'up0', up(tf, d1), true); // [n,h,w,c0]
  const d0 = conv(tf, w, 'dec0', tf.concat([u0, e0], 3), true);
  return conv(tf, w, 'out', d0, false); // [n,h,w,1]
}

/**
 * p = clamp(Y + 0.5·tanh(f(Y)), 0, 1): the gray the binarizer sees, except
 * that pure black (Y = 0) and pure white (Y = 1) pass unchanged, so they stay
 * pure after error diffusion (which never flips a 0 or 1 input).
 */
export function correctedGray(tf: TF, w: Weights, y: Tensor4D, inference = false): Tensor4D {
  fusedConvs = inference;
  const p = tf.clipByValue(tf.add(y, tf.mul(0.5, tf.tanh(correction(tf, w, y)))), 0, 1);
  const pure = tf.logicalOr(tf.lessEqual(y, 0), tf.greaterEqual(y, 1));
  return tf.where(pure, y, p) as Tensor4D;
}

/** The U-Net's model files (written by `train`; their header has no `kind`). */
export const UNET_FILE: ModelKind<Architecture> = {
  what: 'model',
  title: 'a unet binarizer model',
  types: ['unet-residual'],
  valid: (a) => Array.isArray(a.channels),
  tensors: tensorSpecs,
};

export interface LoadedModel {
  header: ModelHeader;
  architecture: Architecture;
  binarizer: BinarizerName;
  weights: Weights;
  /** Extra tensors (optimizer state in checkpoints). */
  extra: Map<string, Float32Array>;
}

/** Loads a U-Net model file into tfjs tensors (the caller disposes them); a bad file throws and makes none. */
export function readModel(tf: TF, file: string): LoadedModel {
  const { header, arch, weights, extra } = loadModel(file, UNET_FILE);
  return { header, architecture: arch, binarizer: (header.binarizer as BinarizerName) ?? 'error-diffusion', weights: toTensors(tf, weights, tensorSpecs(arch)), extra };
}
