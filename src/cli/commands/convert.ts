/** `pixel convert`: files, folders and globs through the configured pipeline. */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import fg from 'fast-glob';
import { loadConfig } from '../../config/load.js';
import { methodNames, methodTable } from '../../config/methods.js';
import { resolveConfig, type Layer, type ResolvedConfig } from '../../config/resolve.js';
import type { PixelConfig } from '../../config/types.js';
import { readInput, runOne } from '../../convert.js';
import { FORMATS, FORMAT_NAMES } from '../../image/encode/index.js';
import { writeFileAtomic } from '../../files/atomic.js';
import { displayPath, findInputs, type InputFile } from '../../files/inputs.js';
import { outputPathFor, type OutputPlan } from '../../files/outputs.js';
import { PixelError, withContext } from '../../pipeline/errors.js';
import { didYouMean } from '../../pipeline/options.js';
import { buildPipeline, type Pipeline } from '../../pipeline/pipeline.js';
import type { Plugin } from '../../pipeline/types.js';
import { pluginTable } from '../../plugins/index.js';
import { helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import { plainReporter } from '../reporters/plain.js';
import type { FileResult, IO, Reporter, Summary } from '../reporters/types.js';

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
  overwrite: { type: 'boolean', description: 'Replace existing outputs (default: skip them)' },
  'dry-run': { type: 'boolean', description: 'Show what would be written; write nothing' },
  'max-pixels': { type: 'string', value: 'n', description: 'Refuse images larger than this many pixels (default 268402689)' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export function convertHelp(): string {
  return helpText(
    'Usage: pixel convert <files|folders|globs...> [options]\n\nConverts images to 1-bit images through the pipeline of the config, a preset, or the flags.',
    CONVERT_OPTIONS,
    `Methods: ${methodNames().join(', ')}\n\nExamples:\n  pixel convert photo.jpg -o photo.png --preset playdate\n  pixel convert assets/ --out dist/1bit\n  pixel convert 'sprites/**/*.png' --out dist --width 64 --method floyd-steinberg --scale 4`,
  );
}

/** Turns shortcut flags into a config layer applied last. */
export function flagsToLayer(values: Record<string, unknown>, outFormat?: string): Layer {
  const override: Record<string, Record<string, unknown>> = {};
  const width = intFlag(values.width, 'width', 1, 65535);
  const height = intFlag(values.height, 'height', 1, 65535);
  if (width !== undefined || height !== undefined || values.fit !== undefined) {
    override.resize = {};
    if (width !== undefined) override.resize.width = width;
    if (height !== undefined) override.resize.height = height;
    if (width !== undefined || height !== undefined) override.resize.longSide = undefined;
    if (values.fit !== undefined) override.resize.fit = values.fit;
  }
  if (values.method !== undefined) {
    const table = methodTable();
    const method = String(values.method);
    const info = table[method];
    if (!info) {
      const guess = didYouMean(method, Object.keys(table));
      throw new PixelError('E_USAGE', `Unknown method "${method}" for --method${guess ? ` (did you mean "${guess}"?)` : ''}`, { hint: `Methods: ${Object.keys(table).join(', ')}` });
    }
    override[info.plugin] = { ...info.options };
  }
  const scale = intFlag(values.scale, 'scale', 1, 64);
  if (scale !== undefined) override.upscale = { scale, width: undefined, height: undefined };
  if (values.ink !== undefined || values.paper !== undefined || values.invert !== undefined) {
    override.palette = {};
    if (values.ink !== undefined) override.palette.ink = values.ink;
    if (values.paper !== undefined) override.palette.paper = values.paper;
    if (values.invert !== undefined) override.palette.invert = values.invert;
  }
  const output: Layer['output'] = {};
  const format = (values.format as string | undefined) ?? outFormat;
  if (format !== undefined) output.format = format;
  if (values.overwrite) output.overwrite = true;
  return { override, output };
}

interface Job {
  file: InputFile;
  config: ResolvedConfig;
  key: string;
}

/** Rules match input paths relative to the config file's folder, expanded once with fast-glob. */
async function ruleMatcher(config: PixelConfig, configDir: string): Promise<(abs: string) => Array<{ index: number }>> {
  const rules = Array.isArray(config.rules) ? config.rules : [];
  const sets = await Promise.all(
    rules.map(async (rule) => new Set((await fg(rule.files ?? [], { cwd: configDir, absolute: true, onlyFiles: true, dot: true })).map((p) => resolve(p)))),
  );
  return (abs) => sets.flatMap((set, index) => (set.has(abs) ? [{ index }] : []));
}

export async function convertCommand(argv: string[], io: IO, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, CONVERT_OPTIONS, 'convert');
  if (values.help) {
    io.stdout(convertHelp());
    return 0;
  }
  const started = performance.now();
  const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
  const configDir = loaded.filepath ? dirname(loaded.filepath) : cwd;
  const source = loaded.filepath ? displayPath(loaded.filepath, cwd) : undefined;
  const plugins = pluginTable(loaded.plugins);
  const maxPixels = intFlag(values['max-pixels'], 'max-pixels', 1, Number.MAX_SAFE_INTEGER);
  const config: PixelConfig = maxPixels !== undefined ? { ...loaded.config, maxPixels } : loaded.config;

  // Output: a file when one input and --out has an extension and is not a folder.
  const out = values.out !== undefined ? resolve(cwd, String(values.out)) : undefined;
  const outExt = out ? extname(out).slice(1).toLowerCase() : '';
  const outIsDir = out !== undefined && existsSync(out) && statSync(out).isDirectory();
  const outFormat = outExt && !outIsDir ? FORMAT_NAMES.find((f) => FORMATS[f].extension === outExt) : undefined;
  const cli = flagsToLayer(values, outFormat);

  const ignore = [out && !outExt ? out : undefined, config.output?.dir ? resolve(configDir, config.output.dir) : undefined].filter((d): d is string => d !== undefined);
  const { files, single } = await findInputs(positionals, cwd, ignore);
  const outIsFile = out !== undefined && single && !outIsDir && outExt !== '';
  if (out !== undefined && outExt !== '' && !outIsDir && !single)
    throw new PixelError('E_USAGE', `--out ${values.out} looks like a file, but there are several inputs`, { hint: 'Give a folder for several inputs: --out dist/1bit' });
  if (outIsFile && !outFormat && values.format === undefined)
    throw new PixelError('E_USAGE', `Unknown output extension ".${outExt}" in --out ${values.out}`, { hint: `Use one of: ${Object.values(FORMATS).map((f) => `.${f.extension}`).join(', ')}, or pass --format.` });
  const plan: OutputPlan = { out, outIsFile, configDir, single };

  // Record first: resolve every file's config before converting anything.
  const matchRules = await ruleMatcher(config, configDir);
  const cache = new Map<string, ResolvedConfig>();
  const jobs: Job[] = files.map((file) => {
    const matched = values.preset === undefined ? matchRules(file.path) : [];
    const key = matched.map((m) => m.index).join(',');
    let resolved = cache.get(key);
    if (!resolved) {
      resolved = resolveConfig({
        config,
        source,
        preset: values.preset as string | undefined,
        ruleLayers: matched.map(({ index }) => ({ ...config.rules![index], path: `rules[${index}]` })),
        cli,
        plugins,
      });
      cache.set(key, resolved);
    }
    return { file, config: resolved, key };
  });

  const reporter: Reporter = plainReporter(io);
  return runJobs(jobs, { plan, plugins, reporter, dryRun: values['dry-run'] === true, signal, started, cwd });
}

async function runJobs(
  jobs: Job[],
  opts: { plan: OutputPlan; plugins: Map<string, Plugin>; reporter: Reporter; dryRun: boolean; signal?: AbortSignal; started: number; cwd: string },
): Promise<number> {
  const { plan, plugins, reporter } = opts;
  const summary: Summary = { converted: 0, skipped: 0, failed: 0, planned: 0, ms: 0, failures: [] };
  const inputs = new Set(jobs.map((j) => j.file.path));
  const claimed = new Map<string, string>();
  const pipelines = new Map<string, Pipeline>();
  reporter.start(jobs.length);
  const report = (r: FileResult) => {
    if (r.status === 'failed') summary.failures.push(r);
    summary[r.status]++;
    reporter.file(r);
  };
  try {
    for (const job of jobs) {
      const { file, config } = job;
      const t0 = performance.now();
      let output: string | undefined;
      const warnings: string[] = [];
      try {
        const format = FORMATS[config.output.format];
        output = outputPathFor(file, plan, config.output, format.extension, config.presets.at(-1) ?? 'custom');
        const shownOut = displayPath(output, opts.cwd);
        if (inputs.has(output))
          throw new PixelError('E_OUTPUT', `Output ${shownOut} would overwrite a source image`, { file: file.display, hint: 'Choose another --out folder or output.name pattern.' });
        const other = claimed.get(output);
        if (other)
          throw new PixelError('E_OUTPUT', `Output ${shownOut} is also the output of ${other}`, { file: file.display, hint: "Two inputs share a name; use output.name '[dir]/[name]-[srcext].[ext]'." });
        claimed.set(output, file.display);
        if (opts.dryRun) {
          report({ input: file.display, output: shownOut, status: 'planned' });
          continue;
        }
        if (!config.output.overwrite && existsSync(output)) {
          report({ input: file.display, output: shownOut, status: 'skipped', reason: `${shownOut} exists (pass --overwrite to replace it)` });
          continue;
        }
        let pipeline = pipelines.get(job.key);
        if (!pipeline) {
          pipeline = await buildPipeline(config.steps, plugins);
          pipelines.set(job.key, pipeline);
        }
        const bytes = await readInput(file.path).catch((e) => Promise.reject(withContext(e, { file: file.display })));
        const result = await runOne(bytes, config, pipeline, { file: file.display, signal: opts.signal, warn: (m) => warnings.push(m) });
        await writeFileAtomic(output, result.data, { overwrite: config.output.overwrite });
        for (const extra of result.extras) await writeFileAtomic(output.replace(/\.[^./\\]+$/, '') + extra.suffix, extra.data, { overwrite: config.output.overwrite });
        report({ input: file.display, output: shownOut, status: 'converted', bytes: result.data.length, ms: performance.now() - t0, warnings });
      } catch (error) {
        const e = withContext(error, { file: file.display });
        if (e.code === 'E_CANCELLED') throw e;
        if (e.code === 'E_PIPELINE' || e.code === 'E_CONFIG' || e.code === 'E_USAGE') throw e;
        report({ input: file.display, output: output ? displayPath(output, opts.cwd) : undefined, status: 'failed', reason: e.format(), ms: performance.now() - t0 });
      }
    }
  } finally {
    await Promise.all([...pipelines.values()].map((p) => p.dispose()));
  }
  summary.ms = performance.now() - opts.started;
  reporter.done(summary);
  return summary.failed > 0 ? 1 : 0;
}
