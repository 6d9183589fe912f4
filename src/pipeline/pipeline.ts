/**
 * Build a pipeline before running it: every step's options are parsed and its
 * declared input is checked against what the previous step produces, so an
 * impossible order ("dither before resize") is rejected before a pixel is read,
 * with a message naming both steps. Running reduces the image through the steps
 * and tags any error with the plugin and the file (as Rollup's PluginDriver does).
 */
import { PixelError, withContext } from './errors.js';
import { expected, unknownNamed } from './messages.js';
import { isPlainObject } from './options.js';
import type { Accepts, CreateContext, ImageTensor, Plugin, Step, StepContext, TensorKind } from './types.js';

/** A step as written in config: `{ use: 'dither', method: 'atkinson' }`, or a plugin object in `use`. */
export interface StepConfig {
  use: string | Plugin;
  [option: string]: unknown;
}

export interface ResolvedStep {
  plugin: Plugin;
  options: unknown;
  /** Key path for messages, e.g. `steps[2]`. */
  path: string;
}

/** What a step did, for Pipeline.run's onStep: its index, plugin, result and time. */
export interface StepEvent {
  index: number;
  plugin: string;
  image: ImageTensor;
  ms: number;
}

/** Pipeline.run's options: the step context plus hooks to observe the steps and stop early. */
export interface RunOptions extends Partial<StepContext> {
  /** Called after every step with its result (eval times the binarizer; tools show stages). */
  onStep?(event: StepEvent): void;
  /** Index of the last step to run (inclusive); later steps are skipped. Default: all. */
  until?: number;
}

export interface Pipeline {
  readonly steps: readonly ResolvedStep[];
  /** The kind the pipeline produces from the decoded kind it was checked with. */
  readonly output: TensorKind;
  /** No step needs colour: the decoder may hand linear-light gray straight away (see Plugin.gray). */
  readonly grayInput: boolean;
  /**
   * The smallest decoded size that gives the first step (within tolerance)
   * the result it gives on the full source, or undefined when it needs every
   * pixel (see Plugin.decodeSize). The decoder may shrink on load to it.
   */
  decodeSize(width: number, height: number): { width: number; height: number } | undefined;
  run(image: ImageTensor, options?: RunOptions): Promise<ImageTensor>;
  dispose(): Promise<void>;
}

/** What a decoder hands the first step in the worst case (colour, sRGB-coded floats). */
export const DECODED_KIND: TensorKind = Object.freeze({ channels: 3, range: 'unit', space: 'srgb' });

const RANGE_WORDS = { unit: 'a continuous-tone image', binary: 'a binary (1-bit) image' } as const;

function channelWords(c: number): string {
  return c === 1 ? '1 channel (gray)' : `${c} channels`;
}

/** Why `kind` does not satisfy `accepts`, in words, or undefined if it does. */
export function mismatch(accepts: Accepts, kind: TensorKind): { needs: string; got: string; field: keyof Accepts } | undefined {
  if (accepts.range && !accepts.range.includes(kind.range))
    return { field: 'range', needs: accepts.range.map((r) => RANGE_WORDS[r]).join(' or '), got: RANGE_WORDS[kind.range] };
  if (accepts.channels && !accepts.channels.includes(kind.channels))
    return { field: 'channels', needs: accepts.channels.map(channelWords).join(' or '), got: channelWords(kind.channels) };
  if (accepts.space && !accepts.space.includes(kind.space))
    return { field: 'space', needs: `${accepts.space.join(' or ')} values`, got: `${kind.space} values` };
  return undefined;
}

function fixFor(field: keyof Accepts, prev: string | undefined, step: string, needsBinary: boolean): string {
  if (field === 'channels') return `Add { use: 'adjust' } (grayscale) before '${step}'.`;
  if (field === 'range' && prev) return needsBinary ? `Add a 'dither' or 'threshold' step before '${step}'.` : `Move '${step}' before '${prev}'.`;
  if (field === 'range') return needsBinary ? `Add a 'dither' or 'threshold' step before '${step}'.` : `'${step}' cannot be the first step.`;
  return `Check the order of the steps around '${step}'.`;
}

