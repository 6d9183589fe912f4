/** The tfjs module's type, on its own so that kernels.ts (which tf.ts imports) can name it without an import circle. */
export type TF = typeof import('@tensorflow/tfjs');
