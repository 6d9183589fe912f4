/**
 * `--method <name>`: one flag naming the binarization, whichever plugin does it.
 * Binarizers declare the names they answer to (Plugin.methods); each name maps
 * to an override of that plugin's step.
 */
import type { Plugin } from '../pipeline/types.js';

export interface MethodInfo {
  plugin: string;
  options: Record<string, unknown>;
}

/** The method names of the plugins handed in (built-ins first, as src/plugins/index.ts lists them). */
export function methodTable(plugins: ReadonlyMap<string, Plugin>): Record<string, MethodInfo> {
  const table: Record<string, MethodInfo> = {};
  for (const p of plugins.values()) for (const [name, options] of Object.entries(p.methods ?? {})) table[name] ??= { plugin: p.name, options: { ...options } };
  return table;
}

export function methodNames(plugins: ReadonlyMap<string, Plugin>): string[] {
  return Object.keys(methodTable(plugins));
}
