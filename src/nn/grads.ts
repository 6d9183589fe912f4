/**
 * The gradient of one training batch, shared by the training loop (train.ts)
 * and its worker threads (grad-worker.ts), which is why it lives apart from both.
 */
import { straightThrough, type BinarizerName } from './binarize.js';
import { halftoneLoss, type LossWeights } from './loss.js';
import { correctedGray, type Weights } from './model.js';
import type { TF } from './tf-type.js';

type Variable = import('@tensorflow/tfjs').Variable;
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

/** Loss and gradients of one batch (call inside tf.tidy). */
export function batchGrads(tf: TF, weights: Weights, vars: Map<string, Variable>, binarizer: BinarizerName, loss: LossWeights, x: Tensor4D, ref: Tensor4D) {
  return tf.variableGrads(() => {
    const p = correctedGray(tf, weights, x);
    return halftoneLoss(tf, ref, straightThrough(tf, binarizer, p), loss).loss;
  }, [...vars.values()]);
}
