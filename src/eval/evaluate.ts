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
 * to and including the binarizer (upscale and palette are never scored); see
 * reference.ts for what each is given and scored against. Pipelines are built
 * and disposed by the engine (src/convert.ts).
 *
 * The library behind `pixel eval`, the README tables (scripts/eval-readme.ts)
 * and benchmarks. No printing here: progress and skipped files go to callbacks.
 * Parts: columns.ts (what is compared), reference.ts (inputs and references),
 * statistics.ts (mean and sd), format.ts (tables, JSON).
 */
import { Engine } from '../convert.js';
import { decodeImage } from '../image/decode.js';
import { inSpace } from '../image/color.js';
import type { InputFile } from '../files/inputs.js';
import { scoreBinary, type Scores } from '../metrics/index.js';
import { PixelError, withContext } from '../pipeline/errors.js';
import { DECODED_KIND, resolveSteps, type Pipeline, type ResolvedStep } from '../pipeline/pipeline.js';
import type { BinaryTensor, ImageTensor, Plugin, TensorKind, ToneTensor } from '../pipeline/types.js';
import { pluginTable } from '../plugins/index.js';
import type { EvalColumn } from './columns.js';
import { charAccuracy, readText, truthFor } from './ocr.js';
import { EVAL_SPACES, ImageReferences, referenceResize, type EvalJob, type EvalSpace, type ReferenceResize } from './reference.js';
import { scoreStats, stat, type ScoreStats, type Stat } from './statistics.js';

export const DEFAULT_GRID = 128;
export const DEFAULT_FULL = 512;

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
  /** Its resize steps before the binarizer, for its reference: the column sets its own grid. */
  resize?: ReferenceResize;
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

async function prepare(column: EvalColumn, engine: Engine, job: EvalJob): Promise<Prepared> {
  const { plugins } = engine;
  let all = resolveSteps(column.steps, plugins);
  // A method that works above the grid (pixel-art) gets the job's resize as its own step, so it sees the source at its working scale.
  if (column.kind === 'method' && (all[0]?.plugin.workingScale?.(all[0].options) ?? 1) > 1)
    all = resolveSteps([{ use: 'resize', longSide: job.longSide }, ...all], plugins);
  const input: TensorKind = column.kind === 'method' ? { channels: 1, range: 'unit', space: 'linear' } : DECODED_KIND;
  const b = binarizerIndex(all, input);
  if (b < 0)
    throw new PixelError('E_PIPELINE', `${column.name}: no step turns the image into 1 bit`, { hint: "Add a 'dither' or 'threshold' step." });
  // The real pipeline, run up to the binarizer (upscale and palette are never scored).
  const pipeline = await engine.steps(column.name, all, input);
  // The built-in resize steps, whose options the reference re-runs with the box kernel; any other size change is area-averaged (reference.ts).
  const resizes = all.slice(0, b + 1).filter((s) => s.plugin.name === 'resize');
  return { column, pipeline, binarizer: b, resize: resizes.length > 0 ? await referenceResize(resizes) : undefined };
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
  const engine = new Engine(options.plugins ?? pluginTable());
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
        prepared.push(await prepare(column, engine, job));
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

        const refs = new ImageReferences(tone, job, spaces);

        const results: Record<string, ColumnScores> = {};
        const outputs: BinaryTensor[] = [];
        for (const p of prepared) {
          let input: ImageTensor;
          let msInput = msDecode;
          if (p.resize) input = tone;
          else if (p.column.kind === 'method') {
            input = refs.gray;
            msInput += refs.msGray;
          } else {
            const color = refs.jobColor();
            input = color.tensor;
            msInput += color.ms;
          }
          if (!warm) await runColumn(p, copyTensor(input), file, options.signal);
          const { out, msBinarize, msSteps } = await runColumn(p, copyTensor(input), file, options.signal);
          const reference = await refs.forOutput(p.resize, out);
          const scores: ColumnScores = { width: out.width, height: out.height, msBinarize, msTotal: msInput + msSteps };
          for (const s of spaces) scores[s] = scoreBinary(reference[s]!, out.data, out.width, out.height);
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
        if (kept.length < keep) kept.push({ file, reference: inSpace(refs.gray, 'srgb'), outputs });
      } catch (error) {
        const e = withContext(error, { file });
        if (e.code === 'E_CANCELLED' || e.code === 'E_CONFIG' || e.code === 'E_PIPELINE' || e.code === 'E_USAGE') throw e;
        images.push({ file, skipped: true, code: e.code, message: e.message, error: e.format() });
        options.onSkip?.(file, e);
      }
    }
  } finally {
    await Promise.all(prepared.flatMap((p) => p.resize?.steps.map((s) => s.dispose?.()) ?? []));
    await engine.dispose();
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

