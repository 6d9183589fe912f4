/**
 * `pixel convert`: files, folders and globs through the configured pipeline,
 * in parallel (worker threads), incrementally (cache manifest), with a live
 * view on a terminal and plain or JSON lines elsewhere; `--watch` reconverts
 * on change. The batch machinery lives in src/batch/.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { methodNames, methodTable } from '../../config/methods.js';
import type { Layer } from '../../config/resolve.js';
import type { PixelConfig } from '../../config/types.js';
import { FORMATS, FORMAT_NAMES, LAYOUTS, MASK_MODES } from '../../image/encode/index.js';
import type { ConfigContext, Job } from '../../batch/plan.js';
import type { WorkerInit } from '../../batch/protocol.js';
import { displayPath, findInputs } from '../../files/inputs.js';
import type { OutputPlan } from '../../files/outputs.js';
import { packageInfo } from '../../files/package-root.js';
import { PixelError } from '../../pipeline/errors.js';
import { EXIT, exitCodeOf } from '../exit-codes.js';
import { invalidFlag, unknownFlagValue } from '../../pipeline/messages.js';
import { pluginTable } from '../../plugins/index.js';
import { optionParser, type Plugin } from '../../pipeline/types.js';
import { builtinPresets } from '../../../presets/index.js';
import { choiceFlag, helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import { chooseReporter, parseReporter, REPORTERS } from '../reporters/choose.js';
import type { IO } from '../reporters/types.js';

export const CONVERT_OPTIONS: OptionTable = {
  out: { type: 'string', short: 'o', value: 'path', description: 'Output file (one input) or folder (the input tree is mirrored below it)' },
  preset: { type: 'string', short: 'p', value: 'name', description: 'Use a preset (see `pixel presets`); replaces the config\'s own steps' },
  config: { type: 'string', short: 'c', value: 'file', description: 'Config file (default: pixel.config.* found from the current folder up)' },
  format: { type: 'string', short: 'f', value: 'name', description: `Output format: ${Object.keys(FORMATS).join(', ')} (default png, or the -o extension)` },
  width: { type: 'string', short: 'w', value: 'px', description: 'Grid width (sets the resize step)' },
  height: { type: 'string', value: 'px', description: 'Grid height (sets the resize step)' },
  fit: { type: 'string', value: 'mode', description: 'cover | contain | fill | inside, when both width and height are set' },
  method: { type: 'string', short: 'm', value: 'name', description: 'Binarization: threshold, otsu, adaptive, or a dither method (list below)' },
  scale: { type: 'string', short: 's', value: 'n', description: 'Nearest-neighbour upscale factor after binarizing (1-64)' },
  ink: { type: 'string', value: 'hex', description: 'Ink colour for PNG output, e.g. "#312f28"' },
  paper: { type: 'string', value: 'hex', description: 'Paper colour for PNG output (and for transparent areas)' },
  invert: { type: 'boolean', description: 'Swap ink and paper pixels' },
  'threshold-level': { type: 'string', value: '0-255', description: 'Plain threshold at this brightness (image2cpp\'s "brightness threshold"; implies --method threshold)' },
  grid: { type: 'string', value: 'auto|px', description: 'Fake pixel art: detect the cell size (auto, or give it) and phase, one pixel per cell (the grid step; replaces resizing)' },
  rotate: { type: 'string', value: 'deg', description: 'Rotate the result clockwise: 0 | 90 | 180 | 270 (the orient step)' },
  flip: { type: 'string', value: 'axis', description: 'Mirror the result: none | horizontal | vertical | both (after --rotate)' },
  'edge-aware': { type: 'boolean', description: 'Keep thin lines and outlines continuous (error diffusion and threshold methods)' },
  model: { type: 'string', value: 'file.png', description: 'U-Net model file (implies --method unet unless --method is given)' },
  background: { type: 'string', value: 'hex', description: 'Letterbox colour when --fit contain leaves a border' },
  layout: { type: 'string', value: 'name', description: 'Byte layout for c/bin output: horizontal-msb | horizontal-lsb | vertical' },
  mask: { type: 'string', value: 'mode', description: 'Transparency: none | palette | file | array (see README)' },
  sheet: { type: 'boolean', description: 'Animated input: png writes the frames side by side in one row; pdt adds the SDK sheet <name>-table-<w>-<h>.png' },
  overwrite: { type: 'boolean', description: 'Replace existing outputs (default: skip them)' },
  'dry-run': { type: 'boolean', description: 'Show what would be written; write nothing' },
  'max-pixels': { type: 'string', value: 'n', description: 'Refuse images larger than this many pixels (default 268402689)' },
  jobs: { type: 'string', short: 'j', value: 'n', description: 'Threads converting in parallel: this one (two files in flight) plus n−1 workers, started when the work pays for them (default: cores − 1)' },
  force: { type: 'boolean', description: 'Rebuild every output, even those the cache says are up to date' },
  reporter: { type: 'string', short: 'r', value: 'name', description: `${REPORTERS.join(' | ')}: live view on a terminal, plain lines in CI/hooks/pipes (default auto)` },
  watch: { type: 'boolean', description: 'Keep running and reconvert inputs (and the config) when they change' },
  debounce: { type: 'string', value: 'ms', description: 'With --watch: wait this long after the last change (default 200)' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export function convertHelp(): string {
  return helpText(
    'Usage: pixel convert <files|folders|globs...> [options]\n\nConverts images to 1-bit images through the pipeline of the config, a preset, or the flags.',
    CONVERT_OPTIONS,
    `Methods: ${methodNames(pluginTable()).join(', ')}\n\nExamples:\n  pixel convert photo.jpg -o photo.png --preset playdate\n  pixel convert assets/ --out dist/1bit\n  pixel convert 'sprites/**/*.png' --out dist --width 64 --method floyd-steinberg --scale 4
  pixel convert assets/ --out dist/1bit --jobs 2 --reporter json
  pixel convert assets/ --out dist/1bit --watch

