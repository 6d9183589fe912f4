/**
 * `pixel sprite train|sample|complete|score|prompt`: the generative 1-bit
 * sprite models (src/sprite/). Inference is plain JS; only training loads tfjs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { FORMATS, type OutputFormat } from '../../image/encode/index.js';
import { encodePng1 } from '../../image/encode/png.js';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { BACKENDS, type BackendName } from '../../nn/tf.js';
import { bitsPerPixel, checkTemperature, completeJobs, cutFill, keptAfterFill, loadArModel, sampleRows, scoreSprites, scoreSpritesFast, tfPixelNats, type ArModel } from '../../sprite/ar.js';
import { expandPrompts, fitToGrid, listSpriteFiles, loadSprites, readAsSprite, readBits } from '../../sprite/data.js';
import { defaultArModelPath, defaultPromptModelPath, defaultRefsPath, spriteImage, spriteSheet, wrapRow } from '../../sprite/sheet.js';
import { mirrorBits, readHoldoutList, spriteKey } from '../../sprite/split.js';
import { choiceFlag, helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import { invalidFlag } from '../../pipeline/messages.js';
import type { IO } from '../reporters/types.js';
import { trainPromptModel, trainSpriteModel, type TrainContext } from './sprite-train.js';

const MODEL = { type: 'string', value: 'file.png', description: 'Sprite model (default: the shipped models/sprite-ar.png)' } as const;
const SEED = { type: 'string', value: 'n', description: 'Random seed; the same seed gives the same sprites (default 1)' } as const;
const SCALE = { type: 'string', value: 'n', description: 'Nearest-neighbour upscale of the output (default 4)' } as const;
const OUT = { type: 'string', short: 'o', value: 'file.png', description: 'Output file; the extension picks the format (png, gif, bmp, pbm, tiff, xbm, h, bin)' } as const;
const COLS = { type: 'string', value: 'n', description: 'Sprites per sheet row before it wraps (default 16)' } as const;
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
      holdout: { type: 'string', value: 'list.txt', description: 'Hold out the sprites listed (paths relative to --images, one a line), e.g. models/sprite-heldout.txt' },
      val: { type: 'string', value: 'dir', description: 'Validate on this folder of sprites instead of a split' },
      log: { type: 'string', value: 'file.jsonl', description: 'Training log, one JSON line per epoch (default <out>.log.jsonl)' },
      arch: { type: 'string', value: 'name', description: 'gated (full-context gated PixelCNN, default) or pixelcnn (masked convolutions)' },
      channels: { type: 'string', value: 'n', description: 'Feature channels (default 24)' },
      blocks: { type: 'string', value: 'n', description: 'Residual mask-B layers of --arch pixelcnn (default 5)' },
      'max-minutes': { type: 'string', value: 'n', description: 'Stop after the epoch that passes this wall time; the learning rate then decays by the clock (default: no limit)' },
      resume: { type: 'string', value: 'file.png', description: 'Continue from a checkpoint (weights, Adam state, epoch)' },
      backend: { type: 'string', value: 'name', description: 'auto (default), wasm, cpu or tensorflow' },
      help: HELP,
    },
  },
  sample: {
    usage: 'Usage: pixel sprite sample [--count 16] [--temperature 0.9,1.0,1.1] [--seed 1] -o sheet.png\n\nDraws new sprites from the autoregressive model, all in one batched pass: one block of\n--count sprites per temperature (rows wrap at --cols).',
    options: {
      model: MODEL,
      count: { type: 'string', value: 'n', description: 'Sprites per temperature (default 16)' },
      temperature: { type: 'string', value: 'list', description: 'Comma-separated temperatures above 0 (default 1)' },
      seed: SEED,
      scale: SCALE,
      cols: COLS,
      out: { ...OUT, description: 'Sheet to write (default sprites.png); the extension picks the format' },
      help: HELP,
    },
  },
  complete: {
    usage: 'Usage: pixel sprite complete input.png... (--cut N | --mask mask.png) [--count 4] [--method rank|explain|guided|guided-refs|sample] -o out.png\n\nKeeps part of each sprite exactly and generates the rest. --cut N keeps the first N\npixels in raster order; --mask: ink (black) pixels of the mask are generated.\n--method guided-refs (the default with reference icons: the shipped model\'s, or --references):\n32 samples (--samples), each pixel drawn from the model times a symmetry expert and a reference\nexpert, judged like explain (below).\n--method rank (default with --cut without reference icons): the model picks, by its likelihood of the whole sprite, the --count\nmost likely of these candidates: the kept part mirrored into the hole (either axis, at the\ncentre or one pixel off) and the hole of the 8 reference icons (--references; training icons\nand their mirror images) closest on the kept pixels, plus --samples model samples.\n--method explain (default with a mask that keeps pixels after the hole, without reference icons): the same candidates\nplus 32 samples, judged by how well each hole explains the kept pixels (read in all 8\norientations of the sprite) as well as by how well it fits.\n--method guided: 32 samples (--samples) only, each pixel drawn from the model times a symmetry\nexpert that leans towards the pixel\'s mirror image across either centre axis where that is\nknown (a product of experts), judged like explain.\n--method guided-refs: the same, times a third expert that leans each pixel towards the 8\nreference icons closest on the kept pixels, each weighted by how well it agrees with the kept\npixels and with the pixels sampled so far.\n--method sample: every pixel drawn conditioned on all pixels before it; with a mask each\ncompletion is picked among --proposals samples by how well it fits the kept pixels below\nand to the right (importance resampling). Inputs of another size are fitted onto the grid\nand binarized. The sheet has one row per input (and temperature): the input, then the completions.',
    options: {
      model: MODEL,
      cut: { type: 'string', value: 'n', description: 'Keep the first n pixels (raster order), generate the rest' },
      mask: { type: 'string', value: 'file.png', description: 'Generate where this mask is ink (black); fitted to the grid like the inputs' },
      count: { type: 'string', value: 'n', description: 'Completions per input and temperature (default 4)' },
      method: { type: 'string', value: 'name', description: 'guided-refs (samples guided by symmetry and by the nearest reference icons, judged like explain; the default with reference icons), rank (likelihood picks among structured candidates; default with --cut without references), explain (candidates and samples judged by how well they explain the kept pixels; default with a mask that keeps pixels after the hole, without references), guided (samples guided towards mirror symmetry, judged like explain) or sample' },
      references: { type: 'string', value: 'file|dir', description: 'Reference icons for rank, explain and guided-refs: a sheet of grid-size tiles or a folder of sprites (default models/sprite-refs.png with the shipped model)' },
      samples: { type: 'string', value: 'n', description: 'Model samples added to the candidates (rank: default 0, 2 × --count without references; explain, guided, guided-refs: default 32)' },
      temperature: { type: 'string', value: 'list', description: 'Comma-separated sampling temperatures above 0 (default 1; rank uses them only for --samples)' },
      proposals: { type: 'string', value: 'n', description: 'Samples per completion for importance resampling (default 16 with --mask, 1 with --cut or --method explain)' },
      seed: SEED,
      scale: SCALE,
      out: { ...OUT, description: 'Sheet to write (default completed.png); the extension picks the format' },
      help: HELP,
    },
  },
  info: {
    usage: 'Usage: pixel sprite info [model.png]\n\nPrints a sprite model\'s header (architecture, training command and time, metrics) as JSON.\nWithout a file: the shipped models/sprite-ar.png.',
    options: { help: HELP },
  },
  score: {
    usage: 'Usage: pixel sprite score <images or folders...> [--json]\n\nBits per pixel under the model (−log2 P / pixels): low means "looks like the\ntraining sprites", high means unusual (noise scores about 1 or more). Sprites up to 2 px\nsmaller than the grid are padded as in training; a file that cannot be scored is reported\nand the rest are still scored (exit 1). Files on the model\'s held-out list are marked.',
    options: { model: MODEL, json: { type: 'boolean', description: 'Print JSON' }, help: HELP },
  },
  eval: {
    usage: 'Usage: pixel sprite eval [--images ../shared/data/pixelart] [--json]\n\nHow well the model knows icons it never trained on (the held-out list next to the model):\nbits per pixel against a per-position Bernoulli, and the pixel error of completions (bottom\nhalf from the top half; a central square from the rest) against blank, mirror and\nnearest-training-icon baselines.',
    options: {
      model: MODEL,
      images: { type: 'string', value: 'dir', description: 'The data folder the model was trained on (default ../shared/data/pixelart)' },
      holdout: { type: 'string', value: 'list.txt', description: "Held-out list (default: the one named in the model's header, next to the model)" },
      samples: { type: 'string', value: 'n', description: 'Completions per icon (default 4)' },
      proposals: { type: 'string', value: 'n', description: 'Importance-resampling proposals for the central square (default 8)' },
      'explain-samples': { type: 'string', value: 'n', description: 'Samples per icon offered to the explain judge (default 32)' },
      seed: SEED,
      sheet: { type: 'string', value: 'file.png', description: 'Also draw held-out icons with their completions' },
      json: { type: 'boolean', description: 'Print JSON' },
      help: HELP,
    },
  },
  prompt: {
    usage: 'Usage: pixel sprite prompt "heart" [more prompts or prompts.txt...] [--scale 8] -o heart.png\n       pixel sprite prompt --train <dir> [--epochs 60] [-o sprite-prompt.png]\n\nA sprite from a text prompt (words and character trigrams → MLP → thresholded grid), or\ntrains that model on (file name, icon) pairs. A .txt argument gives one prompt per line;\nseveral prompts make one sheet (rows wrap at --cols).',
    options: {
      model: { ...MODEL, description: 'Prompt model (default: the shipped models/sprite-prompt.png)' },
      scale: { ...SCALE, description: 'Nearest-neighbour upscale (default 8, sheets 4)' },
      cols: { ...COLS, description: 'Sprites per sheet row (default 8)' },
      out: { ...OUT, description: 'Output (default <prompt>.png, prompts.png for several; with --train the model, default sprite-prompt.png)' },
      train: { type: 'string', value: 'dir', description: 'Train on the sprites of this folder instead' },
      val: { type: 'string', value: 'dir', description: 'With --train: also report pixel error on this folder of (name, icon) pairs' },
      holdout: { type: 'string', value: 'list.txt', description: 'With --train: leave out the icons listed (paths relative to the folder) and report pixel error on them' },
      grid: { type: 'string', value: 'px', description: 'With --train: sprite size (default 24)' },
      epochs: { type: 'string', value: 'n', description: 'With --train: passes over the icons (default 60; or give --steps)' },
      steps: { type: 'string', value: 'n', description: 'With --train: training steps instead of --epochs' },
      hidden: { type: 'string', value: 'n', description: 'Hidden units (default 192)' },
      lr: { type: 'string', value: 'x', description: 'Peak learning rate (default 0.01)' },
      log: { type: 'string', value: 'file.jsonl', description: 'Training log, one JSON line per epoch (default <out>.log.jsonl)' },
      seed: SEED,
      backend: { type: 'string', value: 'name', description: 'auto (default), wasm, cpu or tensorflow' },
      help: HELP,
    },
  },
};

const MAIN_USAGE = `Usage: pixel sprite <train|sample|complete|score|eval|prompt|info> [options]

  train     Train the autoregressive sprite model on a folder of 1-bit sprites
  sample    Draw new sprites (one block per temperature)
  complete  Keep part of a sprite (--cut, --mask) and generate the rest
  score     Bits per pixel of sprites under the model
  eval      Held-out bits per pixel and completion error against baselines
  info      Print a sprite model's header (training command, time, metrics)
  prompt    A sprite from a text prompt (or --train the prompt model)

pixel sprite <subcommand> --help for its options.
`;

/** Temperatures: comma-separated numbers above 0. */
export function parseTemperatures(value: unknown): number[] {
  if (value === undefined) return [1];
  const parts = String(value).split(',');
  return parts.map((p) => {
    const t = p.trim() === '' ? NaN : Number(p);
    if (!(Number.isFinite(t) && t > 0)) throw invalidFlag('temperature', 'temperatures above 0', value, 'e.g. --temperature 0.9,1.0,1.1');
    return checkTemperature(t);
  });
}

