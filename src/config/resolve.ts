/**
 * Record first, run once: the whole configuration (defaults ← presets ←
 * pixel.config ← matching rules ← command-line flags) is resolved and
 * validated into one frozen ResolvedConfig before the first pixel is read.
 */
import { FORMATS, type FormatName } from '../image/encode/index.js';
import { PixelError } from '../pipeline/errors.js';
import { expected, unknownNamed } from '../pipeline/messages.js';
import { isPlainObject } from '../pipeline/options.js';
import { lookupPlugin, type ResolvedStep, type StepConfig } from '../pipeline/pipeline.js';
import type { Plugin } from '../pipeline/types.js';
import type { OutputConfig, PixelConfig, Preset } from './types.js';
import { applyOverrides, checkOverrides } from './overrides.js';
import { resolveOutput, type ResolvedOutput } from './output.js';
import { assertShape, validateShape } from './validate.js';

export { applyOverrides, BINARIZER } from './overrides.js';
export { DEFAULT_OUTPUT, resolveOutput, type ResolvedOutput } from './output.js';

export interface ResolvedConfig {
  readonly steps: readonly ResolvedStep[];
  readonly output: Readonly<ResolvedOutput>;
  readonly maxPixels: number;
  /** Names of the presets applied, in order (for messages and cache keys). */
  readonly presets: readonly string[];
}

export const DEFAULT_MAX_PIXELS = 16383 * 16383;

/** The settings one layer contributes (a preset, the config, a rule, the CLI). */
export interface Layer {
  steps?: StepConfig[];
  override?: Record<string, Record<string, unknown>>;
  output?: OutputConfig;
}

interface Merged {
  steps?: StepConfig[];
  override: Record<string, Record<string, unknown>>;
  output: OutputConfig;
  presets: string[];
}

/**
 * Merge rules (later layers win):
 * - `steps` is a list in order, so a later `steps` REPLACES the inherited list
 *   whole; merging lists by index would silently mix two pipelines.
 * - `override` is merged per plugin name, then per option key.
 * - `output` is merged per key; a layer that changes `format` but not `mask`
 *   drops an inherited mask mode the new format cannot do (the Arduboy
 *   preset's mask 'array' with `--format png` is a preview without a mask,
 *   not a config error).
 * - `extends` applies its presets first, in the order written, then the layer
 *   itself; a preset that extends itself (directly or not) is an error.
 * - `description`, `target`, `presets`, `rules`, `plugins` are not inherited.
 */
export function mergeLayer(into: Merged, layer: Layer): Merged {
  if (layer.steps) {
    into.steps = layer.steps;
    // Overrides written before a new step list target the old list: drop them.
    into.override = {};
  }
  for (const [name, opts] of Object.entries(layer.override ?? {})) into.override[name] = { ...into.override[name], ...opts };
  const inherited = into.output.mask;
  into.output = { ...into.output, ...layer.output };
  const format = layer.output?.format;
  if (format !== undefined && layer.output?.mask === undefined && inherited !== undefined && Object.hasOwn(FORMATS, format) && !(FORMATS[format as FormatName].masks as readonly string[]).includes(inherited))
    delete into.output.mask;
  return into;
}

/** Used when neither the config nor the command line names a preset or steps. */
export const DEFAULT_PRESET = 'photo';

/** The presets a config can name: its own, then the built-in ones it is handed (presets/index.ts). */
export class PresetTable {
  constructor(
    private readonly user: Readonly<Record<string, Preset>> = {},
    private readonly builtin: Readonly<Record<string, Preset>> = {},
  ) {}

  get(name: string): Preset | undefined {
    return Object.hasOwn(this.user, name) ? this.user[name] : Object.hasOwn(this.builtin, name) ? this.builtin[name] : undefined;
  }

  names(): string[] {
    return [...new Set([...Object.keys(this.builtin), ...Object.keys(this.user)])];
  }

  unknown(name: string, path: string): PixelError {
    return new PixelError('E_CONFIG', unknownNamed('preset', name, `at ${path}`, this.names()), {
      hint: `Known presets: ${this.names().join(', ')}. Run \`pixel presets\` to see them, or declare your own under presets in pixel.config.ts.`,
    });
  }

