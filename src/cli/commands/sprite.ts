/**
 * `pixel sprite train|sample|complete|score|prompt`: the generative 1-bit
 * sprite models (src/sprite/). Inference is plain JS; only training loads tfjs.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { encodePng1 } from '../../image/encode/png.js';
import { PixelError } from '../../pipeline/errors.js';
import { BACKENDS, type BackendName } from '../../nn/tf.js';
import { checkTemperature, completeSprites, cutFill, loadArModel, sampleSprites, scoreSprites } from '../../sprite/ar.js';
import { fitToGrid, listSpriteFiles, readBits } from '../../sprite/data.js';
import { defaultArModelPath, defaultPromptModelPath, spriteImage, spriteSheet } from '../../sprite/sheet.js';
import { helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';

const MODEL = { type: 'string', value: 'file.png', description: 'Sprite model (default: the shipped models/sprite-ar.png)' } as const;
const SEED = { type: 'string', value: 'n', description: 'Random seed; the same seed gives the same sprites (default 1)' } as const;
const SCALE = { type: 'string', value: 'n', description: 'Nearest-neighbour upscale of the output (default 4)' } as const;
const OUT = { type: 'string', short: 'o', value: 'file.png', description: 'Output PNG (1-bit)' } as const;
const HELP = { type: 'boolean', short: 'h', description: 'Show this help' } as const;

const TABLES: Record<string, { usage: string; options: OptionTable }> = {
  train: {
    usage: 'Usage: pixel sprite train --images <dir> [-o sprite-ar.png]\n\nTrains the autoregressive sprite model (a masked-convolution PixelCNN) on a folder\nof 1-bit sprites (subfolders too). Sprites must be --grid × --grid; images up to 2 px\nsmaller are padded with paper, others are skipped with a warning (never resized).',
    options: {
      images: { type: 'string', value: 'dir', description: 'Folder of 1-bit sprites (PNG; subfolders are searched)' },
      out: { ...OUT, description: 'Model file to write (default sprite-ar.png); checkpoints go to <out>.ckpt.png' },
      grid: { type: 'string', value: 'px', description: 'Sprite size (default 24)' },
      epochs: { type: 'string', value: 'n', description: 'Passes over the training sprites (default 40)' },
      lr: { type: 'string', value: 'x', description: 'Peak learning rate; warm-up then cosine decay (default 0.003)' },
      batch: { type: 'string', value: 'n', description: 'Sprites per step (default 32)' },
      seed: { ...SEED, description: 'Seed for weights, split, shuffles and flips (default 1)' },
      'val-split': { type: 'string', value: 'x', description: 'Fraction held out for validation, never trained on (default 0.1)' },
      channels: { type: 'string', value: 'n', description: 'Feature channels (default 32)' },
      blocks: { type: 'string', value: 'n', description: 'Residual mask-B layers (default 5)' },
      'max-minutes': { type: 'string', value: 'n', description: 'Stop after the epoch that passes this wall time (default: no limit)' },
      resume: { type: 'string', value: 'file.png', description: 'Continue from a checkpoint (weights, Adam state, epoch)' },
      backend: { type: 'string', value: 'name', description: 'auto (default), wasm, cpu or tensorflow' },
      help: HELP,
    },
  },
  sample: {
    usage: 'Usage: pixel sprite sample [--count 16] [--temperature 0.9,1.0,1.1] [--seed 1] -o sheet.png\n\nDraws new sprites from the autoregressive model: one row per temperature.',
    options: {
      model: MODEL,
      count: { type: 'string', value: 'n', description: 'Sprites per temperature (default 16)' },
      temperature: { type: 'string', value: 'list', description: 'Comma-separated temperatures above 0 (default 1)' },
      seed: SEED,
      scale: SCALE,
      out: { ...OUT, description: 'Sheet to write (default sprites.png)' },
      help: HELP,
    },
  },
  complete: {
    usage: 'Usage: pixel sprite complete input.png (--cut N | --mask mask.png) [--count 4] -o out.png\n\nKeeps part of a sprite exactly and generates the rest. --cut N keeps the first N\npixels in raster order; --mask: ink (black) pixels of the mask are generated, in raster\norder, each conditioned on every pixel before it. The model cannot look at known pixels\nafter a generated one (it is causal), so fills may not join up with what lies below.\nThe sheet shows the input first, then the completions.',
    options: {
      model: MODEL,
      cut: { type: 'string', value: 'n', description: 'Keep the first n pixels (raster order), generate the rest' },
      mask: { type: 'string', value: 'file.png', description: 'Generate where this same-size mask is ink (black)' },
      count: { type: 'string', value: 'n', description: 'Completions (default 4)' },
      temperature: { type: 'string', value: 'x', description: 'Sampling temperature above 0 (default 1)' },
      seed: SEED,
      scale: SCALE,
      out: { ...OUT, description: 'Sheet to write (default completed.png)' },
      help: HELP,
    },
  },
  info: {
    usage: 'Usage: pixel sprite info [model.png]\n\nPrints a sprite model\'s header (architecture, training command and time, metrics) as JSON.\nWithout a file: the shipped models/sprite-ar.png.',
    options: { help: HELP },
  },
  score: {
    usage: 'Usage: pixel sprite score <images or folders...> [--json]\n\nBits per pixel under the model (−log2 P / pixels): low means "looks like the\ntraining sprites", high means unusual (noise scores about 1 or more).',
    options: { model: MODEL, json: { type: 'boolean', description: 'Print JSON' }, help: HELP },
  },
  prompt: {
    usage: 'Usage: pixel sprite prompt "heart" [--scale 8] -o heart.png\n       pixel sprite prompt --train <dir> [-o sprite-prompt.png]\n\nA sprite from a text prompt (character trigrams → MLP → thresholded 24×24), or trains\nthat model on (file name, icon) pairs.',
    options: {
      model: { ...MODEL, description: 'Prompt model (default: the shipped models/sprite-prompt.png)' },
      scale: { ...SCALE, description: 'Nearest-neighbour upscale (default 8)' },
      out: { ...OUT, description: 'Output PNG (default <prompt>.png; with --train the model, default sprite-prompt.png)' },
      train: { type: 'string', value: 'dir', description: 'Train on the sprites of this folder instead' },
      steps: { type: 'string', value: 'n', description: 'Training steps (default 4000)' },
      hidden: { type: 'string', value: 'n', description: 'Hidden units (default 160)' },
      lr: { type: 'string', value: 'x', description: 'Peak learning rate (default 0.003)' },
      seed: SEED,
      backend: { type: 'string', value: 'name', description: 'auto (default), wasm, cpu or tensorflow' },
      help: HELP,
    },
  },
};

const MAIN_USAGE = `Usage: pixel sprite <train|sample|complete|score|prompt|info> [options]

  train     Train the autoregressive sprite model on a folder of 1-bit sprites
  sample    Draw new sprites (one row per temperature)
  complete  Keep part of a sprite (--cut, --mask) and generate the rest
  score     Bits per pixel of sprites under the model
  info      Print a sprite model's header (training command, time, metrics)
  prompt    A sprite from a text prompt (or --train the prompt model)

pixel sprite <subcommand> --help for its options.
`;

function numberFlag(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new PixelError('E_USAGE', `Expected a number between ${min} and ${max} for --${flag} but received ${JSON.stringify(value)}`);
  return n;
}

/** Temperatures: comma-separated numbers above 0. */
export function parseTemperatures(value: unknown): number[] {
  if (value === undefined) return [1];
  const parts = String(value).split(',');
  return parts.map((p) => {
    const t = p.trim() === '' ? NaN : Number(p);
    if (!(Number.isFinite(t) && t > 0)) throw new PixelError('E_USAGE', `Expected temperatures above 0 for --temperature but received ${JSON.stringify(value)}`, { hint: 'e.g. --temperature 0.9,1.0,1.1' });
    return checkTemperature(t);
  });
}

