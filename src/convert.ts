/**
 * The conversion engine: resolve → build → decode → run → encode, one path
 * for the library API (`convert`), the CLI batch on this thread and in its
 * workers (convert, staged, --watch) and eval (which builds its columns with
 * `Engine.steps` and runs each up to its binarizer with `until`). Writing is
 * the batch policy's part (atomic, cached).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { resolveConfig, type ResolvedConfig } from './config/resolve.js';
import type { PixelConfig } from './config/types.js';
import { decodeAnimation, decodeImage, type Animation, type DecodeOptions } from './image/decode.js';
import { companions, encode, encodeAsync, encodeGif, FORMATS, keepsFrames, maskAsInk, type EncodeContext, type FormatName, type OutputFormat } from './image/encode/index.js';
import { PixelError, withContext } from './pipeline/errors.js';
import { buildPipeline, DECODED_KIND, type Pipeline, type ResolvedStep, type RunOptions, type StepConfig } from './pipeline/pipeline.js';
import type { BinaryTensor, ImageTensor, Plugin, RGB, TensorKind } from './pipeline/types.js';
import { pluginTable } from './plugins/index.js';
import { WHITE } from './image/color.js';
import { builtinPresets } from '../presets/index.js';

/** Builds a pipeline from steps, with the built-in plugins plus any given ones. */
export function createPipeline(steps: readonly StepConfig[], options: { plugins?: readonly Plugin[] } = {}): Promise<Pipeline> {
  return buildPipeline(steps, pluginTable(options.plugins));
}

export interface ConvertOptions {
  /** A config object (as in pixel.config.ts); rules are not applied. */
  config?: PixelConfig;
  /** A preset name; replaces the config's own extends/steps. */
  preset?: string;
  /** Output format (default: the config's, else png). */
  format?: string;
  plugins?: readonly Plugin[];
  /** Name used in error messages. */
  file?: string;
  signal?: AbortSignal;
  /** Called after every step with its result and time. */
  onStep?: RunOptions['onStep'];
}

export interface ConvertResult {
  image: BinaryTensor;
  /** The encoded file. */
  data: Buffer;
  format: FormatName;
  /**
   * Companion files written beside the output (e.g. a separate transparency
   * mask): the output path with its extension replaced by `suffix`.
   */
  extras: Array<{ suffix: string; data: Buffer }>;
  /** All frames, when an animated input was written as an animated GIF (`image` is the first). */
  frames?: BinaryTensor[];
}

/** The paper colour of a step list, as the first step that sets colours declares it (Plugin.paper): where transparent pixels go. */
export function paperOf(config: ResolvedConfig): RGB {
  const step = config.steps.find((s) => s.plugin.paper);
  return step?.plugin.paper?.(step.options) ?? WHITE;
}

/** Per-image context for the engine: names for messages, cancellation, warnings and step hooks. */
export interface RunContext {
  file?: string;
  signal?: AbortSignal;
  warn?: (m: string) => void;
  /** Identifier base for XBM/C outputs (default: the file's base name). */
  name?: string;
  /** Called after every step (see Pipeline.run). */
  onStep?: RunOptions['onStep'];
  /** Decoded-float buffers to reuse across files (the Engine's); unused when onStep may keep images. */
  floats?: FloatBuffers;
}

/**
 * Decoded float buffers kept between files. A fresh 12-MP gray image is 48 MB
 * of new pages (the kernel zeroes and maps each one: about as long as the
 * bytes-to-gray loop itself); a buffer from an earlier file costs nothing.
 * A buffer comes back only when the run is over and nothing it returned
 * shares it, so a step must not keep its input after returning (none does).
 */
