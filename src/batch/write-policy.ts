/**
 * The `pixel convert` policy: where each output goes, what is skipped
 * (an existing output pixel did not write, without --overwrite), what is
 * unchanged (the cache manifest), and the atomic writes of the output and its
 * companion files.
 */
import { existsSync } from 'node:fs';
import { FORMATS } from '../image/encode/index.js';
import { writeFileAtomic } from '../files/atomic.js';
import { displayPath, readSource } from '../files/inputs.js';
import { outputPathFor, realPath, type OutputPlan } from '../files/outputs.js';
import { PixelError, withContext } from '../pipeline/errors.js';
import type { FileResult } from './report.js';
import { configHash, sha256, type CacheManifest } from './cache.js';
import type { Job } from './plan.js';
import type { BatchPolicy, Converted } from './run.js';

export interface WritePolicyOptions {
  plan: OutputPlan;
  cwd: string;
  dryRun?: boolean;
  /** The manifest for incremental runs (absent: no cache). */
  cache?: CacheManifest;
  /** Rebuild even when the manifest says the output is current. */
  force?: boolean;
}

interface State {
  output: string;
  shown: string;
  overwrite: boolean;
  inputHash: string;
  cfgHash: string;
}

/** The path a companion file is written to: the output's extension replaced by the suffix. */
export function extraPath(output: string, suffix: string): string {
  return output.replace(/\.[^./\\]+$/, '') + suffix;
}

export interface CollisionAdvice {
  /** Error code when several inputs share an output: E_USAGE for command-line inputs, E_CONFIG for rules. */
  code?: 'E_USAGE' | 'E_CONFIG';
  /** The config file, when the names come from its rules. */
  file?: string;
  hint?: string;
  /** Report only collisions that involve one of these inputs (default: all). */
  involving?: ReadonlySet<string>;
}

const COLLISION_HINT = 'Give each input its own output: convert their common parent folder (the folder names are kept below --out), or convert them in separate runs with different --out folders.';

/**
 * Output paths for every job, checked for sources (in input order: that file
 * fails, the batch goes on). Two inputs that would write one output are a
 * planning error: whichever came last would silently replace the other, so
 * nothing is converted and every such output is listed with its inputs.
 */
export function planOutputs(jobs: readonly Job[], plan: OutputPlan, cwd: string, advice: CollisionAdvice = {}): Array<{ output: string } | { error: PixelError }> {
  // Real paths, not strings: an output folder may be a symbolic link to an input folder.
  const folders = new Map<string, string>();
  const inputs = new Set(jobs.filter((j) => !j.file.error).map((j) => realPath(j.file.path, folders)));
  const claimed = new Map<string, { shown: string; inputs: string[] }>();
  const planned = jobs.map(({ file, config }): { output: string } | { error: PixelError } => {
    if (file.error) return { error: file.error };
    try {
      const output = outputPathFor(file, plan, config.output, FORMATS[config.output.format].extension, config.presets.at(-1) ?? 'custom');
      const shown = displayPath(output, cwd);
      const real = realPath(output, folders);
      if (inputs.has(real))
        throw new PixelError('E_OUTPUT', `Output ${shown} would overwrite a source image${real === output ? '' : ` (it is ${real} through a symbolic link)`}`, {
          file: file.display,
          hint: 'Choose another --out folder or output.name pattern.',
        });
      const claim = claimed.get(real) ?? { shown, inputs: [] };
      claim.inputs.push(file.display);
      claimed.set(real, claim);
      return { output };
    } catch (error) {
      const e = withContext(error, { file: file.display });
      if (e.code !== 'E_OUTPUT') throw e;
      return { error: e };
    }
  });
  const shared = [...claimed.values()].filter((c) => c.inputs.length > 1 && (!advice.involving || c.inputs.some((i) => advice.involving!.has(i))));
  if (shared.length > 0)
    throw new PixelError(
      advice.code ?? 'E_USAGE',
      `${shared.length === 1 ? 'One output' : `${shared.length} outputs`} would be written by several inputs, each replacing the last; nothing was converted`,
      { file: advice.file, problems: shared.map((c) => `${c.shown} <- ${c.inputs.join(', ')}`), hint: advice.hint ?? COLLISION_HINT },
    );
  return planned;
}

export function writePolicy(jobs: readonly Job[], opts: WritePolicyOptions): BatchPolicy {
  const outputs = planOutputs(jobs, opts.plan, opts.cwd);
  return {
    async decide(job) {
      const planned = outputs[job.index];
      const { file, config } = job;
      if ('error' in planned) return { done: { input: file.display, status: 'failed', reason: planned.error.format() } };
      const { output } = planned;
      const shown = displayPath(output, opts.cwd);
      if (opts.dryRun) return { done: { input: file.display, output: shown, status: 'planned' } };
      const owned = opts.cache?.owns(output) === true;
      if (!config.output.overwrite && !owned && existsSync(output))
        return { done: { input: file.display, output: shown, status: 'skipped', reason: `${shown} exists (pass --overwrite to replace it)` } };
      if (owned && !config.output.overwrite && (await opts.cache!.edited(output)))
        return { done: { input: file.display, output: shown, status: 'skipped', reason: `${shown} was edited since pixel wrote it (pass --overwrite to replace it)` } };
      const bytes = await readSource(file);
      const inputHash = opts.cache ? sha256(bytes) : '';
      const cfgHash = opts.cache ? configHash(config) : '';
      if (opts.cache && !opts.force && (await opts.cache.isCurrent(output, inputHash, cfgHash)))
        return { done: { input: file.display, output: shown, status: 'unchanged' } };
      const state: State = { output, shown, overwrite: config.output.overwrite || owned, inputHash, cfgHash };
      return { bytes, state };
    },

    async commit(job, raw, result: Converted, ms): Promise<FileResult> {
      const s = raw as State;
      const files = [{ path: s.output, data: result.data }, ...result.extras.map((x) => ({ path: extraPath(s.output, x.suffix), data: x.data }))];
      for (const f of files) await writeFileAtomic(f.path, f.data, { overwrite: s.overwrite });
      opts.cache?.record(s.output, s.inputHash, s.cfgHash, files);
      return { input: job.file.display, output: s.shown, status: 'converted', bytes: result.data.length, ms, warnings: result.warnings };
    },

    async finish() {
      await opts.cache?.save();
    },
  };
}
