/**
 * The `pixel convert` policy: where each output goes, what is skipped
 * (an existing output pixel did not write, without --overwrite), what is
 * unchanged (the cache manifest), and the atomic writes of the output and its
 * companion files.
 */
import { existsSync } from 'node:fs';
import { readInput } from '../convert.js';
import { FORMATS } from '../image/encode/index.js';
import { writeFileAtomic } from '../files/atomic.js';
import { displayPath } from '../files/inputs.js';
import { outputPathFor, realPath, type OutputPlan } from '../files/outputs.js';
import { PixelError, withContext } from '../pipeline/errors.js';
import type { FileResult } from '../cli/reporters/types.js';
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

/** Output paths for every job, checked for collisions with sources and each other (in input order). */
export function planOutputs(jobs: readonly Job[], plan: OutputPlan, cwd: string): Array<{ output: string } | { error: PixelError }> {
  // Real paths, not strings: an output folder may be a symbolic link to an input folder.
  const inputs = new Set(jobs.map((j) => realPath(j.file.path)));
  const claimed = new Map<string, string>();
  return jobs.map(({ file, config }) => {
    try {
      const output = outputPathFor(file, plan, config.output, FORMATS[config.output.format].extension, config.presets.at(-1) ?? 'custom');
      const shown = displayPath(output, cwd);
      const real = realPath(output);
      if (inputs.has(real))
        throw new PixelError('E_OUTPUT', `Output ${shown} would overwrite a source image${real === output ? '' : ` (it is ${real} through a symbolic link)`}`, {
          file: file.display,
          hint: 'Choose another --out folder or output.name pattern.',
        });
      const other = claimed.get(real);
      if (other)
        throw new PixelError('E_OUTPUT', `Output ${shown} is also the output of ${other}`, { file: file.display, hint: "Two inputs share a name; use output.name '[dir]/[name]-[srcext].[ext]'." });
      claimed.set(real, file.display);
      return { output };
    } catch (error) {
      const e = withContext(error, { file: file.display });
      if (e.code !== 'E_OUTPUT') throw e;
      return { error: e };
    }
  });
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
      const bytes = await readInput(file.path);
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
