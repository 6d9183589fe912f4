/**
 * Trains models/icon-style.png exactly as it was made: `pixel train --pairs`
 * on the icon pair set (scripts/icon-pairs.ts) with the threshold binarizer
 * (straight-through) and the per-pixel loss only, logging every 10th step's
 * loss to models/icon-style.log.jsonl. Run by scripts/train-icon-style.sh.
 * Usage: node --import tsx scripts/train-icon-style.ts <pairs dir> <out.png> <steps>
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { train, TRAIN_DEFAULTS } from '../src/nn/train.js';

const [pairs, out = 'models/icon-style.png', steps = '2000'] = process.argv.slice(2);
const log = out.replace(/\.png$/, '.log.jsonl');
writeFileSync(log, '');
const options = {
  ...TRAIN_DEFAULTS,
  pairs,
  out,
  steps: Number(steps),
  batch: 16,
  patch: 48,
  lr: 0.002,
  seed: 1,
  binarizer: 'threshold' as const,
  architecture: { type: 'unet-residual' as const, channels: [8, 16, 32] as [number, number, number] },
  loss: { tone: 0, ssim: 0, pixel: 1 },
  every: 500,
};
options.command = `pixel train --pairs <icon pairs> --out ${out} --steps ${steps} --batch 16 --patch 48 --lr 0.002 --seed 1 --binarizer threshold --channels 8,16,32 --tone-weight 0 --ssim-weight 0 --pixel-weight 1 --every 500`;
const began = Date.now();
const result = await train(options, (p) => {
  if (p.step % 10 === 0 || p.step === 1) appendFileSync(log, `${JSON.stringify({ step: p.step, loss: +p.loss.toFixed(5), lr: +p.lr.toExponential(3), seconds: Math.round((Date.now() - began) / 1000) })}\n`);
  if (p.step % 100 === 0) console.log(`step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ${p.stepsPerSecond.toFixed(2)} steps/s`);
});
console.log(`wrote ${out} (${result.backend}, ${Math.round(result.seconds)} s, ${result.stepsPerSecond.toFixed(2)} steps/s)`);
