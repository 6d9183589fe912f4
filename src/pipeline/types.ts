/**
 * The one image contract every step shares.
 *
 * Layout: row-major, channels interleaved (HWC), no row padding: sharp's raw
 * layout and tfjs's `[h, w, c]`, so conversions are zero-copy.
 *
 * - `range: 'unit'`  → `data` is a Float32Array of values in 0..1 (continuous tone).
 * - `range: 'binary'` → `data` is a Uint8Array of 0 or 1, one per pixel, 1 channel.
 *   1 is paper (light), 0 is ink (dark), so a binary image is still a luminance
 *   image and can be compared with its source directly.
 * - `space` says how unit values are coded: `srgb` (gamma-encoded, as files
 *   store them) or `linear` (linear light, what a display physically averages).
 */
import { defaultsOf, parseWithSchema, type Schema } from './options.js';

export type ColorSpace = 'srgb' | 'linear';
export type ValueRange = 'unit' | 'binary';
export type Channels = 1 | 3 | 4;

export interface RGB {
  r: number;
  g: number;
  b: number;
}

/** The two output colours. Index 0 (ink) and 1 (paper) of a 1-bit palette. */
export interface Palette {
  ink: RGB;
  paper: RGB;
  /** The third ink of a three-colour image (see ImageTensor.accent), for previews. */
  accent?: RGB;
}

export interface ImageTensor {
  width: number;
  height: number;
  channels: Channels;
  data: Float32Array | Uint8Array;
  range: ValueRange;
  space: ColorSpace;
  /** Output colours, set by the `palette` step and read by encoders. */
  palette?: Palette;
  /**
   * Transparency as a 1-bit mask: one byte per pixel (width × height, no
   * channels), 1 = opaque, 0 = transparent. Set by the decoder when the source
   * has alpha (alpha >= 0.5 is opaque); absent means fully opaque. Colour is
   * still composited onto the paper colour, so steps that ignore the mask see
   * a normal image. Steps that change geometry transform it (resize, upscale);
   * the pipeline carries it over any step that keeps the size but drops it.
   */
  mask?: Uint8Array;
  /**
   * Three-colour images (black / white / red or yellow e-paper): one byte per
   * pixel, 1 where the pixel is the second ink colour, whose `data` value is
   * then paper. Set by the `accent` step; geometry steps transform it like
   * the mask, and the pipeline carries it over steps that keep the size.
   */
  accent?: Uint8Array;
}

/** A unit-range tensor (continuous tone). */
export interface ToneTensor extends ImageTensor {
  data: Float32Array;
  range: 'unit';
}

/** A binary tensor: one channel, values 0 (ink) or 1 (paper). */
export interface BinaryTensor extends ImageTensor {
  data: Uint8Array;
  range: 'binary';
  channels: 1;
}

/** What a tensor looks like without its pixels: what steps declare and the builder checks. */
export interface TensorKind {
  channels: Channels;
  range: ValueRange;
  space: ColorSpace;
}

/** What a step accepts. A missing field means "any". */
export interface Accepts {
  channels?: readonly Channels[];
  range?: readonly ValueRange[];
  space?: readonly ColorSpace[];
}

export interface StepContext {
  /** The file being converted (for messages); undefined for in-memory images. */
  file?: string;
  /** Aborted when the user cancels the run. Long steps should check it. */
  signal?: AbortSignal;
  /** Non-fatal notes for the user (printed by the reporter). */
  warn(message: string): void;
}

export interface Step {
  /** Must not keep `image` after it returns: the engine reuses the decoded buffer for the next file. */
  run(image: ImageTensor, ctx: StepContext): ImageTensor | Promise<ImageTensor>;
  dispose?(): void | Promise<void>;
}

/** One option, described: what `pixel` prints in help and docs. */
export interface OptionDoc {
  expected: string;
  description: string;
  default: unknown;
}

/**
 * A plugin is a factory that returns a named object (as Rollup and unified do).
 * `parseOptions` throws a precise PixelError; `create` builds lookup tables or
 * models once per run, never per image and never at import time.
 */
