/**
 * The training loss, in tensors, on [n, h, w, 1] batches (reference Y and
 * binary B, both linear light): QUALITY.md's eye model made differentiable.
 *
 *   loss = toneWeight · mean((G₁.₅ * Y − G₁.₅ * B)²) + ssimWeight · (1 − SSIM(G₁.₅ * Y, G₁.₅ * B))
 *        + pixelWeight · mean((Y − B)²)
 *
 * (the last term, unblurred, is for 1-bit targets, where every pixel is the answer;)
 * G₁.₅ is a Gaussian of σ 1.5 truncated at 4σ (13 taps, as scipy), applied
 * separably as 'valid' convolutions (borders cropped rather than reflected:
 * simpler to differentiate, and patches are small crops of larger images
 * anyway). SSIM follows Wang et al. 2004 with K1 0.01, K2 0.03, data range 1
 * and an 11×11 Gaussian window of σ 1.5, population covariances, mean over
 * the valid region.
 */
import type { TF } from './tf.js';
import { gaussianTaps } from '../kernels/gaussian.js';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;
type Scalar = import('@tensorflow/tfjs').Scalar;

export interface LossWeights {
  tone: number;
  ssim: number;
  /** Weight of the unblurred per-pixel MSE against a 1-bit target (supervised pairs: pixel accuracy itself). */
  pixel?: number;
}

export const DEFAULT_LOSS: LossWeights = { tone: 100, ssim: 3 };

/** The Gaussian's taps with scipy's radius (truncate·σ, rounded), as float32 for tfjs. */
function scipyTaps(sigma: number, truncate: number): Float32Array {
  const r = Math.floor(truncate * sigma + 0.5);
  return gaussianTaps(sigma, r, new Float32Array(2 * r + 1));
}

/** Separable 'valid' Gaussian blur of a [n, h, w, 1] batch. */
export function blurValid(tf: TF, x: Tensor4D, taps: Float32Array): Tensor4D {
  const k = taps.length;
  const row = tf.tensor4d(taps, [1, k, 1, 1]);
  const col = tf.tensor4d(taps, [k, 1, 1, 1]);
  return tf.conv2d(tf.conv2d(x, row, 1, 'valid'), col, 1, 'valid');
}

const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

/** Mean SSIM of two [n, h, w, 1] batches (valid region). */
export function ssimValid(tf: TF, a: Tensor4D, b: Tensor4D): Scalar {
  const n = a.shape[0];
  const taps = scipyTaps(1.5, 3.5);
  // One blur for all five moment maps: stack them on the batch axis.
  const m = blurValid(tf, tf.concat([a, b, tf.mul(a, a), tf.mul(b, b), tf.mul(a, b)], 0) as Tensor4D, taps);
  const [ma, mb, maa, mbb, mab] = tf.split(m, [n, n, n, n, n], 0);
  const va = tf.sub(maa, tf.mul(ma, ma));
  const vb = tf.sub(mbb, tf.mul(mb, mb));
  const cov = tf.sub(mab, tf.mul(ma, mb));
  const num = tf.mul(tf.add(tf.mul(2, tf.mul(ma, mb)), C1), tf.add(tf.mul(2, cov), C2));
  const den = tf.mul(tf.add(tf.add(tf.mul(ma, ma), tf.mul(mb, mb)), C1), tf.add(tf.add(va, vb), C2));
  return tf.mean(tf.div(num, den)) as Scalar;
}

export interface LossParts {
  loss: Scalar;
  mse: Scalar;
  ssim: Scalar;
}

export function halftoneLoss(tf: TF, reference: Tensor4D, binary: Tensor4D, weights: LossWeights = DEFAULT_LOSS): LossParts {
  const pixel = (): Scalar => tf.mul(weights.pixel ?? 0, tf.mean(tf.squaredDifference(reference, binary))) as Scalar;
  // Pixel loss alone (1-bit targets): skip the blurs.
  if (weights.tone === 0 && weights.ssim === 0) return { loss: pixel(), mse: tf.scalar(0), ssim: tf.scalar(1) };
  const taps = scipyTaps(1.5, 4);
  const by = blurValid(tf, reference, taps);
  const bb = blurValid(tf, binary, taps);
  const mse = tf.mean(tf.squaredDifference(by, bb)) as Scalar;
  const s = ssimValid(tf, by, bb);
  let loss = tf.add(tf.mul(weights.tone, mse), tf.mul(weights.ssim, tf.sub(1, s))) as Scalar;
  if (weights.pixel) loss = tf.add(loss, pixel()) as Scalar;
  return { loss, mse, ssim: s };
}

export type { Tensor };
