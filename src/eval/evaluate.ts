/**
 * `evaluateSet`: scores binarization methods, presets and configs on a set of
 * images, exactly as ../shared/design/QUALITY.md defines the two jobs:
 *
 * - grid job (pixel art): source → luminance in linear light → box (area
 *   average) resize to long side N → binarize → score against that same gray.
 * - full job (halftone): the same with N = e.g. 512, binarized at that size.
 *
 * The reference Y is the binarizer's own input for methods, so a method is
 * scored on exactly what it was given. Presets and configs run their steps up
 * to and including the binarizer (upscale and palette are never scored):
 * one with its own resize step runs on the decoded source and is scored at
 * its own grid (the reference is the source luminance through the same resize
 * steps with the box kernel); one without is given the source resized to the
 * job's long side (colour kept, linear light).
 *
 * The library behind `pixel eval`, the README tables (scripts/eval-readme.ts)
 * and benchmarks. No printing here: progress and skipped files go to callbacks.
 */
import { methodNames, methodTable } from '../config/methods.js';
import { PresetTable, resolveConfig } from '../config/resolve.js';
import type { PixelConfig } from '../config/types.js';
import { decodeImage } from '../image/decode.js';
import { inSpace } from '../image/color.js';
import type { InputFile } from '../files/inputs.js';
import { charAccuracy, readText, truthFor } from './ocr.js';
import { referenceFrom, scoreBinary, type Scores } from '../metrics/index.js';
import { PixelError, withContext } from '../pipeline/errors.js';
import { unknownNamed } from '../pipeline/messages.js';
import { buildPipeline, DECODED_KIND, resolveSteps, type Pipeline, type ResolvedStep, type StepConfig } from '../pipeline/pipeline.js';
import type { BinaryTensor, ImageTensor, Plugin, TensorKind, ToneTensor } from '../pipeline/types.js';
import { pluginTable } from '../plugins/index.js';
import { resize, resizePlan } from '../plugins/resize/index.js';
import { resizeBox } from '../plugins/resize/kernels.js';
import { builtinPresets } from '../../presets/index.js';

export type EvalSpace = 'linear' | 'srgb';
export const EVAL_SPACES: readonly EvalSpace[] = ['linear', 'srgb'];

/** Which of QUALITY.md's two jobs: `grid` (pixel art, default long side 128) or `full` (halftone, e.g. 512). */
export interface EvalJob {
  kind: 'grid' | 'full';
  /** Long side of the binarized image in pixels. */
  longSide: number;
}

export const DEFAULT_GRID = 128;
export const DEFAULT_FULL = 512;

/** One column of the comparison: a label and the steps that make its binary image. */
export interface EvalColumn {
  /** Unique label: the method name, `preset:<name>` or `config:<file>`. */
  name: string;
  kind: 'method' | 'preset' | 'config';
  steps: readonly (StepConfig | ResolvedStep)[];
  /**
   * Left out (with onDrop) instead of stopping the run when its steps cannot
   * be built here, e.g. a model file that is missing. Set for the methods
   * `all` expands to.
   */
  optional?: boolean;
}

/**
 * The methods `pixel eval` runs when none are named: the fast classics, one of
 * each family, plus the fast newer methods when they are installed.
 */
export const DEFAULT_METHODS: readonly string[] = [
  'floyd-steinberg',
  'atkinson',
  'jarvis-judice-ninke',
  'ostromoukhov',
  'riemersma',
  'bayer-8',
  'blue-noise',
];

/** The default methods that exist in this build. */
export function defaultMethods(plugins: ReadonlyMap<string, Plugin> = pluginTable()): string[] {
  const known = new Set(methodNames(plugins));
  return DEFAULT_METHODS.filter((m) => known.has(m));
}

/** kebab-case → camelCase, so `edge-aware` and `edgeAware` both name the option. */
function camel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `true`, `false`, numbers, else the string itself. */
function optionValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return Number(raw);
  return raw;
}

/**
 * Columns for `--methods` entries (names as `convert --method`; `all` expands
 * to every method). An entry may set the binarizer's options after colons:
 * `floyd-steinberg:edge-aware`, `dbs:dbs-iterations=4:space=srgb` (a bare key
 * means true). Options are checked by the plugin's own parser here, so a
 * mistake is a usage error before any image is read.
 */
