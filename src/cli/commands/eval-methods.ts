/**
 * `--methods` entries to eval columns: names as `convert --method` (`all`
 * expands to every method), each optionally setting the binarizer's options
 * after colons: `floyd-steinberg:edge-aware`, `dbs:dbs-iterations=4:space=srgb`
 * (a bare key means true). Options are checked by the plugin's own parser
 * here, so a mistake is a usage error before any image is read.
 */
import { methodTable } from '../../config/methods.js';
import type { EvalColumn } from '../../eval/columns.js';
import { PixelError } from '../../pipeline/errors.js';
import { unknownNamed } from '../../pipeline/messages.js';
import type { StepConfig } from '../../pipeline/pipeline.js';
import type { Plugin } from '../../pipeline/types.js';
import { pluginTable } from '../../plugins/index.js';

/** kebab-case → camelCase, so `edge-aware` and `edgeAware` both name the option. */
function camel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `true`, `false`, numbers, else the string itself. */
function optionValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return Number(raw);
  return raw;
}

/** Columns for `--methods` entries; the methods `all` adds are optional (left out when they cannot be built). */
export function methodColumns(names: readonly string[], flag = '--methods', plugins: ReadonlyMap<string, Plugin> = pluginTable()): EvalColumn[] {
  const table = methodTable(plugins);
  const out: EvalColumn[] = [];
  const named = new Set(names);
  const expanded = names.flatMap((n) => (n === 'all' ? Object.keys(table) : [n]));
  for (const spec of expanded) {
    const [name, ...settings] = spec.split(':');
    const info = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!info) {
      throw new PixelError('E_USAGE', unknownNamed('method', name, `for ${flag}`, Object.keys(table)), {
        hint: `Methods: ${Object.keys(table).join(', ')} (or all)`,
      });
    }
    if (out.some((c) => c.name === spec)) continue;
    const step: StepConfig = { use: info.plugin, ...info.options };
    for (const setting of settings) {
      const eq = setting.indexOf('=');
      const key = camel(eq < 0 ? setting : setting.slice(0, eq));
      if (!key) throw new PixelError('E_USAGE', `Expected name:option=value in ${flag} but received "${spec}"`, { hint: 'e.g. floyd-steinberg:edge-aware or dbs:dbs-iterations=4' });
      step[key] = eq < 0 ? true : optionValue(setting.slice(eq + 1));
    }
    const plugin = plugins.get(info.plugin);
    if (settings.length > 0 && plugin) {
      try {
        plugin.parseOptions(step, name);
      } catch (error) {
        const e = error instanceof PixelError ? error : undefined;
        throw new PixelError('E_USAGE', `${flag} ${spec}: ${error instanceof Error ? error.message : String(error)}`, { hint: e?.hint ?? `See the ${info.plugin} options in pixel's README.` });
      }
    }
    out.push({ name: spec, kind: 'method', steps: [step], ...(named.has(spec) ? {} : { optional: true }) });
  }
  return out;
}