export interface Plugin<O = any> {
  /** kebab-case; also the folder name for built-ins and the `use:` key in config. */
  name: string;
  description: string;
  defaults: Readonly<O>;
  /** `path` is the key path for messages, e.g. `steps[2]`. */
  parseOptions(input: unknown, path: string): O;
  /** The options as data (see options.ts), for --help and the README's step reference. */
  optionTable?: Readonly<Record<string, OptionDoc>>;
  accepts: Accepts;
  /** The kind this step produces from the kind it receives. */
  produces(input: TensorKind, options: O): TensorKind;
  /**
   * Whether the step gives the same result on an image that is already gray
   * (linear-light Rec. 709 luminance), which the decoder can hand over for a
   * third of the work: 'passes' when it treats every channel alike and
   * linearly in linear light (box resize, upscale), 'converts' when it starts
   * by taking that luminance itself. Absent: the step may need colour. A step
   * that accepts only 1 channel needs gray anyway.
   */
  gray?(options: O): 'passes' | 'converts' | undefined;
  /**
   * For a first step: the smallest input size from which it gives (within
   * tolerance) the result it gives on a `width`×`height` source, so the
   * decoder may shrink on load (JPEG, WebP). Absent or undefined: every
   * pixel is needed.
   */
  decodeSize?(options: O, width: number, height: number): { width: number; height: number } | undefined;
  /**
   * A step that finds structure above the grid (e.g. lines at 4× the grid)
   * says here how many times the grid it wants its input. When the step
   * right before it is `resize`, the pipeline asks that resize for this
   * multiple of its size and tells this step (as the `inputScale` option),
   * which then returns the grid (see linkWorkingScale in pipeline.ts).
   */
  workingScale?(options: O): number;
  /**
   * For a step that makes the image 1-bit: whether an animation's still
   * areas keep their dots from frame to frame. Error diffusion carries error
   * across the frame, so a change anywhere moves dots after it (flicker):
   * such a step says `stable: false` and names its method for the warning.
   * Absent: stable (a per-pixel or fixed-pattern decision).
   */
  temporalStability?(options: O): TemporalStability;
  /**
   * A step that sets the output colours says here which is paper: the
   * decoder composites transparent pixels onto it. Undefined (or absent on
   * every step): white.
   */
  paper?(options: O): RGB | undefined;
  /**
   * What the step does in a pipeline (see PLUGIN_ROLES): where an override
   * inserts it when the list lacks it, and which step `override.binarizer`
   * and `--method` address. Absent: a binarizer if it turns unit tone into
   * binary, otherwise the step is only used where a config lists it.
   */
  role?: PluginRole;
  /**
   * The `--method` names this plugin answers to, each with the options it
   * sets (e.g. threshold's `otsu` → `{ mode: 'otsu' }`). Binarizers only.
   */
  methods?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * A step that can make its output `scale` times larger covering the same
   * region (resize) says how: the options that do it. A next step that
   * declares workingScale is then given that multiple (linkWorkingScale).
   */
  oversample?(options: O, scale: number): O;
  /** Builds the step; relative paths in options (a model, a mask) are read from `ctx.baseDir`. */
  create(options: O, ctx?: CreateContext): Step | Promise<Step>;
}

/** What `create` is told about where it runs. */
export interface CreateContext {
  /** The config file's folder (else the working directory): relative paths in options are read from here, wherever pixel was started. */
  baseDir: string;
}

/**
 * Pipeline roles in pipeline order: `grid` recovers cells of fake pixel art,
 * `resize` sets the logical size, `tone` corrects gray, `binarizer` makes
 * 1 bit, `refine` edits the 1-bit image, `upscale` enlarges it, `orient`
 * turns it, `palette` colours it.
 */
export const PLUGIN_ROLES = ['grid', 'resize', 'tone', 'binarizer', 'refine', 'upscale', 'orient', 'palette'] as const;
export type PluginRole = (typeof PLUGIN_ROLES)[number];

/** What a binarizing step declares about animations (Plugin.temporalStability). */
export interface TemporalStability {
  stable: boolean;
  /** The method as the user would name it, e.g. `floyd-steinberg`. */
  method: string;
}

/** True when a plugin turns continuous tone into 1 bit: it says so (role), or, undeclared, its kinds show it. */
export function isBinarizer(plugin: Plugin): boolean {
  if (plugin.role !== undefined) return plugin.role === 'binarizer';
  if (plugin.accepts.range && !plugin.accepts.range.includes('unit')) return false;
  try {
    return plugin.produces({ channels: 1, range: 'unit', space: 'linear' }, plugin.defaults).range === 'binary';
  } catch {
    return false;
  }
}

/**
 * A plugin written with its options as data: `defaults`, `parseOptions` and
 * `optionTable` (what --help and the README print) all derive from `options`.
 */
export interface PluginSpec<O> extends Omit<Plugin<O>, 'defaults' | 'parseOptions' | 'optionTable'> {
  options: Schema<O>;
  /** Rules across options (e.g. two that exclude each other), after each is checked on its own; throw a PixelError. */
  check?(options: O, path: string): void;
}

/**
 * One option's parser, from a plugin's option table (a plugin built from a
 * schema has one): checks a value where the user wrote it (`path`) and throws
 * the field's PixelError. Undefined when the plugin declares no such option.
 */
export function optionParser(plugin: Plugin | undefined, key: string): ((value: unknown, path: string) => unknown) | undefined {
  const table = plugin?.optionTable as Readonly<Record<string, { parse?(value: unknown, path: string): unknown }>> | undefined;
  const field = table && Object.hasOwn(table, key) ? table[key] : undefined;
  return field?.parse?.bind(field);
}

/** Builds a plugin from a spec with an options schema; a full Plugin object passes through (typed identity). */
export function definePlugin<O>(plugin: Plugin<O> | PluginSpec<O>): Plugin<O> {
  if (!('options' in plugin)) return plugin;
  const { options: schema, check, ...rest } = plugin;
  return {
    ...rest,
    defaults: Object.freeze(defaultsOf(schema)),
    optionTable: schema,
    parseOptions(input, path) {
      const o = parseWithSchema(schema, input, path, ['use']);
      check?.(o, path);
      return o;
    },
  };
}

export function isBinary(image: ImageTensor): image is BinaryTensor {
  return image.range === 'binary';
}

/** A new unit tensor of the given size, filled with zeros. */
export function toneTensor(width: number, height: number, channels: Channels, space: ColorSpace): ToneTensor {
  return { width, height, channels, space, range: 'unit', data: new Float32Array(width * height * channels) };
}

/** A new binary tensor of the given size, filled with ink (0). */
export function binaryTensor(width: number, height: number, palette?: Palette): BinaryTensor {
  const t: BinaryTensor = { width, height, channels: 1, space: 'linear', range: 'binary', data: new Uint8Array(width * height) };
  if (palette) t.palette = palette;
  return t;
}