export class FloatBuffers {
  private readonly free: Float32Array[] = [];
  /** Below this many elements malloc reuses memory by itself. */
  static readonly MIN = 1 << 18;
  /** Above this many (a 16-MP gray image, 64 MB) none is kept: at most 128 MB idle, outside the batch's memory budget. */
  static readonly MAX = 1 << 24;
  /** At most this many kept: one per file in flight. */
  constructor(private readonly keep = 2) {}
  take = (length: number): Float32Array => {
    const i = this.free.findIndex((b) => b.length === length);
    return i >= 0 ? this.free.splice(i, 1)[0] : new Float32Array(length);
  };
  give(buffer: Float32Array): void {
    if (buffer.length < FloatBuffers.MIN || buffer.length > FloatBuffers.MAX || this.free.includes(buffer)) return;
    this.free.push(buffer);
    if (this.free.length > this.keep) this.free.shift();
  }
}

/** Runs decode → steps → encode for one image, given a resolved config and its built pipeline. */
export async function runOne(input: string | Buffer | ImageTensor, config: ResolvedConfig, pipeline: Pipeline, ctx: RunContext = {}): Promise<ConvertResult> {
  const decodeOptions: DecodeOptions = {
    background: paperOf(config),
    limitInputPixels: config.maxPixels,
    file: ctx.file,
    gray: pipeline.grayInput,
    size: (w, h) => pipeline.decodeSize(w, h),
  };
  const reuse = ctx.onStep ? undefined : ctx.floats;
  if (reuse) decodeOptions.floats = reuse.take;
  const stepCtx = { file: ctx.file, signal: ctx.signal, warn: ctx.warn ?? (() => {}), onStep: ctx.onStep };
  // Animated input to a format that keeps frames (GIF, C header, bin, pdt): every frame through the pipeline.
  if (!isTensor(input) && keepsFrames(config.output.format, config.output.sheet)) {
    const animation = await decodeAnimation(input, decodeOptions);
    if (animation) return runAnimation(animation, config, pipeline, { ...stepCtx, name: ctx.name ?? nameOf(ctx.file) });
  }
  const image = isTensor(input) ? input : await decodeImage(input, decodeOptions);
  const out = await pipeline.run(image, stepCtx);
  if (out.range !== 'binary') throw new PixelError('E_PIPELINE', 'The pipeline did not produce a binary image', { file: ctx.file });
  const format = config.output.format;
  let result: ConvertResult;
  try {
    result = await encodeOutputAsync(out as BinaryTensor, config.output, ctx.name ?? nameOf(ctx.file));
  } catch (error) {
    throw withContext(error, { plugin: `encode:${format}`, file: ctx.file });
  }
  const decoded = image.data;
  if (reuse && image !== input && decoded instanceof Float32Array && ![result.image.data, result.image.mask].some((a) => a?.buffer === decoded.buffer)) reuse.give(decoded);
  return result;
}

/**
 * An animation through the pipeline frame by frame, written as an animated
 * GIF with the source's delays and loop count. Ordered methods (bayer-*,
 * blue-noise) threshold each pixel against a fixed pattern, so still areas
 * give the same dots in every frame; error diffusion does not, and a warning
 * says so for every step that declares itself unstable (Plugin.temporalStability).
 */
async function runAnimation(
  animation: Animation,
  config: ResolvedConfig,
  pipeline: Pipeline,
  ctx: { file?: string; signal?: AbortSignal; warn: (m: string) => void; name: string; onStep?: RunOptions['onStep'] },
): Promise<ConvertResult> {
  for (const step of config.steps) {
    const t = step.plugin.temporalStability?.(step.options);
    if (t && !t.stable)
      ctx.warn(`${animation.frames.length} frames dithered with ${t.method}: error diffusion flickers in still areas; an ordered method (blue-noise, bayer-8) keeps them stable`);
  }
  const frames: BinaryTensor[] = [];
  for (const frame of animation.frames) {
    const out = await pipeline.run(frame, ctx);
    if (out.range !== 'binary') throw new PixelError('E_PIPELINE', 'The pipeline did not produce a binary image', { file: ctx.file });
    frames.push(forcePaper(out as BinaryTensor, config.output.mask));
  }
  const { mask, format } = config.output;
  if (format !== 'gif') {
    try {
      const context = encodeContext(config.output, ctx.name);
      const data = (FORMATS[format] as OutputFormat).encodeFrames!(frames, context);
      return { image: frames[0], data, format, extras: companions(frames, format, context), frames };
    } catch (error) {
      throw withContext(error, { plugin: `encode:${format}`, file: ctx.file });
    }
  }
  try {
    const data = encodeGif(frames, { delay: animation.delay, loop: animation.loop, transparentPaper: mask === 'palette' });
    const extras: ConvertResult['extras'] = [];
    if (mask === 'file') {
      const masks = frames.map((f) => ({ ...f, palette: undefined, data: f.mask ? new Uint8Array(f.mask) : new Uint8Array(f.data.length).fill(1) }));
      extras.push({ suffix: '.mask.gif', data: encodeGif(masks, { delay: animation.delay, loop: animation.loop }) });
    }
    return { image: frames[0], data, format: 'gif', extras, frames };
  } catch (error) {
    throw withContext(error, { plugin: 'encode:gif', file: ctx.file });
  }
}

