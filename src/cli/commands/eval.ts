/**
 * `pixel eval`: compare methods, presets and configs on a set of images with
 * the figures of shared/design/QUALITY.md (tone PSNR σ1.5/σ1.0, SSIM, tone
 * bias; linear light and sRGB-coded), a table per method, optional JSON,
 * markdown and a contact sheet. The work is src/eval's evaluateSet.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { methodNames } from '../../config/methods.js';
import {
  configColumn,
  DEFAULT_FULL,
  DEFAULT_GRID,
  defaultMethods,
  evalSheet,
  evaluateSet,
  formatTables,
  markdownTables,
  presetColumns,
  toJson,
  type EvalColumn,
  type EvalJob,
  type EvalSpace,
} from '../../eval/index.js';
import { findTesseract } from '../../eval/ocr.js';
import { methodColumns } from './eval-methods.js';
import { writeFileAtomic } from '../../files/atomic.js';
import { displayPath, findInputs } from '../../files/inputs.js';
import { PixelError } from '../../pipeline/errors.js';
import { pluginTable } from '../../plugins/index.js';
import { helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import { invalidFlag } from '../../pipeline/messages.js';
import type { IO } from '../reporters/types.js';

/** IO plus whether stderr is a terminal (progress is then rewritten in place). */
export interface EvalIO extends IO {
  isTTY?: boolean;
}

