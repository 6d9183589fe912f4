/**
 * Planning a batch: every input gets its resolved config before anything is
 * converted (record first, run once). A job carries the *recipe* of its config
 * (preset, matching rule indexes, command-line layer) as plain data, so a
 * worker thread can resolve the same config again on its side of the wall:
 * resolved configs hold plugin objects, which cannot cross threads.
 */
import { relative, resolve } from 'node:path';
import { resolveConfig, type Layer, type ResolvedConfig } from '../config/resolve.js';
import type { PixelConfig } from '../config/types.js';
import { globBase, micromatch, toPosix } from '../files/glob.js';
import type { InputFile } from '../files/inputs.js';
import type { Plugin } from '../pipeline/types.js';
import { builtinPresets } from '../../presets/index.js';

/** What a file's config is made of, as cloneable data. */
export interface Recipe {
  preset?: string;
  /** Indexes into config.rules that match the file, in order. */
  rules: number[];
  /** Command-line flags as a layer (plain data). */
  cli?: Layer;
}

/** The loaded configuration a batch resolves against. */
export interface ConfigContext {
  config: PixelConfig;
  /** Config file as shown in messages. */
  source?: string;
  /** Absolute path of the config file, if any (workers re-load it from here). */
  filepath?: string;
  /** Folder rules and output.dir are relative to. */
  configDir: string;
  plugins: Map<string, Plugin>;
}

export interface Job {
  /** Position in the batch: results are reported in this order. */
  index: number;
  file: InputFile;
  config: ResolvedConfig;
  /** Jobs with the same key share a config and a built pipeline. */
  key: string;
  recipe: Recipe;
}

export function recipeKey(recipe: Recipe): string {
  return `${recipe.preset ?? ''}|${recipe.rules.join(',')}`;
}

export function resolveRecipe(ctx: Pick<ConfigContext, 'config' | 'source' | 'plugins'>, recipe: Recipe): ResolvedConfig {
  const { config } = ctx;
  return resolveConfig({
    presets: builtinPresets, config,
    source: ctx.source,
    preset: recipe.preset,
    ruleLayers: recipe.rules.map((index) => ({ ...config.rules![index], path: `rules[${index}]` })),
    cli: recipe.cli,
    plugins: ctx.plugins,
  });
}

export interface RuleMatch {
  /** Matching rule indexes, in order. */
  rules: number[];
  /** Folder of the first matching pattern's static part (mirrors the tree below it). */
  base?: string;
}

/**
 * Rules match input paths relative to the config file's folder, with
 * micromatch (fast-glob's own matcher, so a rule means what the same glob
 * means on the command line). Matching is on the path alone, never the disk:
 * `pixel staged` matches files that are only in the index, or deleted from it.
 */
export function ruleMatcher(config: PixelConfig, configDir: string): (abs: string) => RuleMatch {
  const rules = Array.isArray(config.rules) ? config.rules : [];
  const sets = rules.map((rule) => {
    const patterns = Array.isArray(rule.files) ? rule.files : rule.files === undefined ? [] : [rule.files];
    return patterns.map((pattern) => {
      const posix = toPosix(pattern).replace(/^(\.\/)+/, '');
      const absolute = posix.startsWith('/');
      return { base: resolve(configDir, globBase(pattern)), absolute, test: micromatch().matcher(posix, { dot: true }) };
    });
  });
  return (abs) => {
    const rel = toPosix(relative(configDir, abs));
    const match: RuleMatch = { rules: [] };
    sets.forEach((patterns, index) => {
      const hit = patterns.find((p) => p.test(p.absolute ? toPosix(abs) : rel));
      if (!hit) return;
      match.rules.push(index);
      match.base ??= hit.base;
    });
    return match;
  };
}

/** Resolves every file's config (one resolution per distinct recipe). */
export async function planJobs(files: readonly InputFile[], ctx: ConfigContext, options: { preset?: string; cli?: Layer }): Promise<Job[]> {
  const match = options.preset === undefined ? ruleMatcher(ctx.config, ctx.configDir) : () => ({ rules: [] as number[] });
  const resolved = new Map<string, ResolvedConfig>();
  return files.map((file, index) => {
    const recipe: Recipe = { preset: options.preset, rules: match(file.path).rules, cli: options.cli };
    const key = recipeKey(recipe);
    let config = resolved.get(key);
    if (!config) {
      config = resolveRecipe(ctx, recipe);
      resolved.set(key, config);
    }
    return { index, file, config, key, recipe };
  });
}

/** A path relative to `from`, with forward slashes (manifest keys, messages). */
export function posixRelative(from: string, to: string): string {
  return toPosix(relative(from, to));
}
