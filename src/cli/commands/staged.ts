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
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { hasExtension, KNOWN_IMAGE_EXTENSIONS } from '../../files/extensions.js';
import { FILE_MODES, gitRoot, indexEntries, stagedChanges, type IndexEntry } from '../../files/git.js';
import { toPosix } from '../../files/glob.js';
import { PixelError } from '../../pipeline/errors.js';
import { exitCodeOf } from '../exit-codes.js';
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

const isImage = (path: string): boolean => hasExtension(path, KNOWN_IMAGE_EXTENSIONS);

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
  const changes = values.all ? undefined : await stagedChanges(root);
  const what = values.all ? 'tracked' : 'staged';
  if (changes && changes.paths.length === 0 && changes.deleted.length === 0) {
    io.stdout('pixel: nothing staged\n');
    return 0;
  }
  const index = await indexEntries(root, changes?.paths.filter((p) => isImage(p)));
  // No symlinks, no submodules: only regular files are content we can convert.
  let entries = [...index.values()].filter((e) => isImage(e.path) && FILE_MODES.has(e.mode));
  // Deletions are not narrowed by file arguments: lint-staged never passes a deleted file, and
  // the output of a source this commit deletes is an orphan whatever else is converted.
  const deleted = (changes?.deleted ?? []).filter((p) => isImage(p));
  if (positionals.length > 0) {
    const wanted = new Set(positionals.map((p) => toPosix(relative(root, resolve(cwd, p)))));
    entries = entries.filter((e) => wanted.has(e.path));
  }
  if (entries.length === 0 && deleted.length === 0) {
    io.stdout(`pixel: no ${what} images\n`);
    return 0;
  }

  // Something to look at: now load the config and the converter.
  const [{ loadConfig }, { pluginTable }, plan, { displayPath, undecodableContent }] = await Promise.all([
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
  const match = plan.ruleMatcher(config, configDir);
  /** The input a repository path is, when the rules select it. */
  const source = (path: string) => {
    const abs = join(root, path);
    if (outDirs.some((d) => inside(abs, d))) return undefined;
    const m = match(abs);
    return m.rules.length === 0 ? undefined : { path: abs, relative: relative(m.base ?? configDir, abs), display: displayPath(abs, cwd) };
  };
  const blobs = new Map<string, IndexEntry>();
  const files = [];
  for (const e of entries) {
    const file = source(e.path);
    if (!file) continue;
    files.push(file);
    blobs.set(file.path, e);
  }
  const gone = deleted.flatMap((p) => source(p) ?? []);
  if (files.length === 0 && gone.length === 0) {
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

  const [{ runBatch }, { planOutputs, extraPath }, { readBlobs, blobOid, gitAdd, gitRemoveCached }, { writeFileAtomic }, { jobsFlag, workerInitFor }, { readFile, unlink }] = await Promise.all([
    import('../../batch/run.js'),
    import('../../batch/write-policy.js'),
    import('../../files/git.js'),
    import('../../files/atomic.js'),
    import('./convert.js'),
    import('node:fs/promises'),
  ]);
  const repoPath = (abs: string) => toPosix(relative(root, abs));
  const outsideRepo = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith('..') || isAbsolute(r);
  };
  const outputPlan = { configDir, single: false, outIsFile: false };

  // Every tracked source's output, so that a staged source whose output is
  // another (committed) source's is refused before anything is written, and
  // an output no source produces any more is known as an orphan.
  const all = values.all ? index : await indexEntries(root);
  const tracked = [...all.values()].filter((e) => isImage(e.path) && FILE_MODES.has(e.mode)).flatMap((e) => source(e.path) ?? []);
  const trackedJobs = (await plan.planJobs(tracked, ctx, {})).filter((j) => j.config.output.dir !== undefined);
  const collisionAdvice = {
    code: 'E_CONFIG' as const,
    file: ctx.source,
    involving: values.all ? undefined : new Set(files.map((f) => f.display)),
    hint: "Give the rules different output folders (rules[i].output.dir) or names (rules[i].output.name, e.g. '[dir]/[name]-[srcext].[ext]'), or rename one of the sources.",
  };
  const produced = new Set(planOutputs(trackedJobs, outputPlan, cwd, collisionAdvice).flatMap((o) => ('output' in o ? [repoPath(o.output)] : [])));
  const outputs = planOutputs(jobs, outputPlan, cwd, collisionAdvice);
  /** An output's companion (a mask file, X.mask.png beside X.png) belongs to the output. */
  const ownedBySource = (path: string) => produced.has(path) || produced.has(path.replace(/\.mask(\.[^./]+)$/, '$1'));

  // Orphans: tracked outputs whose source this commit deletes (with --all:
  // every tracked file in an output folder that no source produces).
  const orphans = new Map<string, string>(); // repository path → why
  if (values.all) {
    const extensions = new Set(Object.values((await import('../../image/encode/index.js')).FORMATS).map((f) => `.${f.extension}`));
    for (const e of all.values()) {
      const abs = join(root, e.path);
      if (outDirs.some((d) => inside(abs, d)) && extensions.has(extname(e.path).toLowerCase()) && !ownedBySource(e.path)) orphans.set(e.path, 'no tracked source produces it any more');
    }
  } else if (gone.length > 0) {
    const goneJobs = await plan.planJobs(gone, ctx, {});
    const goneOutputs = planOutputs(goneJobs, outputPlan, cwd, { code: 'E_CONFIG' });
    goneJobs.forEach((job, i) => {
      const o = goneOutputs[i];
      if (job.config.output.dir === undefined || !('output' in o)) return;
      const out = repoPath(o.output);
      const companion = extname(out) ? out.replace(/(\.[^./]+)$/, '.mask$1') : undefined;
      for (const p of [out, companion]) if (p && all.has(p) && !ownedBySource(p)) orphans.set(p, `its source ${job.file.display} is deleted in this commit`);
    });
  }
  const orphanJobs = await plan.planJobs(
    [...orphans.keys()].map((p) => ({ path: join(root, p), relative: p, display: displayPath(join(root, p), cwd) })),
    { ...ctx, config: { ...config, rules: [] } },
    {},
  );
  const orphanAt = new Map(orphanJobs.map((j, i) => [jobs.length + i, [...orphans.values()][i]]));
  const batch = [...jobs, ...orphanJobs.map((j, i) => ({ ...j, index: jobs.length + i }))];

  const contents = await readBlobs(root, [...blobs.values()].map((e) => e.oid));
  // What the index holds for every output (and companion) path.
  const staged = await indexEntries(
    root,
    outputs.flatMap((o) => ('output' in o && !outsideRepo(o.output) ? [repoPath(o.output)] : [])),
  );
  const sha = [...all.values()][0]?.oid.length === 64 ? 'sha256' : 'sha1';
  const toAdd: string[] = [];
  const toRemove: string[] = [];

  const reporter = await chooseReporter(reporterName, io);
  const { summary } = await runBatch(batch, {
    ctx,
    reporter,
    jobs: jobsFlag(values.jobs),
    signal,
    workerInit: workerInitFor(ctx, cwd),
    policy: {
      async decide(job) {
        const why = orphanAt.get(job.index);
        if (why !== undefined) {
          const path = repoPath(job.file.path);
          if (check) return { done: { input: job.file.display, status: 'stale', reason: `orphan: ${why} (pixel staged removes it, or git rm it)` } };
          // Removed only when it holds what the index holds: a hand edit is never deleted.
          let bytes: Buffer | undefined;
          try {
            bytes = await readFile(job.file.path);
          } catch {
            bytes = undefined; // already gone from the working tree
          }
          if (bytes && blobOid(bytes, sha) !== all.get(path)!.oid)
            return { done: { input: job.file.display, status: 'skipped', reason: `orphan (${why}) with changes that are not staged: kept; git rm it yourself` } };
          if (bytes) await unlink(job.file.path);
          toRemove.push(path);
          return { done: { input: job.file.display, status: 'removed', reason: `${why}; removed, and the removal staged` } };
        }
        const o = outputs[job.index];
        if ('error' in o) return { done: { input: job.file.display, status: 'failed', reason: o.error.format() } };
        if (outsideRepo(o.output))
          return { done: { input: job.file.display, status: 'failed', reason: `${job.file.display}: output ${o.output} is outside the repository, so it cannot be staged` } };
        const bytes = contents.get(blobs.get(job.file.path)!.oid)!;
        const unreadable = undecodableContent(job.file.path, job.file.display, bytes);
        if (unreadable) return { done: { input: job.file.display, status: 'failed', reason: unreadable.format() } };
        return { bytes, state: o.output };
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
        await gitRemoveCached(root, toRemove);
      },
    },
  });
  return exitCodeOf(summary);
}
