/**
 * Finds and loads the user's config with cosmiconfig (module name `pixel`:
 * pixel.config.ts/.mjs/.js/.cjs/.json, .pixelrc*, package.json#pixel), walking
 * up from the working directory to the project root (the nearest package.json).
 * TypeScript configs are compiled as cosmiconfig does, with the `typescript`
 * package (a runtime dependency for exactly this reason), and the compiled
 * JavaScript is cached in the project's node_modules/.cache/pixel: loading
 * `typescript` costs ~0.45 s, which every pre-commit run would pay again.
 */
import { assertShape } from './validate.js';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosmiconfig } from 'cosmiconfig';
import { writeFileAtomic } from '../files/atomic.js';
import { packageInfo } from '../files/package-root.js';
import { PixelError } from '../pipeline/errors.js';
import { describeValue } from '../pipeline/options.js';
import type { Plugin } from '../pipeline/types.js';
import type { PixelConfig } from './types.js';

export interface LoadedConfig {
  config: PixelConfig;
  /** Absolute path of the file, or undefined when none was found. */
  filepath?: string;
  /** User plugins from `plugins`, loaded. */
  plugins: Plugin[];
}

/** Where a config is looked for in each folder, first match wins. */
export const SEARCH_PLACES = [
  'package.json',
  'pixel.config.ts',
  'pixel.config.mjs',
  'pixel.config.js',
  'pixel.config.cjs',
  'pixel.config.json',
  '.pixelrc',
  '.pixelrc.json',
  '.pixelrc.yaml',
  '.pixelrc.yml',
  '.pixelrc.js',
  '.pixelrc.mjs',
  '.pixelrc.cjs',
  '.pixelrc.ts',
];

export async function loadConfig(options: { cwd?: string; configPath?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const explorer = cosmiconfig('pixel', { searchStrategy: 'project', cache: false, searchPlaces: SEARCH_PLACES, loaders: { '.ts': loadTsCached } });
  let result;
  try {
    result = options.configPath ? await explorer.load(resolve(cwd, options.configPath)) : await explorer.search(cwd);
  } catch (error) {
    const file = options.configPath ?? (error as { filepath?: string }).filepath;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new PixelError('E_CONFIG', `Config file not found: ${options.configPath}`, { hint: 'Check the --config path, or run `pixel init` to write one.' });
    throw new PixelError('E_CONFIG', `Could not load the config: ${(error as Error).message}`, {
      file,
      cause: error,
      hint: 'Fix the syntax error above; a pixel.config.ts must `export default defineConfig({ ... })`.',
    });
  }
  if (!result || result.isEmpty) return { config: {}, filepath: result?.filepath, plugins: [] };
  const config = (result.config?.default ?? result.config) as PixelConfig;
  const display = relative(cwd, result.filepath) || result.filepath;
  if (typeof config !== 'object' || config === null)
    throw new PixelError('E_CONFIG', `Expected the config to export an object but received ${describeValue(config)}`, { file: display, hint: 'export default defineConfig({ ... })' });
  assertShape(config, display, { typesOnly: true });
  const plugins = await loadPlugins(config.plugins ?? [], dirname(result.filepath), display);
  return { config, filepath: result.filepath, plugins };
}

/** The nearest `name` in `dir` or a folder above it, if any. */
function findUp(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, name))) return join(d, name);
    if (dirname(d) === d) return undefined;
  }
}

/** Compiles a TypeScript config exactly as cosmiconfig's own loader does. */
async function compileTs(filepath: string, content: string): Promise<string> {
  const ts = (await import('typescript')).default;
  const found = ts.findConfigFile(dirname(filepath), (f) => ts.sys.fileExists(f));
  let config: { compilerOptions?: Record<string, unknown> } = {};
  if (found) {
    const read = ts.readConfigFile(found, (f) => ts.sys.readFile(f));
    if (read.error) throw new Error(`Error in ${found}: ${String(read.error.messageText)}`);
    config = read.config;
  }
  const compilerOptions = { ...config.compilerOptions, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: false };
  return ts.transpileModule(content, { ...config, compilerOptions } as never).outputText;
}

