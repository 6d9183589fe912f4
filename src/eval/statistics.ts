/** Per-column statistics over the images scored: mean and sample standard deviation. */
import type { Scores } from '../metrics/index.js';

/** Mean and sample standard deviation (n − 1; 0 for one value) over the images scored. */
export interface Stat {
  mean: number;
  sd: number;
}

export type ScoreStats = Record<keyof Scores, Stat>;

export function stat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let q = 0;
  for (const v of values) q += (v - mean) * (v - mean);
  return { mean, sd: n > 1 ? Math.sqrt(q / (n - 1)) : 0 };
}

const SCORE_KEYS: readonly (keyof Scores)[] = ['tonePsnr15', 'tonePsnr10', 'ssim', 'toneBias', 'tonePsnr20', 'edgeF1', 'orphans', 'orphans4'];

export function scoreStats(list: readonly Scores[]): ScoreStats {
  return Object.fromEntries(SCORE_KEYS.map((k) => [k, stat(list.map((s) => s[k]))])) as ScoreStats;
}
