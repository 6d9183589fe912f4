/**
 * The optimiser both trainers share (`pixel train`, `pixel sprite train`):
 * a warm-up + cosine learning-rate schedule and Adam (Kingma & Ba 2015) with
 * explicit moments, so they can be saved in checkpoints and resumed exactly.
 */
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { TF } from './tf.js';

/** Linear warm-up over min(100, steps/10) steps, then cosine decay to 5 %. */
export function learningRate(step: number, steps: number, lr: number): number {
  const warm = Math.min(100, Math.floor(steps / 10));
  if (step < warm) return (lr * (step + 1)) / warm;
  const t = (step - warm) / Math.max(1, steps - warm);
  return lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/** What both trainers report after each step. */
export interface StepProgress {
  step: number;
  steps: number;
  loss: number;
  lr: number;
  stepsPerSecond: number;
  etaSeconds: number;
}

export interface AdamMoments {
  m: Tensor;
  v: Tensor;
}

export interface AdamStep {
  lr: number;
  /** 1-based count of steps since the moments were zero (for bias correction). */
  t: number;
  b1?: number;
  b2?: number;
  eps?: number;
}

/** One Adam update of `variable` with gradient `g`; replaces (and disposes) the old moments. Call inside tf.tidy. */
export function adamUpdate(tf: TF, variable: Variable, g: Tensor, s: AdamMoments, step: AdamStep): void {
  const { lr, t, b1 = 0.9, b2 = 0.999, eps = 1e-8 } = step;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  const m = tf.keep(tf.add(tf.mul(b1, s.m), tf.mul(1 - b1, g)));
  const vv = tf.keep(tf.add(tf.mul(b2, s.v), tf.mul(1 - b2, tf.square(g))));
  s.m.dispose();
  s.v.dispose();
  s.m = m;
  s.v = vv;
  variable.assign(tf.sub(variable, tf.mul(lr / c1, tf.div(m, tf.add(tf.sqrt(tf.div(vv, c2)), eps)))));
}