/** For mask 'palette': transparent pixels become paper (which the encoder makes transparent). */
function forcePaper(image: BinaryTensor, mask: string): BinaryTensor {
  if (mask !== 'palette' || !image.mask) return image;
  const data = new Uint8Array(image.data);
  const m = image.mask;
  for (let i = 0; i < data.length; i++) if (m[i] === 0) data[i] = 1;
  return { ...image, data };
}

/** The identifier base for XBM/C outputs: the file's base name without extension. */
function nameOf(file: string | undefined): string {
  return file ? basename(file, extname(file)) : 'image';
}

/** The encoder's view of the output settings. */
function encodeContext(output: Partial<ResolvedConfig['output']>, name: string): EncodeContext {
  const { layout, mask, sizePrefix, prefix, bytesPerLine, swapBits, accentBit, sheet } = output;
  return { name, layout, mask, sizePrefix, prefix, bytesPerLine, swapBits, accentBit, sheet };
}

/**
 * Encodes a finished binary image as `output` says, with its mask handling:
 * 'palette' forces transparent pixels to paper (which the encoder makes
 * transparent), 'array' is done by the C encoder, 'file' adds a companion
 * mask file in the same format (suffix `.mask.<ext>`). A mask file shows
 * opaque pixels as the format's `maskOpaque` says; an image without a mask is
 * all opaque.
 */
export function encodeOutput(
  image: BinaryTensor,
  output: Pick<ResolvedConfig['output'], 'format' | 'layout' | 'mask'> & Partial<ResolvedConfig['output']>,
  name = 'image',
): ConvertResult {
  const parts = outputParts(image, output, name);
  return { image: parts.image, data: encode(parts.image, output.format, parts.context), format: output.format, extras: parts.extras };
}

/** encodeOutput with the compression off the JS thread (the same bytes): what the engine uses. */
export async function encodeOutputAsync(
  image: BinaryTensor,
  output: Pick<ResolvedConfig['output'], 'format' | 'layout' | 'mask'> & Partial<ResolvedConfig['output']>,
  name = 'image',
): Promise<ConvertResult> {
  const parts = outputParts(image, output, name);
  return { image: parts.image, data: await encodeAsync(parts.image, output.format, parts.context), format: output.format, extras: parts.extras };
}

/** The image to encode (mask applied), its encode context and the companion mask file. */
function outputParts(image: BinaryTensor, output: Pick<ResolvedConfig['output'], 'format' | 'layout' | 'mask'> & Partial<ResolvedConfig['output']>, name: string) {
  const { format, layout, mask } = output;
  const spec = FORMATS[format];
  const context = encodeContext(output, name);
  const img = forcePaper(image, mask);
  const extras: ConvertResult['extras'] = [];
  if (mask === 'file') {
    const n = image.width * image.height;
    let maskImage: BinaryTensor;
    if (spec.maskOpaque === 'ink') maskImage = maskAsInk(image);
    else {
      const data = image.mask ? new Uint8Array(image.mask) : new Uint8Array(n).fill(1);
      maskImage = { width: image.width, height: image.height, channels: 1, range: 'binary', space: 'linear', data };
    }
    extras.push({ suffix: `.mask.${spec.extension}`, data: encode(maskImage, format, { name: `${name}_mask`, layout, mask: 'none' }) });
  }
  extras.push(...companions([img], format, context));
  return { image: img, context, extras };
}