export const EVAL_OPTIONS: OptionTable = {
  methods: { type: 'string', short: 'm', value: 'a,b,c', description: 'Methods to compare, as convert --method, or all; options after colons (atkinson:serpentine=false)' },
  preset: { type: 'string', short: 'p', value: 'a,b', description: 'Presets to compare: their binary output before upscale/palette' },
  config: { type: 'string', short: 'c', value: 'file', description: "A config file's pipeline to compare (its presets become usable with --preset)" },
  grid: { type: 'string', value: 'px', description: `Pixel-art job: long side of the grid (default ${DEFAULT_GRID})` },
  full: { type: 'string', value: 'px', description: `Halftone job: source at this long side, binarized at full resolution (e.g. ${DEFAULT_FULL})` },
  space: { type: 'string', value: 'name', description: 'Score columns to print: linear, srgb or both (default both: linear primary)' },
  json: { type: 'string', value: 'file', description: 'Write per-method and per-image numbers as JSON' },
  markdown: { type: 'string', value: 'file', description: 'Write the tables as markdown (README-ready)' },
  sheet: { type: 'string', value: 'file.png', description: 'Write a contact sheet: a row per source, a column per method' },
  'sheet-rows': { type: 'string', value: 'n', description: 'Sources on the sheet (default 6, the first ones scored)' },
  ocr: { type: 'boolean', description: 'Text legibility: tesseract reads each output; images with a .txt sidecar (their text) get OCR character accuracy' },
  'max-pixels': { type: 'string', value: 'n', description: 'Refuse images larger than this many pixels' },
  quiet: { type: 'boolean', short: 'q', description: 'No progress lines' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export const DEFAULT_SHEET_ROWS = 6;
/** Below this many images, progress is shown only on a terminal. */
const PROGRESS_MIN_FILES = 10;

export function evalHelp(): string {
  return helpText(
    'Usage: pixel eval <files|folders|globs...> [options]\n\n' +
      'Scores binarization methods, presets or configs on a set of images and prints, per method,\n' +
      'the mean ± sd of tone PSNR (Gaussian σ 1.5 and 1.0), SSIM and tone bias against the source\n' +
      'luminance area-averaged to the binary size, in linear light (primary) and sRGB-coded, and\n' +
      'ms per image. Higher PSNR and SSIM are better; bias near 0 keeps the overall tone.',
    EVAL_OPTIONS,
    `Methods: ${methodNames(pluginTable()).join(', ')}\nDefault methods: ${defaultMethods().join(', ')}\n\n` +
      'Examples:\n' +
      '  pixel eval photos/ --methods floyd-steinberg,atkinson,blue-noise\n' +
      '  pixel eval photos/ --full 512 --methods all --json eval.json\n' +
      '  pixel eval photos/ --methods floyd-steinberg,floyd-steinberg:edge-aware,dbs:dbs-iterations=4\n' +
      "  pixel eval 'shots/*.png' --preset pixel-art,sprite --sheet sheet.png\n" +
      '  pixel eval text-set/ --grid 256 --ocr --methods adaptive,floyd-steinberg,pixel-art\n\n' +
      'Exit code 1 when an image could not be scored (it is named and skipped; the rest are scored).',
  );
}

function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** --grid / --full → the job (QUALITY.md's two jobs). */
export function jobFromFlags(values: Record<string, unknown>): EvalJob {
  if (values.grid !== undefined && values.full !== undefined)
    throw new PixelError('E_USAGE', 'Use either --grid (pixel-art job) or --full (halftone job), not both', { hint: 'e.g. --grid 128 or --full 512' });
  const full = intFlag(values.full, 'full', 8, 16384);
  if (full !== undefined) return { kind: 'full', longSide: full };
  return { kind: 'grid', longSide: intFlag(values.grid, 'grid', 8, 4096) ?? DEFAULT_GRID };
}

function spacesFromFlag(value: unknown): EvalSpace[] {
  if (value === undefined || value === 'both') return ['linear', 'srgb'];
  if (value === 'linear' || value === 'srgb') return [value];
  throw invalidFlag('space', 'linear, srgb or both', value, 'e.g. --space linear');
}

export async function evalCommand(argv: string[], io: EvalIO, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, EVAL_OPTIONS, 'eval');
  if (values.help) {
    io.stdout(evalHelp());
    return 0;
  }
  const job = jobFromFlags(values);
  const spaces = spacesFromFlag(values.space);
  const sheetRowsWanted = intFlag(values['sheet-rows'], 'sheet-rows', 1, 100) ?? DEFAULT_SHEET_ROWS;
  const maxPixels = intFlag(values['max-pixels'], 'max-pixels', 1, Number.MAX_SAFE_INTEGER);
  if (positionals.length === 0)
    throw new PixelError('E_USAGE', 'No input given', { hint: 'pixel eval <files|folders|globs>, e.g. pixel eval photos/ --methods floyd-steinberg,atkinson' });

  // Columns in the order given: methods, then presets, then the config.
  const methods = list(values.methods);
  const presets = list(values.preset);
  if (values.methods !== undefined && methods.length === 0)
    throw new PixelError('E_USAGE', 'Expected a comma-separated list of methods for --methods but received nothing', { hint: `Methods: ${methodNames(pluginTable()).join(', ')}` });
  const columns: EvalColumn[] = methodColumns(methods);
  if (presets.length > 0 || values.config !== undefined) {
    const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
    const plugins = pluginTable(loaded.plugins);
    columns.push(...presetColumns(presets, { config: loaded.config, plugins }));
    if (values.config !== undefined) {
      const label = displayPath(loaded.filepath ?? resolve(cwd, String(values.config)), cwd);
      columns.push(configColumn(loaded.config, label, { source: label, plugins }));
    }
  }
  if (columns.length === 0) columns.push(...methodColumns(defaultMethods()));

  const found = await findInputs(positionals, cwd);
  for (const note of found.notes) io.stderr(`pixel: note: ${note}\n`);
  // Inputs that cannot be read at all are left out, said once each.
  for (const f of found.files) if (f.error) io.stderr(`pixel: skipped ${f.error.format().split('\n')[0]}\n`);
  const files = found.files.filter((f) => !f.error);
  const tty = io.isTTY ?? process.stderr.isTTY === true;
  const showProgress = values.quiet !== true && (tty || files.length >= PROGRESS_MIN_FILES);
  let progressShown = false;
  const clearProgress = () => {
    if (tty && progressShown) io.stderr('\r\x1b[K');
    progressShown = false;
  };

  let ocr: string | undefined;
  if (values.ocr === true) {
    ocr = findTesseract();
    if (!ocr) io.stderr('pixel: OCR skipped: the tesseract command was not found (Debian/Ubuntu: apt install tesseract-ocr); the other figures are scored\n');
  }

  const result = await evaluateSet(files, {
    ocr,
    columns,
    job,
    spaces,
    keep: values.sheet !== undefined ? sheetRowsWanted : 0,
    maxPixels,
    signal,
    onProgress: showProgress
      ? (k, n, file) => {
          if (tty) {
            io.stderr(`\r\x1b[K[${k}/${n}] ${file}`);
            progressShown = true;
          } else io.stderr(`[${k}/${n}] ${file}\n`);
        }
      : undefined,
    onDrop: (name, error) => {
      clearProgress();
      io.stderr(`pixel: ${name} is left out: ${error.format()}\n`);
    },
    onSkip: (_file, error) => {
      clearProgress();
      io.stderr(`pixel: ${error.format()}\n  (skipped: this image is left out of the averages)\n`);
    },
  }).finally(clearProgress);

  io.stdout(formatTables(result, spaces));
  const written: string[] = [];
  if (values.json !== undefined) {
    const path = resolve(cwd, String(values.json));
    await writeFileAtomic(path, Buffer.from(`${JSON.stringify(toJson(result), null, 2)}\n`), { overwrite: true });
    written.push(displayPath(path, cwd));
  }
  if (values.markdown !== undefined) {
    const path = resolve(cwd, String(values.markdown));
    await writeFileAtomic(path, Buffer.from(markdownTables(result, spaces)), { overwrite: true });
    written.push(displayPath(path, cwd));
  }
  if (values.sheet !== undefined) {
    const path = resolve(cwd, String(values.sheet));
    if (result.kept.length === 0) io.stderr('pixel: no image could be scored, so no contact sheet was written\n');
    else {
      await writeFileAtomic(path, await evalSheet(result), { overwrite: true });
      written.push(displayPath(path, cwd));
    }
  }
  if (written.length > 0) io.stdout(`\nWrote ${written.join(', ')}\n`);
  return result.skipped > 0 ? 1 : 0;
}