/** The output format from the file's extension (png when there is none). */
export function formatForFile(file: string): OutputFormat {
  const ext = extname(file).slice(1).toLowerCase() || 'png';
  const format = Object.values(FORMATS).find((f) => f.extension === ext || (ext === 'tif' && f.extension === 'tiff'));
  if (!format)
    throw new PixelError('E_USAGE', `Expected an output file ending in one of ${Object.values(FORMATS).map((f) => `.${f.extension}`).join(', ')} but received ${JSON.stringify(file)}`, {
      hint: 'e.g. -o sprites.png',
    });
  return format;
}

async function writeImage(io: IO, file: string, image: BinaryTensor): Promise<void> {
  const format = formatForFile(file);
  const bytes = format.extension === 'png' ? encodePng1(image, { level: 9 }) : format.encode(image, { name: basename(file, extname(file)) });
  await writeFileAtomic(file, bytes, { overwrite: true });
  io.stdout(`wrote ${file} (${image.width}×${image.height})\n`);
}

/** A sprite input of any size: exact or up to 2 px smaller as is, others fitted onto the grid and binarized (with a note). */
async function loadSpriteInput(file: string, grid: number, warn: (m: string) => void): Promise<Uint8Array> {
  const r = await readAsSprite(file, grid);
  if (r.how === 'resized') warn(`${file} is ${r.width}×${r.height}: fitted onto the ${grid}×${grid} grid and binarized at 50 %`);
  return r.bits;
}