const fmt = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

async function writePng(io: IO, file: string, image: Parameters<typeof encodePng1>[0]): Promise<void> {
  await writeFileAtomic(file, encodePng1(image, { level: 9 }), { overwrite: true });
  io.stdout(`wrote ${file} (${image.width}×${image.height})\n`);
}

async function loadSpriteInput(file: string, grid: number, what: string): Promise<Uint8Array> {
  const img = await readBits(file);
  const bits = fitToGrid(img, grid, 0);
  if (!bits)
    throw new PixelError('E_INPUT', `Expected a ${grid}×${grid} sprite for ${what} but ${JSON.stringify(file)} is ${img.width}×${img.height}`, {
      file,
      hint: `The model draws ${grid}×${grid} sprites; crop or pad the image to that size (sprites are never resized)`,
    });
  return bits;
}

export async function spriteCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(MAIN_USAGE);
    return sub === undefined ? 64 : 0;
  }
  const table = TABLES[sub];
  if (!table) throw new PixelError('E_USAGE', `Unknown subcommand "${sub}" for pixel sprite`, { hint: 'pixel sprite <train|sample|complete|score|prompt|info>' });
  const { values, positionals } = parseCommandLine(rest, table.options, `sprite ${sub}`);
  if (values.help) {
    io.stdout(helpText(table.usage, table.options));
    return 0;
  }
  const abs = (v: unknown): string | undefined => (v === undefined ? undefined : resolve(cwd, String(v)));
  const backend = (): BackendName => {
    const b = values.backend;
    if (b === undefined) return 'auto';
    if (!BACKENDS.includes(b as BackendName)) throw new PixelError('E_USAGE', `Expected one of ${BACKENDS.join(', ')} for --backend but received ${JSON.stringify(b)}`);
    return b as BackendName;
  };
  const noPositionals = (): void => {
    if (positionals.length) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(positionals[0])} for pixel sprite ${sub}`, { hint: `See pixel sprite ${sub} --help` });
  };
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? 1;
  const warn = (m: string) => io.stderr(`pixel sprite ${sub}: ${m}\n`);

  if (sub === 'train') {
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
      `held-out ${m.valSprites} sprites: model ${m.valBpp} bits/px, per-position Bernoulli ${m.positionBaselineBpp}, PNG file ${m.pngFileBpp} (IDAT alone ${m.pngIdatBpp}); train ${m.trainBpp}\n` +
        `wrote ${out} (${r.backend}, ${fmt(r.seconds)})\n`,
    );
    return 0;
  }

  if (sub === 'info') {
    if (positionals.length > 1) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(positionals[1])} for pixel sprite info`);
    const file = positionals[0] ? resolve(cwd, positionals[0]) : defaultArModelPath();
    const { readFileSync } = await import('node:fs');
    const { decodeModelPng } = await import('../../nn/weights-png.js');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new PixelError('E_INPUT', `Expected a readable sprite model but cannot read ${JSON.stringify(file)}`, { file });
    }
    const { header } = decodeModelPng(bytes, file);
    const { tensors, ...rest } = header;
    io.stdout(`${JSON.stringify({ file, bytes: bytes.length, ...rest, tensors: tensors.filter((t) => !t.name.startsWith('adam.')).map((t) => `${t.name} [${t.shape.join(', ')}]`) }, null, 2)}\n`);
    return 0;
  }

  if (sub === 'prompt') {
    if (values.train !== undefined) {
      noPositionals();
      const { trainPrompt, PROMPT_TRAIN_DEFAULTS } = await import('../../sprite/prompt.js');
      const out = abs(values.out) ?? resolve(cwd, 'sprite-prompt.png');
      const o = {
        ...PROMPT_TRAIN_DEFAULTS,
        images: abs(values.train)!,
        out,
        steps: intFlag(values.steps, 'steps', 1, 10_000_000) ?? PROMPT_TRAIN_DEFAULTS.steps,
        hidden: intFlag(values.hidden, 'hidden', 1, 4096) ?? PROMPT_TRAIN_DEFAULTS.hidden,
        lr: numberFlag(values.lr, 'lr', 1e-7, 1) ?? PROMPT_TRAIN_DEFAULTS.lr,
        seed,
        backend: backend(),
        command: `pixel sprite prompt ${rest.join(' ')}`,
      };
      const r = await trainPrompt(o, (p) => io.stdout(`step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  training pixel error ${(p.pixelError * 100).toFixed(2)}%\n`), warn);
      io.stdout(`training pixel error ${(r.metrics.trainPixelError * 100).toFixed(2)}%, exact ${(r.metrics.trainExact * 100).toFixed(1)}% of ${r.metrics.pairs} icons\nwrote ${out} (${r.backend}, ${fmt(r.seconds)})\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new PixelError('E_USAGE', 'Expected one prompt for pixel sprite prompt', { hint: 'e.g. pixel sprite prompt "heart" -o heart.png (quote prompts with spaces)' });
    const { loadPromptModel, promptSprite } = await import('../../sprite/prompt.js');
    const model = loadPromptModel(abs(values.model) ?? defaultPromptModelPath());
    const bits = promptSprite(model, positionals[0]);
    const scale = intFlag(values.scale, 'scale', 1, 64) ?? 8;
    const name = positionals[0].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'sprite';
    await writePng(io, abs(values.out) ?? resolve(cwd, `${name}.png`), spriteImage(bits, model.arch.grid, scale));
    return 0;
  }

  const model = loadArModel(abs(values.model) ?? defaultArModelPath());
  const grid = model.arch.grid;
  const scale = intFlag(values.scale, 'scale', 1, 64) ?? 4;

  if (sub === 'sample') {
    noPositionals();
    const count = intFlag(values.count, 'count', 1, 1024) ?? 16;
    const temps = parseTemperatures(values.temperature);
    const began = performance.now();
    // One seed stream per row, so adding a temperature does not change the other rows.
    const rows = temps.map((t, i) => sampleSprites(model.net, { count, temperature: t, seed: seed + i * 1_000_003 }));
    const ms = performance.now() - began;
    io.stdout(`sampled ${count * temps.length} sprites (temperatures ${temps.join(', ')}) in ${ms.toFixed(0)} ms, ${(ms / (count * temps.length)).toFixed(1)} ms per sprite\n`);
    await writePng(io, abs(values.out) ?? resolve(cwd, 'sprites.png'), spriteSheet(rows, grid, scale));
    return 0;
  }

  if (sub === 'complete') {
    if (positionals.length !== 1) throw new PixelError('E_USAGE', 'Expected one input sprite for pixel sprite complete', { hint: 'pixel sprite complete input.png --cut 288 -o out.png' });
    if ((values.cut === undefined) === (values.mask === undefined)) throw new PixelError('E_USAGE', 'Expected exactly one of --cut <n> or --mask <file.png> for pixel sprite complete');
    const input = abs(positionals[0])!;
    const known = await loadSpriteInput(input, grid, 'pixel sprite complete');
    const fill = values.cut !== undefined ? cutFill(grid, intFlag(values.cut, 'cut', 0, grid * grid)!) : await loadSpriteInput(abs(values.mask)!, grid, '--mask');
    const temperature = checkTemperature(numberFlag(values.temperature, 'temperature', -Infinity, Infinity) ?? 1);
    const count = intFlag(values.count, 'count', 1, 1024) ?? 4;
    const began = performance.now();
    const out = completeSprites(model.net, known, fill, { count, temperature, seed });
    io.stdout(`completed ${count} sprites in ${(performance.now() - began).toFixed(0)} ms\n`);
    await writePng(io, abs(values.out) ?? resolve(cwd, 'completed.png'), spriteSheet([[known, ...out]], grid, scale));
    return 0;
  }

  // score
  if (positionals.length === 0) throw new PixelError('E_USAGE', 'Expected images or folders for pixel sprite score', { hint: 'pixel sprite score icons/' });
  const files: string[] = [];
  for (const p of positionals.map((x) => resolve(cwd, x))) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new PixelError('E_INPUT', `Expected an image or folder for pixel sprite score but cannot find ${JSON.stringify(p)}`, { file: p });
    }
    files.push(...(isDir ? listSpriteFiles(p, 'pixel sprite score') : [p]));
  }
  const sprites = [];
  for (const f of files) sprites.push(await loadSpriteInput(f, grid, 'pixel sprite score'));
  const scores = scoreSprites(model.net, sprites);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  if (values.json) io.stdout(`${JSON.stringify({ files: files.map((f, i) => ({ file: f, bitsPerPixel: scores[i] })), mean }, null, 2)}\n`);
  else io.stdout(`${files.map((f, i) => `${scores[i].toFixed(4)}  ${f}`).join('\n')}\nmean ${mean.toFixed(4)} bits/px over ${files.length} sprite(s)\n`);
  return 0;
}