/**
 * cosmiconfig's TypeScript loader with its output cached under a key of
 * everything that decides it (pixel and typescript versions, path, source,
 * tsconfig.json). The compiled module is imported from a temporary file next
 * to the config, as cosmiconfig does, so its relative imports resolve.
 */
async function loadTsCached(filepath: string, content: string): Promise<unknown> {
  const dir = dirname(filepath);
  const modules = findUp(dir, 'node_modules');
  // The nearest tsconfig.json sets compiler options, so it is part of the key.
  const tsconfig = findUp(dir, 'tsconfig.json');
  let tsVersion = '';
  try {
    tsVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('typescript/package.json'), 'utf8')).version;
  } catch {
    /* compileTs reports a missing typescript */
  }
  const key = createHash('sha256').update([packageInfo().version, tsVersion, filepath, content, tsconfig ? readFileSync(tsconfig, 'utf8') : ''].join('\0')).digest('hex').slice(0, 32);
  const cached = modules ? join(modules, '.cache', 'pixel', `config-${key}.mjs`) : undefined;
  let js = cached ? await readFile(cached, 'utf8').catch(() => undefined) : undefined;
  if (js === undefined) {
    try {
      js = await compileTs(filepath, content);
    } catch (error) {
      (error as Error).message = `TypeScript Error in ${filepath}:\n${(error as Error).message}`;
      throw error;
    }
    // A cache that cannot be written (read-only node_modules) only costs the next run the compile.
    if (cached) await writeFileAtomic(cached, Buffer.from(js), { overwrite: true }).catch(() => undefined);
  }
  const temp = `${filepath}.${randomUUID()}.mjs`;
  try {
    await writeFile(temp, js);
    return (await import(pathToFileURL(temp).href)).default;
  } finally {
    await rm(temp, { force: true });
  }
}

function isPlugin(value: unknown): value is Plugin {
  const p = value as Plugin;
  return typeof value === 'object' && value !== null && typeof p.name === 'string' && typeof p.parseOptions === 'function' && typeof p.create === 'function' && typeof p.produces === 'function' && typeof p.accepts === 'object';
}

/**
 * Plugins are plugin objects, or package names resolved from the config's
 * folder: 'pixel-plugin-<name>' or '<name>' (tried as 'pixel-plugin-<name>' first).
 * A package's default export is a plugin or an array of plugins.
 */
export async function loadPlugins(entries: readonly unknown[], fromDir: string, configFile = 'config'): Promise<Plugin[]> {
  if (!Array.isArray(entries)) return [];
  const out: Plugin[] = [];
  const require = createRequire(resolve(fromDir, 'noop.js'));
  for (const [i, entry] of entries.entries()) {
    if (isPlugin(entry)) {
      out.push(entry);
      continue;
    }
    if (typeof entry !== 'string')
      throw new PixelError('E_CONFIG', `Expected a plugin object or a package name for plugins[${i}] but received ${describeValue(entry)}`, {
        file: configFile,
        hint: 'A plugin has name, description, defaults, parseOptions, accepts, produces and create (see definePlugin).',
      });
    const candidates = entry.startsWith('pixel-plugin-') || entry.startsWith('.') || entry.startsWith('/') || entry.startsWith('@') ? [entry] : [`pixel-plugin-${entry}`, entry];
    let resolved: string | undefined;
    for (const c of candidates) {
      try {
        resolved = require.resolve(c.startsWith('.') ? resolve(fromDir, c) : c);
        break;
      } catch {
        /* try the next name */
      }
    }
    if (!resolved)
      throw new PixelError('E_CONFIG', `Plugin package "${entry}" not found (tried ${candidates.join(', ')})`, {
        file: configFile,
        hint: `Install it next to your config: npm install ${candidates[0]}`,
      });
    const mod = await import(pathToFileURL(resolved).href);
    const exported = mod.default ?? mod.plugin ?? mod;
    const list = Array.isArray(exported) ? exported : [exported];
    for (const p of list) {
      if (!isPlugin(p))
        throw new PixelError('E_CONFIG', `Package "${entry}" does not export a pixel plugin`, {
          file: configFile,
          hint: 'Its default export must be a plugin (definePlugin({...})) or an array of them.',
        });
      out.push(p);
    }
  }
  return out;
}
