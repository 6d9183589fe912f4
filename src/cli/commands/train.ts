/** `pixel train`: trains the unet binarizer and writes its weights as a PNG. */
import { resolve } from 'node:path';
import { PixelError } from '../../pipeline/errors.js';
import { BINARIZERS, type BinarizerName } from '../../nn/binarize.js';
import { BACKENDS, type BackendName } from '../../nn/tf.js';
import { choiceFlag, helpText, intFlag, numberFlag, parseCommandLine, type OptionTable } from '../args.js';
import { invalidFlag } from '../../pipeline/messages.js';
import type { IO } from '../reporters/types.js';

const OPTIONS: OptionTable = {
  images: { type: 'string', value: 'dir', description: 'Folder of photos: self-supervised (tone + structure loss against the image itself)' },
  pairs: { type: 'string', value: 'dir', description: 'Folder of name.png + name.target.png pairs: supervised (target is a 1-bit image)' },
  val: { type: 'string', value: 'dir', description: 'Folder of validation images (scored at long side 128 against Floyd–Steinberg)' },
  out: { type: 'string', short: 'o', value: 'file.png', description: 'Model file to write (default model.png); checkpoints go to <out>.ckpt.png' },
  resume: { type: 'string', value: 'file.png', description: 'Continue from a checkpoint (weights, optimizer state, step)' },
  steps: { type: 'string', value: 'n', description: 'Optimizer steps (default 2000)' },
  lr: { type: 'string', value: 'x', description: 'Peak learning rate; warm-up, then cosine decay to 5% (default 0.002)' },
  batch: { type: 'string', value: 'n', description: 'Patches per step (default 16)' },
  patch: { type: 'string', value: 'px', description: 'Patch size, a multiple of 4 (default 64)' },
  seed: { type: 'string', value: 'n', description: 'Random seed; a seed gives the same model on one backend (default 1)' },
  binarizer: { type: 'string', value: 'name', description: 'ostromoukhov (default: error diffusion with tone-dependent weights, serpentine), error-diffusion (Floyd–Steinberg) or threshold; with --resume, fine-tunes for it' },
  channels: { type: 'string', value: 'a,b,c', description: 'U-Net channels per level (default 8,16,32)' },
  scales: { type: 'string', value: 'list', description: 'Long sides the images are reduced to for patches (default 128,192,256,384)' },
  'tone-weight': { type: 'string', value: 'x', description: 'Weight of the low-pass MSE term (default 100)' },
  'ssim-weight': { type: 'string', value: 'x', description: 'Weight of the 1 − SSIM term (default 3)' },
  'pixel-weight': { type: 'string', value: 'x', description: 'Weight of the unblurred per-pixel MSE (default 0; for --pairs with 1-bit targets)' },
  every: { type: 'string', value: 'n', description: 'Validate and checkpoint every n steps (default 250)' },
  backend: { type: 'string', value: 'name', description: 'auto (default), wasm, cpu or tensorflow' },
  workers: { type: 'string', value: 'n', description: 'Threads sharing each batch, data-parallel (default 1)' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

function listFlag(value: unknown, flag: string, count?: number): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isInteger(n) || n < 1 || n > 4096) || (count !== undefined && parts.length !== count))
    throw invalidFlag(flag, `${count ?? 'a list of'} comma-separated whole numbers`, value);
  return parts;
}


const fmt = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

export async function trainCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, 'train');
  if (values.help) {
    io.stdout(helpText('Usage: pixel train --images <dir> [--val <dir>] [--out model.png]\n       pixel train --pairs <dir> [--out model.png]\n\nTrains the unet binarizer (a U-Net correcting the gray that error diffusion sees;\nstraight-through gradient) and writes the weights as a PNG with its header.', OPTIONS));
    return 0;
  }
  if (positionals.length) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(positionals[0])} for pixel train`, { hint: 'Pass the data folder with --images <dir> or --pairs <dir>' });
  const workers = intFlag(values.workers, 'workers', 1, 64) ?? 1;
  const { train, TRAIN_DEFAULTS } = await import('../../nn/train.js');
  const channels = listFlag(values.channels, 'channels', 3) as [number, number, number] | undefined;
  const patch = intFlag(values.patch, 'patch', 16, 1024);
  if (patch !== undefined && patch % 4 !== 0) throw invalidFlag('patch', 'a multiple of 4', values.patch);
  const out = resolve(cwd, (values.out as string | undefined) ?? 'model.png');
  const abs = (v: unknown) => (v === undefined ? undefined : resolve(cwd, String(v)));
  const options = {
    ...TRAIN_DEFAULTS,
    images: abs(values.images),
    pairs: abs(values.pairs),
    val: abs(values.val),
    resume: abs(values.resume),
    out,
    steps: intFlag(values.steps, 'steps', 1, 10_000_000) ?? TRAIN_DEFAULTS.steps,
    lr: numberFlag(values.lr, 'lr', 1e-7, 1) ?? TRAIN_DEFAULTS.lr,
    batch: intFlag(values.batch, 'batch', 1, 4096) ?? TRAIN_DEFAULTS.batch,
    patch: patch ?? TRAIN_DEFAULTS.patch,
    seed: intFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? TRAIN_DEFAULTS.seed,
    binarizer: choiceFlag<BinarizerName>(values.binarizer, 'binarizer', BINARIZERS),
    architecture: channels ? { type: 'unet-residual' as const, channels } : TRAIN_DEFAULTS.architecture,
    scales: listFlag(values.scales, 'scales') ?? TRAIN_DEFAULTS.scales,
    loss: { tone: numberFlag(values['tone-weight'], 'tone-weight', 0, 1e6) ?? TRAIN_DEFAULTS.loss.tone, ssim: numberFlag(values['ssim-weight'], 'ssim-weight', 0, 1e6) ?? TRAIN_DEFAULTS.loss.ssim, pixel: numberFlag(values['pixel-weight'], 'pixel-weight', 0, 1e6) },
    every: intFlag(values.every, 'every', 0, 10_000_000) ?? TRAIN_DEFAULTS.every,
    backend: choiceFlag<BackendName>(values.backend, 'backend', BACKENDS) ?? TRAIN_DEFAULTS.backend,
    workers,
    command: `pixel train ${argv.join(' ')}`,
  };
  if (!options.images && !options.pairs) throw new PixelError('E_USAGE', 'Expected --images <dir> or --pairs <dir> for pixel train', { hint: 'See pixel train --help' });
  let lastLine = 0;
  const result = await train(options, (p) => {
    const now = performance.now();
    if (!p.val && p.step !== 1 && now - lastLine < 10_000) return;
    lastLine = now;
    let line = `step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${p.stepsPerSecond.toFixed(2)} steps/s  ETA ${fmt(p.etaSeconds)}`;
    if (p.val) line += `\n  val: tone PSNR σ1.5 ${p.val.tonePsnr15.toFixed(2)} dB (FS ${p.val.fs.tonePsnr15.toFixed(2)})  SSIM ${p.val.ssim.toFixed(4)} (FS ${p.val.fs.ssim.toFixed(4)})  bias ${p.val.toneBias.toFixed(4)}`;
    io.stdout(`${line}\n`);
  });
  io.stdout(`wrote ${out} (${result.backend}, ${fmt(result.seconds)}, ${result.stepsPerSecond.toFixed(2)} steps/s)\n`);
  return 0;
}