export function methodColumns(names: readonly string[], flag = '--methods', plugins: ReadonlyMap<string, Plugin> = pluginTable()): EvalColumn[] {
  const table = methodTable(plugins);
  const out: EvalColumn[] = [];
  const named = new Set(names);
  const expanded = names.flatMap((n) => (n === 'all' ? Object.keys(table) : [n]));
  for (const spec of expanded) {
    const [name, ...settings] = spec.split(':');
    const info = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!info) {
      throw new PixelError('E_USAGE', unknownNamed('method', name, `for ${flag}`, Object.keys(table)), {
        hint: `Methods: ${Object.keys(table).join(', ')} (or all)`,
      });
    }
    if (out.some((c) => c.name === spec)) continue;
    const step: StepConfig = { use: info.plugin, ...info.options };
    for (const setting of settings) {
      const eq = setting.indexOf('=');
      const key = camel(eq < 0 ? setting : setting.slice(0, eq));
      if (!key) throw new PixelError('E_USAGE', `Expected name:option=value in ${flag} but received "${spec}"`, { hint: 'e.g. floyd-steinberg:edge-aware or dbs:dbs-iterations=4' });
      step[key] = eq < 0 ? true : optionValue(setting.slice(eq + 1));
    }
    const plugin = plugins.get(info.plugin);
    if (settings.length > 0 && plugin) {
      try {
        plugin.parseOptions(step, name);
      } catch (error) {
        const e = error instanceof PixelError ? error : undefined;
        throw new PixelError('E_USAGE', `${flag} ${spec}: ${error instanceof Error ? error.message : String(error)}`, { hint: e?.hint ?? `See the ${info.plugin} options in pixel's README.` });
      }
    }
    out.push({ name: spec, kind: 'method', steps: [step], ...(named.has(spec) ? {} : { optional: true }) });
  }
  return out;
}

/** Columns for presets: built-in ones, or ones the given config declares. */
export function presetColumns(names: readonly string[], options: { config?: PixelConfig; plugins?: ReadonlyMap<string, Plugin> } = {}): EvalColumn[] {
  const config = options.config ?? {};
  const plugins = options.plugins ?? pluginTable();
  const table = new PresetTable(config.presets ?? {}, builtinPresets);
  const out: EvalColumn[] = [];
  for (const name of names) {
    if (!table.get(name)) {
      throw new PixelError('E_USAGE', unknownNamed('preset', name, 'for --preset', table.names()), {
        hint: `Presets: ${table.names().join(', ')}`,
      });
    }
    const label = `preset:${name}`;
    if (out.some((c) => c.name === label)) continue;
    // The config's override section applies to --preset runs in convert too.
    const resolved = resolveConfig({ presets: builtinPresets, config: { presets: config.presets, override: config.override }, preset: name, plugins });
    out.push({ name: label, kind: 'preset', steps: resolved.steps });
  }
  return out;
}

/** A column for a config's own pipeline (rules are not applied: they are per file). */
export function configColumn(config: PixelConfig, label: string, options: { source?: string; plugins?: ReadonlyMap<string, Plugin> } = {}): EvalColumn {
  const plugins = options.plugins ?? pluginTable();
  const resolved = resolveConfig({ presets: builtinPresets, config, source: options.source, plugins });
  return { name: `config:${label}`, kind: 'config', steps: resolved.steps };
}

/** Mean and sample standard deviation (n − 1; 0 for one value) over the images scored. */
export interface Stat {
  mean: number;
  sd: number;
}

export type ScoreStats = Record<keyof Scores, Stat>;

export interface ColumnScores {
  /** Size of the binary image scored. */
  width: number;
  height: number;
  linear?: Scores;
  srgb?: Scores;
  /** OCR character accuracy (with `ocr`, for images with a `.txt` sidecar). */
  ocr?: number;
  /** The binarizer step alone. */
  msBinarize: number;
  /** Decode + resize to the job + every step up to the binarizer. */
  msTotal: number;
}

export type ImageResult =
  | { file: string; skipped: false; width: number; height: number; results: Record<string, ColumnScores> }
  | { file: string; skipped: true; code: string; message: string; error: string };

export interface ColumnSummary {
  name: string;
  kind: EvalColumn['kind'];
  /** How many images were scored. */
  images: number;
  linear?: ScoreStats;
  srgb?: ScoreStats;
  /** OCR character accuracy over the images with known text (with `ocr`). */
  ocr?: Stat;
  msBinarize: Stat;
  msTotal: Stat;
}

