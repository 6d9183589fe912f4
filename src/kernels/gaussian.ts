/**
 * The taps of a normalised 1-D Gaussian, w[i + r] ∝ exp(−i²/2σ²) for
 * i = −r..r, summing to 1. Each caller picks its radius by the rule of the
 * reference it follows (OpenCV's kernel size, 3σ, 4σ, scipy's truncate);
 * the blur loops that apply them stay with their callers, because each
 * matches a different reference's border rule and precision (see the
 * README's design notes). Into a Float32Array (tfjs), each tap is rounded
 * to float32 before it is normalised.
 */
export function gaussianTaps<T extends Float32Array | Float64Array = Float64Array>(sigma: number, radius: number, k: T = new Float64Array(2 * radius + 1) as T): T {
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}