/** Looks a step's plugin up by name among the known plugins. */
export function lookupPlugin(use: unknown, plugins: ReadonlyMap<string, Plugin>, path: string): Plugin {
  if (typeof use === 'object' && use !== null && typeof (use as Plugin).name === 'string' && typeof (use as Plugin).create === 'function') return use as Plugin;
  if (typeof use !== 'string') throw new PixelError('E_CONFIG', expected('a plugin name or plugin object', `${path}.use`, use));
  const plugin = plugins.get(use);
  if (!plugin) {
    throw new PixelError('E_CONFIG', unknownNamed('plugin', use, `at ${path}.use`, plugins.keys()), {
      hint: `Known plugins: ${[...plugins.keys()].join(', ')}. A plugin package "pixel-plugin-${use}" is loaded when listed in the config's plugins.`,
    });
  }
  return plugin;
}

/** Parses every step's options; throws the first problem tagged with its plugin. */
export function resolveSteps(steps: readonly (StepConfig | ResolvedStep)[], plugins: ReadonlyMap<string, Plugin>): ResolvedStep[] {
  if (!Array.isArray(steps) || steps.length === 0)
    throw new PixelError('E_CONFIG', expected('a non-empty array of steps', 'steps', steps), {
      hint: "Start from a preset (extends: 'photo') or list steps like [{ use: 'resize', width: 128 }, { use: 'dither' }].",
    });
  return linkWorkingScale(steps.map((step, i) => {
    const path = `steps[${i}]`;
    if (isResolved(step)) return step;
    if (!isPlainObject(step)) throw new PixelError('E_CONFIG', expected("an object like { use: 'dither' }", path, step));
    const plugin = lookupPlugin(step.use, plugins, path);
    try {
      return { plugin, options: plugin.parseOptions(step, path), path };
    } catch (error) {
      // Option parsers report user mistakes, even when a third-party one throws a plain Error.
      if (error instanceof PixelError) throw withContext(error, { plugin: plugin.name });
      throw new PixelError('E_OPTION', error instanceof Error ? error.message : String(error), { plugin: plugin.name });
    }
  }));
}

/**
 * A step that wants its input at a multiple of the grid (Plugin.workingScale)
 * right after a step that can oversample (Plugin.oversample: resize) gets
 * that multiple of its size and the step learns it (`inputScale`) and returns the grid.
 * The cost stays that of resizing once, from the source, to a small multiple
 * of the grid. Idempotent, so already linked steps may pass again.
 */
export function linkWorkingScale(steps: ResolvedStep[]): ResolvedStep[] {
  for (let i = 1; i < steps.length; i++) {
    const scale = steps[i].plugin.workingScale?.(steps[i].options) ?? 1;
    const prev = steps[i - 1];
    if (scale <= 1 || !prev.plugin.oversample) continue;
    steps[i - 1] = { ...prev, options: prev.plugin.oversample(prev.options, scale) };
    steps[i] = { ...steps[i], options: { ...(steps[i].options as object), inputScale: scale } };
  }
  return steps;
}

function isResolved(step: StepConfig | ResolvedStep): step is ResolvedStep {
  return 'plugin' in step && 'path' in step && !('use' in step);
}