/** A few images kept whole, for a contact sheet. */
export interface KeptImage {
  file: string;
  /** The job-sized reference, sRGB-coded gray (for display). */
  reference: ToneTensor;
  /** One binary image per column, in column order. */
  outputs: BinaryTensor[];
}

export interface EvalResult {
  job: EvalJob;
  spaces: EvalSpace[];
  columns: ColumnSummary[];
  /** One entry per input, in input order; skipped ones say why. */
  images: ImageResult[];
  skipped: number;
  /** Optional columns left out because their steps could not be built. */
  dropped: Array<{ name: string; message: string }>;
  kept: KeptImage[];
  /** Wall time of the whole evaluation. */
  ms: number;
}

export interface EvalOptions {
  columns: readonly EvalColumn[];
  job?: EvalJob;
  /** Which reference spaces to score (default both). */
  spaces?: readonly EvalSpace[];
  plugins?: ReadonlyMap<string, Plugin>;
  /** Keep the first N scored images whole (reference + outputs) for a sheet. Default 0. */
  keep?: number;
  /** Run every column once on the first image untimed, so JIT warm-up does not count. Default true. */
  warmup?: boolean;
  maxPixels?: number;
  /**
   * Read each output with this OCR command (tesseract) and score it against
   * the text in the image's `.txt` sidecar (ocr.ts); images without one get no OCR figure.
   */
  ocr?: string;
  signal?: AbortSignal;
  /** Called before each image: `index` counts from 1. */
  onProgress?: (index: number, total: number, file: string) => void;
  /** Called when an image is skipped (unreadable, or a step failed on it). */
  onSkip?: (file: string, error: PixelError) => void;
  /** Called when an optional column is left out. */
  onDrop?: (column: string, error: PixelError) => void;
}

/** A column ready to run: its built pipeline (the engine's) and where its binarizer is. */
interface Prepared {
  column: EvalColumn;
  pipeline: Pipeline;
  binarizer: number;
  /** Resize steps before the binarizer: the column sets its own grid. */
  resizes: ResolvedStep[];
}

/** Index of the first step whose output is binary (walking the declared kinds). */
function binarizerIndex(steps: readonly ResolvedStep[], input: TensorKind): number {
  let kind = input;
  for (let i = 0; i < steps.length; i++) {
    kind = steps[i].plugin.produces(kind, steps[i].options);
    if (kind.range === 'binary') return i;
  }
  return -1;
}

async function prepare(column: EvalColumn, plugins: ReadonlyMap<string, Plugin>, job: EvalJob): Promise<Prepared> {
  let all = resolveSteps(column.steps, plugins);
  // A method that works above the grid (pixel-art) gets the job's resize as its own step, so it sees the source at its working scale.
  if (column.kind === 'method' && (all[0]?.plugin.workingScale?.(all[0].options) ?? 1) > 1)
    all = resolveSteps([{ use: 'resize', longSide: job.longSide }, ...all], plugins);
  const input: TensorKind = column.kind === 'method' ? { channels: 1, range: 'unit', space: 'linear' } : DECODED_KIND;
  const b = binarizerIndex(all, input);
  if (b < 0)
    throw new PixelError('E_PIPELINE', `${column.name}: no step turns the image into 1 bit`, { hint: "Add a 'dither' or 'threshold' step." });
  // The real pipeline, run up to the binarizer (upscale and palette are never scored).
  const pipeline = await buildPipeline(all, plugins, input);
  return { column, pipeline, binarizer: b, resizes: all.slice(0, b + 1).filter((s) => s.plugin.name === 'resize') };
}

function copyTensor<T extends ImageTensor>(t: T): T {
  return { ...t, data: t.data.slice() } as T;
}

/** Runs a prepared column on `input` up to its binarizer; returns the binary image and the step timings. */
async function runColumn(p: Prepared, input: ImageTensor, file: string, signal?: AbortSignal): Promise<{ out: BinaryTensor; msBinarize: number; msSteps: number }> {
  let msBinarize = 0;
  let msSteps = 0;
  const current = await p.pipeline.run(input, {
    file,
    signal,
    until: p.binarizer,
    onStep: ({ index, ms }) => {
      msSteps += ms;
      if (index === p.binarizer) msBinarize = ms;
    },
  });
  if (current.range !== 'binary' || current.channels !== 1)
    throw new PixelError('E_PIPELINE', `${p.column.name} did not produce a 1-channel binary image`, { file });
  return { out: current as BinaryTensor, msBinarize, msSteps };
}