/** Reference icons for ranked completion, with their mirror images: a sheet of grid-size tiles or a folder of sprites; none without a file. */
async function loadReferences(file: string | undefined, grid: number): Promise<Uint8Array[]> {
  if (file === undefined) return [];
  const { referenceTiles } = await import('../../sprite/complete.js');
  let icons: Uint8Array[] | undefined;
  if (existsSync(file) && statSync(file).isDirectory()) icons = (await loadSprites(file, grid, () => {}, '--references')).map((s) => s.bits);
  else {
    icons = referenceTiles(await readBits(file), grid);
    if (!icons) throw new PixelError('E_INPUT', `Expected a sheet of ${grid}×${grid} reference tiles but ${file} is not a whole number of tiles`, { file, hint: 'Pass a folder of sprites, or a sheet written by scripts/sprite-refs.ts' });
  }
  return [...icons, ...icons.map((b) => mirrorBits(b, grid))];
}

/** The held-out list named in a model's header, looked up next to the model file. */
function heldOutKeys(model: ArModel, modelFile: string): Set<string> | undefined {
  const list = ((model.header.training as { heldOut?: { list?: string } } | undefined)?.heldOut ?? {}).list;
  if (!list) return undefined;
  try {
    return new Set(readHoldoutList(join(dirname(modelFile), basename(list))));
  } catch {
    return undefined;
  }
}