/** Walks the declared kinds through the steps; throws on the first impossible pair. */
export function checkContract(steps: readonly ResolvedStep[], input: TensorKind = DECODED_KIND): TensorKind {
  let kind = input;
  let prev: ResolvedStep | undefined;
  steps.forEach((step, i) => {
    const name = step.plugin.name;
    const bad = mismatch(step.plugin.accepts, kind);
    if (bad) {
      const needsBinary = step.plugin.accepts.range?.includes('binary') === true && !step.plugin.accepts.range.includes('unit');
      const from = prev ? `step ${i} '${prev.plugin.name}' produces ${bad.got}` : `the decoded image is ${bad.got}`;
      throw new PixelError('E_PIPELINE', `Step ${i + 1} '${name}' cannot run here: it needs ${bad.needs} but ${from}`, {
        plugin: name,
        hint: fixFor(bad.field, prev?.plugin.name, name, needsBinary),
      });
    }
    kind = step.plugin.produces(kind, step.options);
    prev = step;
  });
  if (kind.range !== 'binary') {
    throw new PixelError('E_PIPELINE', `The pipeline ends with ${RANGE_WORDS[kind.range]}, but outputs are 1-bit`, {
      plugin: prev?.plugin.name,
      hint: "Add a binarizing step ('dither' or 'threshold') before any upscale.",
    });
  }
  return kind;
}

/**
 * Whether the steps give the same result on a gray image: every step up to
 * the first one that takes the luminance (or accepts only gray) passes gray
 * through unchanged.
 */
export function acceptsGrayInput(steps: readonly ResolvedStep[]): boolean {
  for (const { plugin, options } of steps) {
    if (plugin.accepts.channels && !plugin.accepts.channels.includes(3)) return true;
    const gray = plugin.gray?.(options);
    if (gray === 'converts') return true;
    if (gray !== 'passes') return false;
  }
  return false;
}

/**
 * Builds a pipeline: resolves plugins and options, checks the contract, then
 * calls each plugin's `create()` once (models and tables are built here).
 */
export async function buildPipeline(
  steps: readonly (StepConfig | ResolvedStep)[],
  plugins: ReadonlyMap<string, Plugin>,
  input: TensorKind = DECODED_KIND,
  ctx: CreateContext = { baseDir: process.cwd() },
): Promise<Pipeline> {
  const resolved = resolveSteps(steps, plugins);
  const output = checkContract(resolved, input);
  const created: Step[] = [];
  try {
    for (const step of resolved) {
      try {
        created.push(await step.plugin.create(step.options, ctx));
      } catch (error) {
        throw withContext(error, { plugin: step.plugin.name });
      }
    }
  } catch (error) {
    await Promise.all(created.map((s) => s.dispose?.()));
    throw error;
  }

  return {
    steps: resolved,
    output,
    grayInput: acceptsGrayInput(resolved),
    decodeSize(width, height) {
      const first = resolved[0];
      return first.plugin.decodeSize?.(first.options, width, height);
    },
    async run(image, options = {}) {
      const { onStep, until, ...partial } = options;
      const ctx: StepContext = { warn: () => {}, ...partial };
      let current = image;
      const last = until === undefined ? created.length - 1 : Math.min(until, created.length - 1);
      for (let i = 0; i <= last; i++) {
        const { plugin } = resolved[i];
        if (ctx.signal?.aborted) throw new PixelError('E_CANCELLED', 'Cancelled', { file: ctx.file });
        // The static check used the worst case; check the real image too (cheap).
        const bad = mismatch(plugin.accepts, current);
        if (bad) throw new PixelError('E_PIPELINE', `Step ${i + 1} '${plugin.name}' needs ${bad.needs} but received ${bad.got}`, { plugin: plugin.name, file: ctx.file });
        const t0 = onStep ? performance.now() : 0;
        try {
          let next = await created[i].run(current, ctx);
          // Steps that keep the size may ignore the transparency mask and the accent plane: carry them over.
          const same = next.width === current.width && next.height === current.height;
          if (same && current.mask && !next.mask) next = { ...next, mask: current.mask };
          if (same && current.accent && !next.accent && next.range === 'binary') next = { ...next, accent: current.accent };
          current = next;
        } catch (error) {
          throw withContext(error, { plugin: plugin.name, file: ctx.file });
        }
        onStep?.({ index: i, plugin: plugin.name, image: current, ms: performance.now() - t0 });
      }
      return current;
    },
    async dispose() {
      await Promise.all(created.map((s) => s.dispose?.()));
    },
  };
}
