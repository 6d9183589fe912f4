/**
 * `pixel staged`: the pre-commit asset step. Converts the images staged for
 * the next commit that the config's `rules` select, from their *staged*
 * content (not the working tree), writes the outputs and `git add`s them.
 * `--check` writes nothing and exits 2 when an output is stale or missing from
 * the index (CI: add --all to check every tracked image). `PIXEL=0` skips.
 *
 * Nothing staged or nothing matching is the common case of a commit: it
 * answers with one info line from git's output alone, before loading the
 * config, sharp or the plugins (those are imported lazily below).
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FILE_MODES, gitRoot, indexEntries, stagedPaths, type IndexEntry } from '../../files/git.js';
import { PixelError } from '../../pipeline/errors.js';
import { helpText, parseCommandLine, type OptionTable } from '../args.js';
import { chooseReporter, parseReporter, REPORTERS } from '../reporters/choose.js';
import type { FileResult, IO } from '../reporters/types.js';

export const STAGED_OPTIONS: OptionTable = {
  check: { type: 'boolean', description: 'Write nothing; exit 2 listing outputs that are stale or missing from the index' },
  all: { type: 'boolean', description: 'Every tracked image, not only the staged ones (for CI: pixel staged --check --all)' },
  config: { type: 'string', short: 'c', value: 'file', description: 'Config file (default: pixel.config.* found from the current folder up)' },
  jobs: { type: 'string', short: 'j', value: 'n', description: 'Threads converting in parallel (default: cores − 1; see convert --help)' },
  reporter: { type: 'string', short: 'r', value: 'name', description: `${REPORTERS.join(' | ')} (default auto: plain inside git hooks)` },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export function stagedHelp(): string {
  return helpText(
    `Usage: pixel staged [files...] [options]

Converts the staged images that the config's rules select, from their staged
content, writes the outputs (rules' presets, output.dir) and stages them.
File arguments (as lint-staged passes them) narrow the staged set.
PIXEL=0 skips the step.`,
    STAGED_OPTIONS,
    `Hooks:
  husky        .husky/pre-commit:  npx pixel staged
  lint-staged  "*.{png,jpg,jpeg,webp}": "pixel staged"
  pre-commit   repo: local (or this package), hook id: pixel
  CI           pixel staged --check --all`,
  );
}

const IMAGE_EXT = /\.(png|jpe?g|webp|avif|tiff?|gif|svg|heic|heif|jxl)$/i;

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export async function stagedCommand(argv: string[], io: IO, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, STAGED_OPTIONS, 'staged');
  if (values.help) {
    io.stdout(stagedHelp());
    return 0;
  }
  const env = io.env ?? process.env;
  if (env.PIXEL === '0') {
    io.stdout('pixel: PIXEL=0, skipping pixel staged\n');
    return 0;
  }
  const reporterName = parseReporter(values.reporter);
  const check = values.check === true;
  const root = await gitRoot(cwd);
  const paths = values.all ? undefined : await stagedPaths(root);
  const what = values.all ? 'tracked' : 'staged';
  if (paths && paths.length === 0) {
    io.stdout('pixel: nothing staged\n');
    return 0;
  }
  let entries = [...(await indexEntries(root, paths?.filter((p) => IMAGE_EXT.test(p)))).values()].filter((e) => IMAGE_EXT.test(e.path));
  // No symlinks, no submodules: only regular files are content we can convert.
  entries = entries.filter((e) => FILE_MODES.has(e.mode));
  if (positionals.length > 0) {
    const wanted = new Set(positionals.map((p) => toPosix(relative(root, resolve(cwd, p)))));
    entries = entries.filter((e) => wanted.has(e.path));
  }
  if (entries.length === 0) {
    io.stdout(`pixel: no ${what} images\n`);
    return 0;
  }

  // Something to look at: now load the config and the converter.
  const [{ loadConfig }, { pluginTable }, plan, { displayPath }] = await Promise.all([
    import('../../config/load.js'),
    import('../../plugins/index.js'),
    import('../../batch/plan.js'),
    import('../../files/inputs.js'),
  ]);
  const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
  const configDir = loaded.filepath ? dirname(loaded.filepath) : cwd;
  const config = loaded.config;
  const rules = Array.isArray(config.rules) ? config.rules : [];
  if (rules.length === 0) {
    io.stderr(`pixel: ${loaded.filepath ? displayPath(loaded.filepath, cwd) : 'no config found'}: no rules, so pixel staged converts nothing\n  hint: add rules: [{ files: 'assets/**/*.png', preset: 'sprite' }] and output: { dir: 'dist/1bit' }\n`);
    return 0;
  }
  const ctx = { config, source: loaded.filepath ? displayPath(loaded.filepath, cwd) : undefined, filepath: loaded.filepath, configDir, plugins: pluginTable(loaded.plugins) };

  // Outputs are never inputs: skip anything inside an output folder.
  const outDirs = [config.output?.dir, ...rules.map((r) => r.output?.dir)].filter((d): d is string => typeof d === 'string').map((d) => resolve(configDir, d));
  const inside = (p: string, d: string) => p === d || p.startsWith(d + sep);
  const match = await plan.ruleMatcher(config, configDir);
  const blobs = new Map<string, IndexEntry>();
  const files = [];
  for (const e of entries) {
    const abs = join(root, e.path);
    if (outDirs.some((d) => inside(abs, d))) continue;
    const m = match(abs);
    if (m.rules.length === 0) continue;
    files.push({ path: abs, relative: relative(m.base ?? configDir, abs), display: displayPath(abs, cwd) });
    blobs.set(abs, e);
  }
  if (files.length === 0) {
    io.stdout(`pixel: no ${what} image matches the config's rules\n`);
    return 0;
  }

  const jobs = await plan.planJobs(files, ctx, {});
  for (const job of jobs)
    if (job.config.output.dir === undefined)
      throw new PixelError('E_CONFIG', `pixel staged needs an output folder for ${job.file.display}`, {
        file: ctx.source,
        hint: "Set output: { dir: 'dist/1bit' } at the top level or in the matching rule.",
      });

  const [{ runBatch }, { planOutputs, extraPath }, { readBlobs, blobOid, gitAdd }, { writeFileAtomic }, { jobsFlag, workerInitFor }] = await Promise.all([
    import('../../batch/run.js'),
    import('../../batch/write-policy.js'),
    import('../../files/git.js'),
    import('../../files/atomic.js'),
    import('./convert.js'),
  ]);
  const outputs = planOutputs(jobs, { configDir, single: false, outIsFile: false }, cwd);
  const contents = await readBlobs(root, [...blobs.values()].map((e) => e.oid));
  const repoPath = (abs: string) => toPosix(relative(root, abs));
  const outsideRepo = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith('..') || isAbsolute(r);
  };
  // What the index holds for every output (and companion) path.
  const staged = await indexEntries(
    root,
    outputs.flatMap((o) => ('output' in o && !outsideRepo(o.output) ? [repoPath(o.output)] : [])),
  );
  const sha = [...blobs.values()][0].oid.length === 64 ? 'sha256' : 'sha1';
  const toAdd: string[] = [];

  const reporter = await chooseReporter(reporterName, io);
  const { code } = await runBatch(jobs, {
    ctx,
    reporter,
    jobs: jobsFlag(values.jobs),
    signal,
    workerInit: workerInitFor(ctx, cwd),
    policy: {
      async decide(job) {
        const o = outputs[job.index];
        if ('error' in o) return { done: { input: job.file.display, status: 'failed', reason: o.error.format() } };
        if (outsideRepo(o.output))
          return { done: { input: job.file.display, status: 'failed', reason: `${job.file.display}: output ${o.output} is outside the repository, so it cannot be staged` } };
        return { bytes: contents.get(blobs.get(job.file.path)!.oid)!, state: o.output };
      },
      async commit(job, state, result, ms): Promise<FileResult> {
        const output = state as string;
        const shown = displayPath(output, cwd);
        const files = [{ path: output, data: result.data }, ...result.extras.map((x) => ({ path: extraPath(output, x.suffix), data: x.data }))];
        const differ = files.filter((f) => staged.get(repoPath(f.path))?.oid !== blobOid(f.data, sha));
        const base = { input: job.file.display, output: shown, ms, warnings: result.warnings };
        if (differ.length === 0) return { ...base, status: 'unchanged' };
        if (check) {
          const missing = differ.filter((f) => !staged.has(repoPath(f.path)));
          const reason = missing.length > 0 ? `not staged: ${missing.map((f) => displayPath(f.path, cwd)).join(', ')}` : 'differs from the staged output';
          return { ...base, status: 'stale', reason, bytes: result.data.length };
        }
        for (const f of differ) await writeFileAtomic(f.path, f.data, { overwrite: true });
        toAdd.push(...differ.map((f) => repoPath(f.path)));
        return { ...base, status: 'converted', bytes: result.data.length };
      },
      async finish() {
        // Even after a cancel: what was written is whole, and is staged with its input.
        await gitAdd(root, toAdd);
      },
    },
  });
  return code;
}
