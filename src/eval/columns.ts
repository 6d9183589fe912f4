/**
 * The columns of an evaluation: which binary images are compared. A column is
 * a label and the steps that make its binary image, built from a method name
 * (with options), a preset, or a config's own pipeline. Method columns, with
 * the command line's `name:option=value` syntax, are made by the CLI
 * (cli/commands/eval-methods.ts).
 */
import { methodNames } from '../config/methods.js';
import { PresetTable, resolveConfig } from '../config/resolve.js';
import type { PixelConfig } from '../config/types.js';
import { PixelError } from '../pipeline/errors.js';
import { unknownNamed } from '../pipeline/messages.js';
import type { ResolvedStep, StepConfig } from '../pipeline/pipeline.js';
import type { Plugin } from '../pipeline/types.js';
import { pluginTable } from '../plugins/index.js';
import { builtinPresets } from '../../presets/index.js';

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
