/**
 * `pixel sprite train` and `pixel sprite prompt --train`: the two training
 * subcommands of `pixel sprite` (sprite.ts parses the flags and dispatches).
 */
import { resolve } from 'node:path';
import { PixelError } from '../../pipeline/errors.js';
import type { BackendName } from '../../nn/tf.js';
import { choiceFlag, intFlag, numberFlag } from '../args.js';
import type { IO } from '../reporters/types.js';

/** What a training subcommand needs of the parsed command line. */
export interface TrainContext {
  values: Record<string, unknown>;
  rest: string[];
  io: IO;
  cwd: string;
  abs: (v: unknown) => string | undefined;
  seed: number;
  backend: () => BackendName;
  warn: (m: string) => void;
  noPositionals: () => void;
}

const fmt = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

function archFlag(value: unknown): 'gated' | 'pixelcnn' {
  return choiceFlag(value, 'arch', ['gated', 'pixelcnn'] as const) ?? 'gated';
}

export async function trainSpriteModel({ values, rest, io, cwd, abs, seed, backend, warn, noPositionals }: TrainContext): Promise<number> {
  noPositionals();
  if (!values.images) throw new PixelError('E_USAGE', 'Expected --images <dir> for pixel sprite train', { hint: 'See pixel sprite train --help' });
  const { trainAr, AR_TRAIN_DEFAULTS } = await import('../../sprite/train.js');
  const out = abs(values.out) ?? resolve(cwd, 'sprite-ar.png');
  const options = {
    ...AR_TRAIN_DEFAULTS,
    images: abs(values.images)!,
    out,
    grid: intFlag(values.grid, 'grid', 4, 128) ?? AR_TRAIN_DEFAULTS.grid,
    epochs: intFlag(values.epochs, 'epochs', 1, 100_000) ?? AR_TRAIN_DEFAULTS.epochs,
    lr: numberFlag(values.lr, 'lr', 1e-7, 1) ?? AR_TRAIN_DEFAULTS.lr,
    batch: intFlag(values.batch, 'batch', 1, 4096) ?? AR_TRAIN_DEFAULTS.batch,
    seed,
    valSplit: numberFlag(values['val-split'], 'val-split', 0, 0.9) ?? AR_TRAIN_DEFAULTS.valSplit,
    arch: archFlag(values.arch),
    holdout: abs(values.holdout),
    val: abs(values.val),
    log: abs(values.log),
    channels: intFlag(values.channels, 'channels', 1, 512) ?? AR_TRAIN_DEFAULTS.channels,
    blocks: intFlag(values.blocks, 'blocks', 0, 64) ?? AR_TRAIN_DEFAULTS.blocks,
    maxMinutes: numberFlag(values['max-minutes'], 'max-minutes', 0, 1e6) ?? 0,
    resume: abs(values.resume),
    backend: backend(),
    command: `pixel sprite train ${rest.join(' ')}`,
  };
  let last = 0;
  const r = await trainAr(
    options,
    (p) => {
      const now = performance.now();
      if (p.valBpp === undefined && p.step !== 1 && now - last < 10_000) return;
      last = now;
      io.stdout(`epoch ${p.epoch}/${p.epochs}  step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)} bits/px  lr ${p.lr.toExponential(2)}  ${p.stepsPerSecond.toFixed(2)} steps/s  ETA ${fmt(p.etaSeconds)}${p.valBpp !== undefined ? `\n  val: ${p.valBpp.toFixed(4)} bits/px` : ''}\n`);
    },
    warn,
  );
  const m = r.metrics;
  io.stdout(
    (m.valBpp === null
      ? `no held-out sprites (--val-split 0): training sprites ${m.trainBpp} bits/px\n`
      : `held-out ${m.valSprites} sprites: model ${m.valBpp} bits/px, per-position Bernoulli ${m.positionBaselineBpp}, PNG file ${m.pngFileBpp} (IDAT alone ${m.pngIdatBpp}); training sprites ${m.trainBpp}\n`) +
      `wrote ${out} (${r.backend}, ${fmt(r.seconds)})\n`,
  );
  return 0;
}

export async function trainPromptModel({ values, rest, io, cwd, abs, seed, backend, warn, noPositionals }: TrainContext): Promise<number> {
  noPositionals();
  const { trainPrompt, PROMPT_TRAIN_DEFAULTS } = await import('../../sprite/prompt-train.js');
  const out = abs(values.out) ?? resolve(cwd, 'sprite-prompt.png');
  if (values.steps !== undefined && values.epochs !== undefined) throw new PixelError('E_USAGE', 'Expected --epochs or --steps for pixel sprite prompt --train, not both');
  const o = {
    ...PROMPT_TRAIN_DEFAULTS,
    images: abs(values.train)!,
    val: abs(values.val),
    holdout: abs(values.holdout),
    log: abs(values.log),
    out,
    grid: intFlag(values.grid, 'grid', 4, 128) ?? PROMPT_TRAIN_DEFAULTS.grid,
    epochs: intFlag(values.epochs, 'epochs', 1, 1_000_000) ?? PROMPT_TRAIN_DEFAULTS.epochs,
    steps: intFlag(values.steps, 'steps', 1, 10_000_000),
    hidden: intFlag(values.hidden, 'hidden', 1, 4096) ?? PROMPT_TRAIN_DEFAULTS.hidden,
    lr: numberFlag(values.lr, 'lr', 1e-7, 1) ?? PROMPT_TRAIN_DEFAULTS.lr,
    seed,
    backend: backend(),
    command: `pixel sprite prompt ${rest.join(' ')}`,
  };
  const r = await trainPrompt(
    o,
    (p) => io.stdout(`epoch ${p.epoch}  step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  training pixel error ${(p.pixelError * 100).toFixed(2)}%${p.valPixelError !== undefined ? `  val ${(p.valPixelError * 100).toFixed(2)}%` : ''}\n`),
    warn,
  );
  const m = r.metrics;
  io.stdout(
    `training pixel error ${(m.trainPixelError * 100).toFixed(2)}%, exact ${(m.trainExact * 100).toFixed(1)}% of ${m.pairs} icons; rephrased names ${(m.rephrasedPixelError * 100).toFixed(2)}%` +
      `${m.valPixelError !== null ? `; --val ${(m.valPixelError * 100).toFixed(2)}%` : ''}\nwrote ${out} (${r.backend}, ${fmt(r.seconds)})\n`,
  );
  return 0;
}
