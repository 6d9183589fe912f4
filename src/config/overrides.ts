/**
 * `override`: options merged into the step that uses a plugin (or, under
 * `binarizer`, into the binarizing step), checked where the user wrote them;
 * a plugin the list lacks is inserted at its role's place.
 */
import { PixelError } from '../pipeline/errors.js';
import { unknownName } from '../pipeline/messages.js';
import { isPlainObject } from '../pipeline/options.js';
import { lookupPlugin, type StepConfig } from '../pipeline/pipeline.js';
import { isBinarizer, optionParser, PLUGIN_ROLES, type Plugin } from '../pipeline/types.js';

/** The override key that targets the pipeline's binarizer, whichever plugin it is. */
export const BINARIZER = 'binarizer';

/** Where a step goes when an override names a plugin the list lacks: its role's place (−1: no role, no place). */
function roleRank(plugin: Plugin | undefined): number {
  const role = plugin && (plugin.role ?? (isBinarizer(plugin) ? 'binarizer' : undefined));
  return role ? PLUGIN_ROLES.indexOf(role) : -1;
}

/**
 * Applies `override` to a step list: options are merged into the step using
 * that plugin (or, under `binarizer`, into the binarizing step). A binarizer override replaces the list's binarizer (switching
 * --method from dither to threshold). A built-in plugin missing from the list
 * is inserted at its role's place (PLUGIN_ROLES: resize first, palette last).
 */
export function applyOverrides(steps: StepConfig[], override: Record<string, Record<string, unknown>>, plugins: ReadonlyMap<string, Plugin>): StepConfig[] {
  const out = steps.map((s) => ({ ...s }));
  const nameOf = (s: StepConfig) => (typeof s.use === 'string' ? s.use : s.use.name);
  const binarizerAt = () =>
    out.findIndex((s) => {
      const p = typeof s.use === 'string' ? plugins.get(s.use) : s.use;
      return p !== undefined && isBinarizer(p);
    });
  for (const [name, opts] of Object.entries(override)) {
    if (name === BINARIZER) {
      // `binarizer`: options for whichever step binarizes (e.g. edgeAware for dither or threshold).
      const b = binarizerAt();
      if (b < 0) throw new PixelError('E_CONFIG', 'override.binarizer: the pipeline has no binarizing step', { hint: "Add a 'dither' or 'threshold' step." });
      out[b] = { ...out[b], ...opts };
      continue;
    }
    const plugin = lookupPlugin(name, plugins, `override.${name}`);
    const at = out.findIndex((s) => nameOf(s) === name);
    if (at >= 0) {
      out[at] = { ...out[at], ...opts };
      continue;
    }
    if (isBinarizer(plugin)) {
      const b = binarizerAt();
      if (b >= 0) {
        out[b] = { use: name, ...opts };
        continue;
      }
    }
    const rank = roleRank(plugin);
    if (rank < 0) {
      throw new PixelError('E_CONFIG', `override.${name}: no step uses "${name}"`, { hint: `Add { use: '${name}' } to steps instead.` });
    }
    let insertAt = out.length;
    for (let i = 0; i < out.length; i++) {
      const use = out[i].use;
      const r = roleRank(typeof use === 'string' ? plugins.get(use) : use);
      if (r > rank) {
        insertAt = i;
        break;
      }
    }
    out.splice(insertAt, 0, { use: name, ...opts });
  }
  return out;
}

/**
 * Checks each override option where the user wrote it (`override.dither.method`),
 * against the plugin's option table, and leaves the bad ones out, so the step
 * they would be merged into does not report them again under `steps[i]`.
 */
export function checkOverrides(override: Record<string, Record<string, unknown>>, steps: readonly StepConfig[], plugins: ReadonlyMap<string, Plugin>, problems: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, opts] of Object.entries(override)) {
    const use = name === BINARIZER ? steps.map((s) => (typeof s.use === 'string' ? plugins.get(s.use) : s.use)).find((p) => p !== undefined && isBinarizer(p)) : plugins.get(name);
    const table = use?.optionTable;
    if (!table || !isPlainObject(opts)) {
      out[name] = opts;
      continue;
    }
    out[name] = {};
    for (const [key, value] of Object.entries(opts)) {
      const path = `override.${name}`;
      if (!Object.hasOwn(table, key)) {
        problems.push(`[${use!.name}] ${unknownName('option', `${path}.`, key, Object.keys(table))}`);
        continue;
      }
      try {
        if (value !== undefined) optionParser(use, key)?.(value, `${path}.${key}`);
        out[name][key] = value;
      } catch (error) {
        if (!(error instanceof PixelError)) throw error;
        problems.push(`[${use!.name}] ${error.message}`);
      }
    }
  }
  return out;
}