function isTensor(x: unknown): x is ImageTensor {
  return typeof x === 'object' && x !== null && !Buffer.isBuffer(x) && 'data' in x && 'width' in x;
}

/**
 * The engine for many images: each distinct config (by key) is built into a
 * pipeline once, then every image runs decode → steps → encode through it.
 * Used by the batch on this thread and by each worker thread.
 */
export class Engine {
  /** Built pipelines by key (the batch's per-config key), else by the config object itself. */
  private readonly byKey = new Map<string, Promise<Pipeline>>();
  private byConfig = new WeakMap<ResolvedConfig, Promise<Pipeline>>();
  private readonly all: Array<Promise<Pipeline>> = [];
  private readonly floats = new FloatBuffers();
  /** `baseDir`: where relative paths in step options (a unet model, a mask) are read from; the config file's folder. */
  constructor(
    readonly plugins: ReadonlyMap<string, Plugin>,
    private readonly options: { baseDir?: string } = {},
  ) {}

  /** The built pipeline for a config, shared by every image with the same key (or the same config object). */
  pipeline(config: ResolvedConfig, key?: string): Promise<Pipeline> {
    let p = key === undefined ? this.byConfig.get(config) : this.byKey.get(key);
    if (!p) {
      p = this.build(config.steps);
      if (key === undefined) this.byConfig.set(config, p);
      else this.byKey.set(key, p);
    }
    return p;
  }

  /**
   * The built pipeline for bare steps checked against `input` rather than the
   * decoded kind (eval runs a method on the job's linear gray), once per key.
   */
  steps(key: string, steps: readonly (StepConfig | ResolvedStep)[], input: TensorKind = DECODED_KIND): Promise<Pipeline> {
    let p = this.byKey.get(key);
    if (!p) this.byKey.set(key, (p = this.build(steps, input)));
    return p;
  }

  private build(steps: readonly (StepConfig | ResolvedStep)[], input?: TensorKind): Promise<Pipeline> {
    const p = buildPipeline(steps, this.plugins, input, { baseDir: this.options.baseDir ?? process.cwd() });
    this.all.push(p);
    return p;
  }

  async convert(input: string | Buffer | ImageTensor, config: ResolvedConfig, ctx: RunContext & { key?: string } = {}): Promise<ConvertResult> {
    const pipeline = await this.pipeline(config, ctx.key);
    const source = typeof input === 'string' ? await readInput(input) : input;
    return runOne(source, config, pipeline, { floats: this.floats, ...ctx, file: ctx.file ?? (typeof input === 'string' ? input : undefined) });
  }

  async dispose(): Promise<void> {
    const built = await Promise.allSettled(this.all.splice(0));
    this.byKey.clear();
    this.byConfig = new WeakMap();
    await Promise.all(built.map((b) => (b.status === 'fulfilled' ? b.value.dispose() : undefined)));
  }
}

/**
 * Converts one image (a path, the file's bytes, or a tensor) to a 1-bit image
 * and its encoded bytes. Builds and disposes a pipeline per call: for many
 * images, use an Engine (or createPipeline and runOne).
 */
export async function convert(input: string | Buffer | ImageTensor, options: ConvertOptions = {}): Promise<ConvertResult> {
  const plugins = pluginTable(options.plugins);
  const config = resolveConfig({
    presets: builtinPresets, config: options.config ?? {},
    preset: options.preset,
    cli: options.format ? { output: { format: options.format } } : undefined,
    plugins,
  });
  const engine = new Engine(plugins);
  try {
    return await engine.convert(input, config, { file: options.file, signal: options.signal, onStep: options.onStep });
  } finally {
    await engine.dispose();
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixelError('E_INPUT', code === 'ENOENT' ? 'File not found' : `Cannot read the file (${code ?? (error as Error).message})`, {
      file: path,
      hint: code === 'ENOENT' ? 'Check the path.' : 'Check the file permissions.',
    });
  }
}

export { readInput };
