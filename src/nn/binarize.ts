/**
 * Hard binarizers with a straight-through gradient (Bengio, Léonard &
 * Courville, "Estimating or Propagating Gradients Through Stochastic Neurons
 * for Conditional Computation", 2013): the forward pass outputs exactly 0 or
 * 1, the backward pass treats the binarizer as the identity, so the loss on
 * the binary image trains the network that produced its gray input.
 *
 * - 'ostromoukhov': error diffusion with Ostromoukhov's tone-dependent
 *   coefficients, serpentine (the dither plugin's `ostromoukhov`): already
 *   +0.85 dB over Floyd–Steinberg on its own, so the network starts higher.
 * - 'error-diffusion': Floyd–Steinberg of p, raster order.
 * - 'threshold': p > 0.5.
 * Each runs per image of the batch, in JS on the tensor's data.
 */
import { KERNELS, diffuse } from '../kernels/error-diffusion.js';
import { ostromoukhovWeights } from '../kernels/variable-coefficients.js';
import { diffuseVariable } from '../kernels/variable-diffusion.js';
import type { TF } from './tf.js';

type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

export type BinarizerName = 'ostromoukhov' | 'error-diffusion' | 'threshold';
export const BINARIZERS: readonly BinarizerName[] = ['ostromoukhov', 'error-diffusion', 'threshold'];

const DIFFUSE = { serpentine: false, strength: 1 } as const;
let weights: ReturnType<typeof ostromoukhovWeights> | undefined;

/** Binarizes a [h·w] plane of p into 0/1 bytes (the inference path). */
export function binarizePlane(binarizer: BinarizerName, p: Float32Array, width: number, height: number, out = new Uint8Array(width * height)): Uint8Array {
  if (binarizer === 'error-diffusion') return diffuse(p, width, height, KERNELS['floyd-steinberg'], DIFFUSE, out);
  if (binarizer === 'ostromoukhov') return diffuseVariable(p, width, height, { weights: (weights ??= ostromoukhovWeights()), strength: 1, serpentine: true }, out);
  for (let i = 0; i < width * height; i++) out[i] = p[i] > 0.5 ? 1 : 0;
  return out;
}

/** Binarizes a batch [n, h, w, 1]; forward exact 0/1, gradient passed straight through. */
export function straightThrough(tf: TF, binarizer: BinarizerName, p: Tensor4D): Tensor4D {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const op = tf.customGrad(((x: import('@tensorflow/tfjs').Tensor) => {
    const [n, h, w] = x.shape;
    const data = x.dataSync() as Float32Array;
    const out = new Float32Array(data.length);
    const bits = new Uint8Array(h * w);
    for (let b = 0; b < n; b++) {
      const plane = data.subarray(b * h * w, (b + 1) * h * w);
      binarizePlane(binarizer, plane, w, h, bits);
      for (let i = 0; i < h * w; i++) out[b * h * w + i] = bits[i];
    }
    return { value: tf.tensor(out, x.shape, 'float32'), gradFunc: (dy: import('@tensorflow/tfjs').Tensor) => [dy] };
  }) as never);
  return op(p) as Tensor4D;
}