  /** Applies a preset (and what it extends) onto `into`. */
  apply(into: Merged, name: string, path: string, seen: string[] = []): Merged {
    if (seen.includes(name)) throw new PixelError('E_CONFIG', `Preset "${name}" extends itself (${[...seen, name].join(' → ')})`, { hint: 'Remove one of the extends in that chain.' });
    const preset = this.get(name);
    if (!preset) throw this.unknown(name, path);
    for (const parent of asList(preset.extends)) this.apply(into, parent, `presets.${name}.extends`, [...seen, name]);
    into.presets.push(name);
    return mergeLayer(into, preset);
  }
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function emptyMerged(): Merged {
  return { override: {}, output: {}, presets: [] };
}

/**
 * Applies a layer with its own `extends`/`preset` first. A broken preset is
 * reported through `report` and skipped, so the layer's other problems are
 * still found in the same run.
 */
export function applyLayer(
  into: Merged,
  layer: Layer & { extends?: string | string[]; preset?: string },
  table: PresetTable,
  path: string,
  report: (error: unknown) => void = (e) => {
    throw e;
  },
): Merged {
  const names = [...asList(layer.extends).map((n) => [n, `${path}extends`]), ...(layer.preset !== undefined ? [[layer.preset, `${path}preset`]] : [])];
  for (const [name, at] of names) {
    try {
      table.apply(into, name, at);
    } catch (error) {
      report(error);
    }
  }
  return mergeLayer(into, layer);
}

/** Parses every step, collecting all problems instead of stopping at the first. */
export function resolveStepList(steps: StepConfig[], plugins: ReadonlyMap<string, Plugin>, problems: string[]): ResolvedStep[] {
  const out: ResolvedStep[] = [];
  steps.forEach((step, i) => {
    const path = `steps[${i}]`;
    if (!isPlainObject(step)) {
      problems.push(expected("an object like { use: 'dither' }", path, step));
      return;
    }
    try {
      const plugin = lookupPlugin(step.use, plugins, path);
      const name = plugin.name;
      try {
        out.push({ plugin, options: plugin.parseOptions(step, path), path });
      } catch (error) {
        // A plugin's parser may throw a plain Error (third-party plugins): its message is still the problem.
        const message = error instanceof Error ? error.message : String(error);
        const hint = error instanceof PixelError && error.hint ? ` (${error.hint})` : '';
        problems.push(`[${name}] ${message}${hint}`);
      }
    } catch (error) {
      problems.push(error instanceof PixelError ? error.message : String(error));
    }
  });
  return out;
}

export interface ResolveInput {
  config: PixelConfig;
  /** Where the config came from, for messages. */
  source?: string;
  /** --preset: replaces the config's own extends/steps. */
  preset?: string;
  /** Layers from rules that match the file, in order. */
  ruleLayers?: Array<Layer & { extends?: string | string[]; preset?: string; path: string }>;
  /** Command-line flags as a layer. */
  cli?: Layer;
  plugins: ReadonlyMap<string, Plugin>;
  /** The built-in presets (presets/index.ts), handed in like the plugins. */
  presets: Readonly<Record<string, Preset>>;
}

/** Resolves and validates one file's configuration; throws one E_CONFIG error listing every problem. */
export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const { config } = input;
  const problems: string[] = validateShape(config);
  // Shape problems are collected with the rest; if one of them makes merging
  // itself fail (a key of the wrong type), they are what gets reported.
  try {
    return resolveChecked(input, problems);
  } catch (error) {
    if (error instanceof PixelError || problems.length === 0) throw error;
    assertShape(config, input.source);
    throw error;
  }
}

function resolveChecked(input: ResolveInput, problems: string[]): ResolvedConfig {
  const { config, plugins } = input;
  const table = new PresetTable(isPlainObject(config.presets) ? config.presets : {}, input.presets);
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (error) {
      if (error instanceof PixelError) problems.push(error.message);
      else throw error;
    }
  };

  // Layers in order: --preset (or the config and its rules), then the flags.
  // When none of them names a pipeline, the default preset goes first.
  const mergeAll = (into: Merged): Merged => {
    if (input.preset !== undefined) {
      attempt(() => table.apply(into, input.preset!, '--preset'));
      mergeLayer(into, { override: config.override, output: config.output });
    } else {
      const report = (error: unknown) => attempt(() => {
        throw error;
      });
      applyLayer(into, config, table, '', report);
      for (const rule of input.ruleLayers ?? []) applyLayer(into, rule, table, `${rule.path}.`, report);
    }
    if (input.cli) mergeLayer(into, input.cli);
    return into;
  };
  const before = problems.length;
  let merged = mergeAll(emptyMerged());
  if (!merged.steps) {
    problems.length = before; // the second pass reports them again
    merged = emptyMerged();
    table.apply(merged, DEFAULT_PRESET, '(default preset)');
    merged = mergeAll(merged);
  }

  let steps: ResolvedStep[] = [];
  if (merged.steps) {
    let list = merged.steps;
    attempt(() => {
      list = applyOverrides(merged.steps!, checkOverrides(merged.override, merged.steps!, plugins, problems), plugins);
    });
    steps = resolveStepList(list, plugins, problems);
  }
  const output = resolveOutput(merged.output, problems);
  const maxPixels = config.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || !Number.isInteger(maxPixels) || maxPixels < 1)
    problems.push(expected('a positive integer', 'maxPixels', maxPixels));

  if (problems.length > 0) {
    throw new PixelError('E_CONFIG', `Invalid configuration${input.source ? ` in ${input.source}` : ''} (${problems.length} problem${problems.length > 1 ? 's' : ''}):`, {
      problems,
      hint: 'Fix the keys above; `pixel presets` lists presets, `pixel convert --help` lists methods and options.',
    });
  }
  return Object.freeze({ steps: Object.freeze(steps), output: Object.freeze(output), maxPixels, presets: Object.freeze(merged.presets) });
}