Unchanged files (same input bytes, same resolved config, same pixel version,
output still as written) are skipped: see .pixel-cache/manifest.json (kept by
runs into an output folder, not by one file to a named file).`,
  );
}

/**
 * A flag's value checked by the plugin option it sets, so a bad one is a
 * usage error naming the flag (exit 64), not a config error about a key the
 * user never wrote.
 */
function checkFlagValue(plugins: ReadonlyMap<string, Plugin>, plugin: string, key: string, flag: string, value: unknown): unknown {
  try {
    optionParser(plugins.get(plugin), key)?.(value, `--${flag}`);
  } catch (error) {
    if (error instanceof PixelError) throw new PixelError('E_USAGE', error.message, { hint: error.hint });
    throw error;
  }
  return value;
}

/** Turns shortcut flags into a config layer applied last. */
export function flagsToLayer(values: Record<string, unknown>, outFormat?: string, plugins: ReadonlyMap<string, Plugin> = pluginTable()): Layer {
  const override: Record<string, Record<string, unknown>> = {};
  const flag = (plugin: string, key: string, name: string) => checkFlagValue(plugins, plugin, key, name, values[name]);
  const width = intFlag(values.width, 'width', 1, 65535);
  const height = intFlag(values.height, 'height', 1, 65535);
  if (width !== undefined || height !== undefined || values.fit !== undefined) {
    override.resize = {};
    if (width !== undefined) override.resize.width = width;
    if (height !== undefined) override.resize.height = height;
    if (width !== undefined || height !== undefined) override.resize.longSide = undefined;
    if (values.fit !== undefined) override.resize.fit = flag('resize', 'fit', 'fit');
  }
  if (values.method !== undefined) {
    const table = methodTable(plugins);
    const method = String(values.method);
    const info = table[method];
    if (!info) throw unknownFlagValue('method', method, Object.keys(table), 'Methods');
    override[info.plugin] = { ...info.options };
  }
  if (values.background !== undefined) override.resize = { ...override.resize, background: flag('resize', 'background', 'background') };
  if (values.model !== undefined) {
    if (values.method !== undefined && values.method !== 'unet') throw new PixelError('E_USAGE', `--model is for --method unet, not ${values.method}`, { hint: 'Drop --method, or use --method unet.' });
    override.unet = { ...override.unet, model: values.model };
  }
  const level = intFlag(values['threshold-level'], 'threshold-level', 0, 255);
  if (level !== undefined) {
    if (values.method !== undefined && values.method !== 'threshold')
      throw new PixelError('E_USAGE', `--threshold-level is a plain threshold, not ${values.method}`, { hint: 'Drop --method, or use --method threshold.' });
    override.threshold = { ...override.threshold, mode: 'fixed', value: level / 255 };
  }
  if (values.grid !== undefined) {
    const size = values.grid === 'auto' ? 'auto' : Number(values.grid);
    if (size !== 'auto' && !(Number.isFinite(size) && size >= 2))
      throw invalidFlag('grid', '"auto" or a cell size >= 2', values.grid, 'e.g. --grid auto, or --grid 8 for 8-px cells');
    override.grid = { size };
    // The grid decides the size: a preset's resize step keeps the image as the grid leaves it.
    if (width === undefined && height === undefined) override.resize = { ...override.resize, width: undefined, height: undefined, longSide: undefined };
  }
  if (values.rotate !== undefined || values.flip !== undefined) {
    override.orient = {};
    if (values.rotate !== undefined) {
      const deg = intFlag(values.rotate, 'rotate', 0, 270);
      if (deg! % 90 !== 0) throw invalidFlag('rotate', '0, 90, 180 or 270', values.rotate, 'e.g. --rotate 90 (clockwise)');
      override.orient.rotate = deg;
    }
    if (values.flip !== undefined) override.orient.flip = flag('orient', 'flip', 'flip');
  }
  if (values['edge-aware']) override.binarizer = { edgeAware: true };
  const scale = intFlag(values.scale, 'scale', 1, 64);
  if (scale !== undefined) override.upscale = { scale, width: undefined, height: undefined };
  if (values.ink !== undefined || values.paper !== undefined || values.invert !== undefined) {
    override.palette = {};
    if (values.ink !== undefined) override.palette.ink = flag('palette', 'ink', 'ink');
    if (values.paper !== undefined) override.palette.paper = flag('palette', 'paper', 'paper');
    if (values.invert !== undefined) override.palette.invert = values.invert;
  }
  const output: Layer['output'] = {};
  if (values.format !== undefined && !(FORMAT_NAMES as readonly string[]).includes(String(values.format))) throw unknownFlagValue('format', String(values.format), FORMAT_NAMES, 'Formats');
  const format = (values.format as string | undefined) ?? outFormat;
  if (format !== undefined) output.format = format;
  if (values.overwrite) output.overwrite = true;
  if (values.layout !== undefined) output.layout = choiceFlag(values.layout, 'layout', LAYOUTS);
  if (values.mask !== undefined) output.mask = choiceFlag(values.mask, 'mask', MASK_MODES);
  if (values.sheet) output.sheet = true;
  return { override, output };
}


/** The worker-thread view of a loaded config: cloned when it is plain data, else re-loaded by path. */
export function workerInitFor(ctx: ConfigContext, cwd: string, maxPixels?: number): WorkerInit {
  let config: PixelConfig | undefined;
  try {
    config = structuredClone(ctx.config);
  } catch {
    config = undefined; // functions (plugin objects) inside: the worker loads the file itself
  }
  return { cwd, config, configPath: ctx.filepath, configDir: ctx.configDir, source: ctx.source, maxPixels };
}

/**
 * --jobs, default one less than the cores: the main thread's decodes (libvips)
 * and deflates (libuv) already keep another core busy, so on 2 cores a worker
 * thread only competes with them (measured fastest, see the README's Benchmarks).
 */
export function jobsFlag(value: unknown): number {
  return intFlag(value, 'jobs', 1, 1024) ?? Math.max(1, availableParallelism() - 1);
}

/**
 * One file written to a named file or beside its source (`pixel convert
 * photo.jpg -o out.png`): such a run keeps no cache manifest, which would
 * leave a .pixel-cache folder in the working directory. Runs into an output
 * folder (--out dir, output.dir) keep it.
 */
export function isOneOff(jobs: readonly Job[], plan: OutputPlan): boolean {
  return plan.single && (plan.outIsFile || (plan.out === undefined && jobs.every((j) => j.config.output.dir === undefined)));
}

export async function convertCommand(argv: string[], io: IO, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, CONVERT_OPTIONS, 'convert');
  if (values.help) {
    io.stdout(convertHelp());
    return 0;
  }
  const reporterName = parseReporter(values.reporter);
  const jobs = jobsFlag(values.jobs);
  const maxPixels = intFlag(values['max-pixels'], 'max-pixels', 1, Number.MAX_SAFE_INTEGER);
  const debounce = intFlag(values.debounce, 'debounce', 0, 60_000) ?? 200;
  if (values.debounce !== undefined && !values.watch) throw new PixelError('E_USAGE', '--debounce only applies with --watch', { hint: 'pixel convert assets --out dist --watch --debounce 100' });

  // Output: a file when one input and --out has an extension and is not a folder.
  const out = values.out !== undefined ? resolve(cwd, String(values.out)) : undefined;
  const outExt = out ? extname(out).slice(1).toLowerCase() : '';

  /** One run: load and resolve everything, then convert. Watch mode calls it again on change. */
  const once = async (runSignal?: AbortSignal) => {
    const started = performance.now();
    const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
    const configDir = loaded.filepath ? dirname(loaded.filepath) : cwd;
    const source = loaded.filepath ? displayPath(loaded.filepath, cwd) : undefined;
    const config: PixelConfig = maxPixels !== undefined ? { ...loaded.config, maxPixels } : loaded.config;
    const ctx: ConfigContext = { config, source, filepath: loaded.filepath, configDir, plugins: pluginTable(loaded.plugins) };

    const outIsDir = out !== undefined && existsSync(out) && statSync(out).isDirectory();
    const outFormat = outExt && !outIsDir ? FORMAT_NAMES.find((f) => FORMATS[f].extension === outExt) : undefined;
    // A --model file is named from where pixel runs; a config's model paths from the config's folder.
    if (typeof values.model === 'string' && existsSync(resolve(cwd, values.model))) values.model = resolve(cwd, values.model);
    const cli = flagsToLayer(values, outFormat, ctx.plugins);
    const ignore = [out && !outExt ? out : undefined, config.output?.dir ? resolve(configDir, config.output.dir) : undefined].filter((d): d is string => d !== undefined);
    const { files, single, notes } = await findInputs(positionals, cwd, ignore);
    for (const note of notes) io.stderr(`pixel: note: ${note}\n`);
    const outIsFile = out !== undefined && single && !outIsDir && outExt !== '';
    if (out !== undefined && outExt !== '' && !outIsDir && !single)
      throw new PixelError('E_USAGE', `--out ${values.out} looks like a file, but there are several inputs`, { hint: 'Give a folder for several inputs: --out dist/1bit' });
    if (outIsFile && !outFormat && values.format === undefined)
      throw new PixelError('E_USAGE', `Unknown output extension ".${outExt}" in --out ${values.out}`, { hint: `Use one of: ${Object.values(FORMATS).map((f) => `.${f.extension}`).join(', ')}, or pass --format.` });
    const plan: OutputPlan = { out, outIsFile, configDir, single };

    if (values.preset !== undefined) {
      const presets = [...Object.keys(builtinPresets), ...Object.keys(isRecord(config.presets) ? config.presets : {})];
      if (!presets.includes(String(values.preset))) throw unknownFlagValue('preset', String(values.preset), presets, 'Presets (`pixel presets` describes them)');
    }
    // Record first: every file's config is resolved before anything is converted.
    const { planJobs } = await import('../../batch/plan.js');
    const planned = await planJobs(files, ctx, { preset: values.preset as string | undefined, cli });
    // Loaded here, not at the top: `pixel staged` with nothing to do must not pay for sharp.
    const [{ runBatch }, { writePolicy }, { CacheManifest, CACHE_DIR }] = await Promise.all([import('../../batch/run.js'), import('../../batch/write-policy.js'), import('../../batch/cache.js')]);
    const dryRun = values['dry-run'] === true;
    const cache = dryRun || isOneOff(planned, plan)
      ? undefined
      : await CacheManifest.load(CacheManifest.pathFor(configDir), packageInfo().version, (m) => io.stderr(`pixel: warning: ${m}\n`));
    const policy = writePolicy(planned, { plan, cwd, dryRun, cache, force: values.force === true });
    const reporter = await chooseReporter(reporterName, io);
    const { summary } = await runBatch(planned, { ctx, reporter, policy, jobs, signal: runSignal, started, workerInit: workerInitFor(ctx, cwd, maxPixels) });
    return { code: exitCodeOf(summary), configFile: loaded.filepath, ignore: [...ignore, resolve(configDir, CACHE_DIR)] };
  };

  if (!values.watch) return (await once(signal)).code;
  const { watchInputs } = await import('../../batch/watch.js');
  const run = async (s: AbortSignal) => {
    const r = await once(s);
    return { ...r, failed: r.code !== EXIT.ok && r.code !== EXIT.cancelled };
  };
  return (await watchInputs({ inputs: positionals, cwd, debounceMs: debounce, signal, io, run })) ? EXIT.failed : EXIT.ok;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