function stat(values: readonly number[]): Stat {
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

function scoreStats(list: readonly Scores[]): ScoreStats {
  return Object.fromEntries(SCORE_KEYS.map((k) => [k, stat(list.map((s) => s[k]))])) as ScoreStats;
}

/** Gray (1 channel) tensor in linear light. */
function grayTensor(width: number, height: number, data: Float32Array): ToneTensor {
  return { width, height, channels: 1, range: 'unit', space: 'linear', data };
}

/**
 * Evaluates every column on every file. Files that cannot be read, or on which
 * a step fails, are skipped (onSkip) and counted; the others are scored.
 * Configuration problems (E_CONFIG, E_PIPELINE, E_USAGE) and cancellation stop the run.
 */
export async function evaluateSet(files: readonly (string | InputFile)[], options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const job = options.job ?? { kind: 'grid', longSide: DEFAULT_GRID };
  if (!Number.isInteger(job.longSide) || job.longSide < 1)
    throw new PixelError('E_USAGE', `Expected a positive whole number for the job's long side but received ${job.longSide}`);
  const spaces = EVAL_SPACES.filter((s) => (options.spaces ?? EVAL_SPACES).includes(s));
  const plugins = options.plugins ?? pluginTable();
  const keep = options.keep ?? 0;
  if (options.columns.length === 0) throw new PixelError('E_USAGE', 'Nothing to evaluate: no methods, presets or configs given');
  const names = new Set<string>();
  for (const c of options.columns) {
    if (names.has(c.name)) throw new PixelError('E_USAGE', `Two columns are named "${c.name}"`, { hint: 'Name each method, preset or config once.' });
    names.add(c.name);
  }

  const prepared: Prepared[] = [];
  const dropped: EvalResult['dropped'] = [];
  const images: ImageResult[] = [];
  const kept: KeptImage[] = [];
  const collected: Array<{ linear: Scores[]; srgb: Scores[]; bin: number[]; total: number[]; ocr: number[] }> = [];
  let warm = options.warmup === false;
  try {
    for (const column of options.columns) {
      try {
        prepared.push(await prepare(column, plugins, job));
      } catch (error) {
        const e = withContext(error, {});
        if (!column.optional || e.code === 'E_CANCELLED') throw e;
        dropped.push({ name: column.name, message: e.message });
        options.onDrop?.(column.name, e);
      }
    }
    if (prepared.length === 0) throw new PixelError('E_USAGE', 'None of the methods could be prepared', { hint: dropped.map((d) => `${d.name}: ${d.message}`).join('; ') });
    for (const _ of prepared) collected.push({ linear: [], srgb: [], bin: [], total: [], ocr: [] });
    const entries = files.map((f) => (typeof f === 'string' ? { path: f, display: f } : { path: f.path, display: f.display }));
    for (const [index, entry] of entries.entries()) {
      const file = entry.display;
      options.onProgress?.(index + 1, entries.length, file);
      if (options.signal?.aborted) throw new PixelError('E_CANCELLED', 'Cancelled', { file });
      try {
        const t0 = performance.now();
        const tone = await decodeImage(entry.path, { file, limitInputPixels: options.maxPixels });
        const msDecode = performance.now() - t0;
        const truth = options.ocr ? await truthFor(entry.path) : undefined;

        // The job's gray: luminance in linear light, area-averaged to the long side.
        const t1 = performance.now();
        const plan = resizePlan(tone.width, tone.height, { longSide: job.longSide })!;
        const fullGray = referenceFrom(tone, 'linear');
        const Y = grayTensor(plan.width, plan.height, resizeBox(fullGray, tone.width, tone.height, 1, plan.width, plan.height));
        const msPrep = performance.now() - t1;
        let jobColor: { tensor: ToneTensor; ms: number } | undefined;
        const references = new Map<string, Record<EvalSpace, Float32Array | undefined>>();
        const referenceFor = async (p: Prepared): Promise<{ key: string; plane: ToneTensor }> => {
          if (p.resizes.length === 0) return { key: '', plane: Y };
          // The column's own resize steps, with the box kernel, on the full-size gray.
          let plane: ToneTensor = grayTensor(tone.width, tone.height, fullGray);
          for (const r of p.resizes) {
            const step = await resize.create({ ...(r.options as object), kernel: 'box', oversample: 1 } as never);
            plane = (await step.run(plane, { warn: () => {} })) as ToneTensor;
          }
          return { key: JSON.stringify(p.resizes.map((r) => r.options)), plane };
        };
        const spacesOf = (key: string, plane: ToneTensor) => {
          let refs = references.get(key);
          if (!refs) {
            refs = { linear: plane.data, srgb: spaces.includes('srgb') ? referenceFrom(plane, 'srgb') : undefined };
            references.set(key, refs);
          }
          return refs;
        };

        const results: Record<string, ColumnScores> = {};
        const outputs: BinaryTensor[] = [];
        for (const p of prepared) {
          let input: ImageTensor;
          let msInput = msDecode;
          if (p.resizes.length > 0) input = tone;
          else if (p.column.kind === 'method') {
            input = Y;
            msInput += msPrep;
          } else {
            if (!jobColor) {
              const t2 = performance.now();
              const lin = inSpace(tone, 'linear');
              const data = tone.channels === 1 ? Y.data : resizeBox(lin.data, tone.width, tone.height, tone.channels, plan.width, plan.height);
              // No transparency mask: scoring sees alpha flattened onto paper, as the reference does.
              const tensor: ToneTensor = { width: plan.width, height: plan.height, channels: lin.channels, range: 'unit', space: 'linear', data };
              jobColor = { tensor, ms: performance.now() - t2 };
            }
            input = jobColor.tensor;
            msInput += jobColor.ms;
          }
          if (!warm) await runColumn(p, copyTensor(input), file, options.signal);
          const { out, msBinarize, msSteps } = await runColumn(p, copyTensor(input), file, options.signal);
          let { key, plane } = await referenceFor(p);
          if (plane.width !== out.width || plane.height !== out.height) {
            // A step changed the size in a way the resize steps do not explain: area-average the whole source to it.
            key = `${out.width}x${out.height}`;
            plane = grayTensor(out.width, out.height, resizeBox(fullGray, tone.width, tone.height, 1, out.width, out.height));
          }
          const refs = spacesOf(key, plane);
          const scores: ColumnScores = { width: out.width, height: out.height, msBinarize, msTotal: msInput + msSteps };
          for (const s of spaces) scores[s] = scoreBinary(refs[s]!, out.data, out.width, out.height);
          if (truth !== undefined) scores.ocr = charAccuracy(truth, await readText(out, options.ocr));
          results[p.column.name] = scores;
          outputs.push(out);
        }
        warm = true;
        prepared.forEach((p, i) => {
          const r = results[p.column.name];
          if (r.linear) collected[i].linear.push(r.linear);
          if (r.srgb) collected[i].srgb.push(r.srgb);
          collected[i].bin.push(r.msBinarize);
          collected[i].total.push(r.msTotal);
          if (r.ocr !== undefined) collected[i].ocr.push(r.ocr);
        });
        images.push({ file, skipped: false, width: tone.width, height: tone.height, results });
        if (kept.length < keep) kept.push({ file, reference: inSpace(Y, 'srgb'), outputs });
      } catch (error) {
        const e = withContext(error, { file });
        if (e.code === 'E_CANCELLED' || e.code === 'E_CONFIG' || e.code === 'E_PIPELINE' || e.code === 'E_USAGE') throw e;
        images.push({ file, skipped: true, code: e.code, message: e.message, error: e.format() });
        options.onSkip?.(file, e);
      }
    }
  } finally {
    await Promise.all(prepared.map((p) => p.pipeline.dispose()));
  }

  const columns: ColumnSummary[] = prepared.map((p, i) => {
    const c = collected[i];
    const summary: ColumnSummary = { name: p.column.name, kind: p.column.kind, images: c.bin.length, msBinarize: stat(c.bin), msTotal: stat(c.total) };
    if (spaces.includes('linear')) summary.linear = scoreStats(c.linear);
    if (spaces.includes('srgb')) summary.srgb = scoreStats(c.srgb);
    if (c.ocr.length > 0) summary.ocr = stat(c.ocr);
    return summary;
  });
  return { job, spaces: [...spaces], columns, images, skipped: images.filter((i) => i.skipped).length, dropped, kept, ms: performance.now() - started };
}