export async function spriteCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(MAIN_USAGE);
    return sub === undefined ? 64 : 0;
  }
  const table = TABLES[sub];
  if (!table) throw new PixelError('E_USAGE', `Unknown subcommand "${sub}" for pixel sprite`, { hint: 'pixel sprite <train|sample|complete|score|eval|prompt|info>' });
  const { values, positionals } = parseCommandLine(rest, table.options, `sprite ${sub}`);
  if (values.help) {
    io.stdout(helpText(table.usage, table.options));
    return 0;
  }
  const abs = (v: unknown): string | undefined => (v === undefined ? undefined : resolve(cwd, String(v)));
  const backend = (): BackendName => {
    const b = values.backend;
    if (b === undefined) return 'auto';
    choiceFlag(b, 'backend', BACKENDS);
    return b as BackendName;
  };
  const noPositionals = (): void => {
    if (positionals.length) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(positionals[0])} for pixel sprite ${sub}`, { hint: `See pixel sprite ${sub} --help` });
  };
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? 1;
  const warn = (m: string) => io.stderr(`pixel sprite ${sub}: ${m}\n`);

  const ctx: TrainContext = { values, rest, io, cwd, abs, seed, backend, warn, noPositionals };
  if (sub === 'train') return trainSpriteModel(ctx);

  if (sub === 'info') {
    if (positionals.length > 1) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(positionals[1])} for pixel sprite info`);
    const file = positionals[0] ? resolve(cwd, positionals[0]) : defaultArModelPath();
    const { readModelFile } = await import('../../nn/model-file.js');
    const { decodeModelPng } = await import('../../nn/weights-png.js');
    const bytes = readModelFile(file, 'sprite model');
    const { header } = decodeModelPng(bytes, file);
    const { tensors, ...rest } = header;
    io.stdout(`${JSON.stringify({ file, bytes: bytes.length, ...rest, tensors: tensors.filter((t) => !t.name.startsWith('adam.')).map((t) => `${t.name} [${t.shape.join(', ')}]`) }, null, 2)}\n`);
    return 0;
  }

  if (sub === 'prompt') {
    if (values.train !== undefined) return trainPromptModel(ctx);
    const prompts = expandPrompts(positionals, (f) => readFileSync(resolve(cwd, f), 'utf8'));
    if (prompts.length === 0) throw new PixelError('E_USAGE', 'Expected a prompt for pixel sprite prompt', { hint: 'e.g. pixel sprite prompt "heart" -o heart.png (quote prompts with spaces), or a prompts.txt file' });
    const { loadPromptModel, promptSprite } = await import('../../sprite/prompt.js');
    const model = loadPromptModel(abs(values.model) ?? defaultPromptModelPath());
    const sprites = prompts.map((p) => promptSprite(model, p));
    if (prompts.length === 1) {
      const name = prompts[0].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'sprite';
      await writeImage(io, abs(values.out) ?? resolve(cwd, `${name}.png`), spriteImage(sprites[0], model.arch.grid, intFlag(values.scale, 'scale', 1, 64) ?? 8));
      return 0;
    }
    const cols = intFlag(values.cols, 'cols', 1, 1024) ?? 8;
    io.stdout(prompts.map((p, i) => `${Math.floor(i / cols) + 1}.${(i % cols) + 1}  ${p}`).join('\n') + '\n');
    await writeImage(io, abs(values.out) ?? resolve(cwd, 'prompts.png'), spriteSheet(wrapRow(sprites, cols), model.arch.grid, intFlag(values.scale, 'scale', 1, 64) ?? 4));
    return 0;
  }

  const modelFile = abs(values.model) ?? defaultArModelPath();
  const model = loadArModel(modelFile);
  const grid = model.arch.grid;
  const scale = intFlag(values.scale, 'scale', 1, 64) ?? 4;

  if (sub === 'sample') {
    noPositionals();
    const count = intFlag(values.count, 'count', 1, 4096) ?? 16;
    const temps = parseTemperatures(values.temperature);
    const cols = intFlag(values.cols, 'cols', 1, 1024) ?? 16;
    const began = performance.now();
    const rows = sampleRows(model.net, temps, count, seed);
    const ms = performance.now() - began;
    io.stdout(`sampled ${count * temps.length} sprites (temperatures ${temps.join(', ')}) in ${ms.toFixed(0)} ms, ${(ms / (count * temps.length)).toFixed(1)} ms per sprite\n`);
    await writeImage(io, abs(values.out) ?? resolve(cwd, 'sprites.png'), spriteSheet(rows.flatMap((r) => wrapRow(r, cols)), grid, scale));
    return 0;
  }

  if (sub === 'complete') {
    if (positionals.length === 0) throw new PixelError('E_USAGE', 'Expected one or more input sprites for pixel sprite complete', { hint: 'pixel sprite complete input.png --cut 288 -o out.png' });
    if ((values.cut === undefined) === (values.mask === undefined)) throw new PixelError('E_USAGE', 'Expected exactly one of --cut <n> or --mask <file.png> for pixel sprite complete');
    const fill = values.cut !== undefined ? cutFill(grid, intFlag(values.cut, 'cut', 0, grid * grid)!) : await loadSpriteInput(abs(values.mask)!, grid, warn);
    const refsFile = values.references !== undefined ? abs(values.references)! : modelFile === defaultArModelPath() ? defaultRefsPath() : undefined;
    // Measured on the held-out icons (README): guided-refs wins on both the bottom half and a central square, on the
    // tuning and the report half; without reference icons, explain wins where kept pixels follow the hole (a mask), rank where none do (--cut).
    const method = values.method ?? (refsFile !== undefined ? 'guided-refs' : keptAfterFill(fill) ? 'explain' : 'rank');
    if (typeof method !== 'string' || !['rank', 'explain', 'guided', 'guided-refs', 'sample'].includes(method)) throw new PixelError('E_USAGE', `Unknown --method ${JSON.stringify(method)} for pixel sprite complete`, { hint: 'rank (likelihood picks among structured candidates), explain (candidates and samples judged by how well they explain the kept pixels), guided (samples guided towards mirror symmetry), guided-refs (guided by symmetry and the nearest reference icons) or sample' });
    const guided = method === 'guided' || method === 'guided-refs';
    const judged = method === 'explain' || guided;
    // Importance weights assume samples from the model alone; guided samples are not.
    if (guided && values.proposals !== undefined && values.proposals !== '1') throw new PixelError('E_USAGE', `--proposals is not available with --method ${method}`, { hint: 'Its samples come from the model times guiding experts, so importance weights would be wrong; the explain judge already weighs how they fit' });
    const temps = parseTemperatures(values.temperature);
    const count = intFlag(values.count, 'count', 1, 1024) ?? 4;
    // Importance resampling for masks, except under explain, whose judge already weighs how samples fit the kept pixels.
    const proposals = intFlag(values.proposals, 'proposals', 1, 1024) ?? (keptAfterFill(fill) && !judged ? 16 : 1);
    const inputs: Uint8Array[] = [];
    for (const f of positionals) inputs.push(await loadSpriteInput(abs(f)!, grid, warn));
    const began = performance.now();
    let rows: Uint8Array[][];
    if (method === 'sample') {
      const jobs = inputs.flatMap((known, i) => temps.map((temperature, t) => ({ known, fill, count, temperature, seed: seed + i * 7919 + t * 1_000_003 })));
      const out = completeJobs(model.net, jobs, proposals);
      io.stdout(`sampled ${count * jobs.length} completions (${proposals} proposal${proposals > 1 ? 's' : ''} each) in ${(performance.now() - began).toFixed(0)} ms\n`);
      rows = jobs.map((j, k) => [j.known, ...out[k]]);
    } else {
      const { rankCompletions, REFERENCE_GUIDE, SYMMETRY_BIAS } = await import('../../sprite/complete.js');
      const references = method === 'guided' ? [] : await loadReferences(refsFile, grid);
      const samples = intFlag(values.samples, 'samples', guided ? 1 : 0, 1024) ?? (judged ? 32 : references.length ? 0 : 2 * count);
      if (method === 'guided-refs' && references.length === 0) throw new PixelError('E_USAGE', '--method guided-refs needs reference icons', { hint: 'Pass --references <sheet.png|folder> (grid-size icons), or use the shipped model, whose references are models/sprite-refs.png' });
      const jobs = inputs.flatMap((known, i) => (samples ? temps : temps.slice(0, 1)).map((temperature, t) => ({ known, fill, count, temperature, seed: seed + i * 7919 + t * 1_000_003 })));
      const explain = judged ? await tfPixelNats(model) : undefined;
      try {
        const out = rankCompletions(model.net, (sp) => scoreSprites(model.net, sp), jobs, { references, samples, proposals, explain, structured: !guided, guide: guided ? SYMMETRY_BIAS : undefined, refGuide: method === 'guided-refs' ? REFERENCE_GUIDE : undefined });
        io.stdout(`${judged ? 'judged' : 'ranked'} ${out.reduce((a, o) => a + o.candidates, 0)} candidates (${references.length} reference icons, ${samples} samples per input) in ${(performance.now() - began).toFixed(0)} ms\n`);
        rows = jobs.map((j, k) => [j.known, ...out[k].sprites]);
      } finally {
        explain?.dispose();
      }
    }
    await writeImage(io, abs(values.out) ?? resolve(cwd, 'completed.png'), spriteSheet(rows, grid, scale));
    return 0;
  }

  if (sub === 'eval') {
    noPositionals();
    const { evaluate, tuningHalf } = await import('../../sprite/eval.js');
    const images = abs(values.images) ?? resolve(cwd, '../shared/data/pixelart');
    const keys = values.holdout !== undefined ? new Set(readHoldoutList(abs(values.holdout)!)) : heldOutKeys(model, modelFile);
    if (!keys) throw new PixelError('E_USAGE', `Expected a held-out list for pixel sprite eval but ${modelFile} names none`, { hint: 'Pass --holdout list.txt (paths relative to --images, one a line)' });
    const sprites = await loadSprites(images, grid, () => {}, '--images');
    const held = sprites.filter((s) => keys.has(spriteKey(s.file, images)));
    if (held.length === 0) throw new PixelError('E_USAGE', `Expected the held-out sprites in ${JSON.stringify(images)} but none of the ${keys.size} listed is there`, { hint: 'Pass the data folder the model was trained on with --images' });
    const train = sprites.filter((s) => !keys.has(spriteKey(s.file, images)));
    const samples = intFlag(values.samples, 'samples', 1, 256) ?? 4;
    // One tfjs model serves the held-out bits/px and the explain judge.
    const judge = await tfPixelNats(model);
    let r: ReturnType<typeof evaluate>;
    try {
      const bpp = bitsPerPixel(judge.nats(held.map((s) => s.bits)), held.length, grid * grid).reduce((a, b) => a + b, 0) / held.length;
      const explain = { nats: judge.nats, samples: intFlag(values['explain-samples'], 'explain-samples', 1, 1024) ?? 32 };
      r = evaluate(model.net, held.map((s) => s.bits), train.map((s) => s.bits), bpp, { samples, proposals: intFlag(values.proposals, 'proposals', 1, 256) ?? 8, seed, explain });
    } finally {
      judge.dispose();
    }
    const rep = r.report;
    // Which icons settings were tuned on (eval.ts tuningHalf), in the order of the per-icon errors.
    if (values.json) io.stdout(`${JSON.stringify({ ...rep, tuningHalf: tuningHalf(held.map((s) => spriteKey(s.file, images))) }, null, 2)}\n`);
    else {
      const pc = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
      const row = (name: string, f: typeof rep.bottomHalf) =>
        `${name.padEnd(33)}${[f.explain, f.explainSamples, f.guided, f.guidedRefs, f.ranked, f.sample, f.majority, f.blank, f.mirror].map((v) => pc(v).padEnd(9)).join('')}${pc(f.nearest)}\n`;
      io.stdout(
        `${rep.heldOut} held-out icons (none of them or their relatives trained on), ${rep.trainIcons} training icons\n` +
          `bits/px: model ${rep.bpp.toFixed(4)}, per-position Bernoulli ${rep.bernoulliBpp.toFixed(4)}\n` +
          `${'pixel error of the hidden part'.padEnd(33)}${['explain', 'expl.smp', 'guided', 'guid.ref', 'ranked', 'sample', 'majority', 'blank', 'mirror'].map((h) => h.padEnd(9)).join('')}nearest icon\n` +
          row('bottom half from the top half', rep.bottomHalf) +
          row('central square from the rest', rep.centre) +
          `(explain: the candidate, among ${rep.explainSamples} samples and the mirrored and nearest-icon candidates, whose hole best explains the kept\n` +
          ` pixels (λ ${rep.lambda}); expl.smp: the same judge among the samples alone; guided: the same judge among as many\n samples guided towards mirror symmetry (a product of experts: model × symmetry expert); guid.ref: the same judge among\n as many samples guided by symmetry and by the 8 nearest reference icons (model × symmetry × reference expert); ranked: the most likely mirrored or nearest-icon candidate;\n` +
          ` ${rep.samples} samples per icon at temperature 1; central square with ${rep.centre.proposals} proposals each, ${pc(rep.centre.samplePlain)} without resampling)\n`,
      );
    }
    if (values.sheet !== undefined) {
      // truth; then for the bottom half and for the central square: what complete draws by default (guided-refs), the explain judge's choice among plain samples, a plain sample
      const three = (d: (typeof r.bottom)[number]) => [d.guidedRefs, d.explainSample, d.samples[0]];
      const rows = held.slice(0, 12).map((s, i) => [s.bits, ...three(r.bottom[i]), ...three(r.centre[i])]);
      await writeImage(io, abs(values.sheet)!, spriteSheet(rows, grid, 3));
    }
    return 0;
  }

  // score
  if (positionals.length === 0) throw new PixelError('E_USAGE', 'Expected images or folders for pixel sprite score', { hint: 'pixel sprite score icons/' });
  const files: { file: string; root: string }[] = [];
  for (const p of positionals.map((x) => resolve(cwd, x))) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new PixelError('E_INPUT', `Expected an image or folder for pixel sprite score but cannot find ${JSON.stringify(p)}`, { file: p });
    }
    if (isDir) files.push(...listSpriteFiles(p, 'pixel sprite score').map((file) => ({ file, root: p })));
    else files.push({ file: p, root: dirname(p) });
  }
  // One bad file never stops the batch: it is reported, the rest are scored, the exit code says so.
  const ok: { file: string; root: string; bits: Uint8Array }[] = [];
  let failed = 0;
  for (const f of files) {
    try {
      const img = await readBits(f.file);
      const bits = fitToGrid(img, grid);
      if (!bits) throw new PixelError('E_INPUT', `Expected a ${grid}×${grid} sprite (or up to 2 px smaller) but ${JSON.stringify(f.file)} is ${img.width}×${img.height}`, { hint: `Scores compare like with like: crop or pad it to ${grid}×${grid}` });
      ok.push({ ...f, bits });
    } catch (error) {
      failed++;
      io.stderr(`pixel sprite score: ${(error as Error).message}\n`);
    }
  }
  const scores = await scoreSpritesFast(model, ok.map((f) => f.bits));
  const keys = heldOutKeys(model, modelFile);
  const isHeld = (f: { file: string }) => !!keys && [...keys].some((k) => f.file.replaceAll('\\', '/').endsWith(`/${k}`));
  const mean = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  if (values.json) io.stdout(`${JSON.stringify({ files: ok.map((f, i) => ({ file: f.file, bitsPerPixel: scores[i], heldOut: isHeld(f) })), mean, failed }, null, 2)}\n`);
  else {
    for (const [i, f] of ok.entries()) io.stdout(`${scores[i].toFixed(4)}  ${f.file}${isHeld(f) ? '  (held out)' : ''}\n`);
    io.stdout(mean === null ? `no sprite scored (${failed} failed)\n` : `mean ${mean.toFixed(4)} bits/px over ${ok.length} sprite(s)${failed ? `; ${failed} could not be scored` : ''}\n`);
  }
  return failed ? 1 : 0;
}
