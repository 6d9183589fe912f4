/**
 * Finds and loads the user's config with cosmiconfig (module name `pixel`:
 * pixel.config.ts/.mjs/.js/.cjs/.json, .pixelrc*, package.json#pixel), walking
 * up from the working directory to the project root (the nearest package.json).
 * TypeScript configs (and JavaScript ones that import pixel) are compiled
 * with the `typescript` package (a runtime dependency for exactly this
 * reason; see compile.ts: syntax errors stop the run, and the import of pixel
 * is the running pixel), and the compiled JavaScript is cached in the
 * project's node_modules/.cache/pixel: loading `typescript` costs ~0.45 s,
 * which every pre-commit run would pay again.
 */
import { assertShape } from './validate.js';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileConfig, findSyntaxErrors, IMPORTS_PIXEL, runningPixelEntry, syntaxError } from './compile.js';
import { writeFileAtomic } from '../files/atomic.js';
import { packageInfo } from '../files/package-root.js';
import { PixelError } from '../pipeline/errors.js';
import { expected } from '../pipeline/messages.js';
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

/**
 * Whether cosmiconfig's search from `cwd` can find anything: one of
 * SEARCH_PLACES in a folder from `cwd` up to the project root (the first
 * folder with a package.json or package.yaml, where searchStrategy 'project'
 * stops), package.json only when it has a `pixel` key (or does not parse:
 * cosmiconfig reports that). Without one, cosmiconfig and its parsers are
 * not loaded at all: ~20 ms of a one-image convert's start.
 */
function mayHaveConfig(cwd: string): boolean {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (SEARCH_PLACES.some((place) => place !== 'package.json' && existsSync(join(dir, place)))) return true;
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return Object.hasOwn(JSON.parse(readFileSync(pkg, 'utf8')) ?? {}, 'pixel');
      } catch {
        return true;
      }
    }
    if (existsSync(join(dir, 'package.yaml')) || dirname(dir) === dir) return false;
  }
}

export async function loadConfig(options: { cwd?: string; configPath?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  if (!options.configPath && !mayHaveConfig(cwd)) return { config: {}, plugins: [] };
  const { cosmiconfig } = await import('cosmiconfig');
  const loaders = {
    '.ts': (filepath: string, content: string) => loadCompiled(filepath, content, cwd),
    '.mjs': (filepath: string, content: string) => loadJs(filepath, content, cwd),
    '.js': (filepath: string, content: string) => loadJs(filepath, content, cwd),
  };
  const explorer = cosmiconfig('pixel', { searchStrategy: 'project', cache: false, searchPlaces: SEARCH_PLACES, loaders });
  let result;
  try {
    result = options.configPath ? await explorer.load(resolve(cwd, options.configPath)) : await explorer.search(cwd);
  } catch (error) {
    if (error instanceof PixelError) throw error;
    const file = options.configPath ?? (error as { filepath?: string }).filepath;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.configPath)
      throw new PixelError('E_CONFIG', `Config file not found: ${options.configPath}`, { hint: 'Check the --config path, or run `pixel init` to write one.' });
    throw loadError(error as Error, file && (relative(cwd, file) || file));
  }
  if (!result || result.isEmpty) return { config: {}, filepath: result?.filepath, plugins: [] };
  const config = (result.config?.default ?? result.config) as PixelConfig;
  const display = relative(cwd, result.filepath) || result.filepath;
  if (typeof config !== 'object' || config === null)
    throw new PixelError('E_CONFIG', expected('an object', 'the config\'s default export', config), { file: display, hint: 'export default defineConfig({ ... })' });
  assertShape(config, display, { typesOnly: true });
  const plugins = await loadPlugins(config.plugins ?? [], dirname(result.filepath), display);
  return { config, filepath: result.filepath, plugins };
}

/** A config that failed to load, with a hint for what actually went wrong. */
function loadError(error: Error, file: string | undefined): PixelError {
  // The compiled module runs from a temporary file beside the config: name the config instead.
  const message = error.message.replace(/(pixel\.config\.[a-z]+|\.pixelrc\.[a-z]+)\.[0-9a-f-]{36}\.mjs/g, '$1');
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && missing) {
    const local = missing.startsWith('.') || missing.startsWith('/') || missing.startsWith('file:');
    return new PixelError('E_CONFIG', `The config imports ${local ? 'a file' : 'a package'} that cannot be found: ${missing}`, {
      file,
      cause: error,
      hint: local ? 'Check the path in the import (it is relative to the config file).' : `Install it in this project (npm install --save-dev ${packageName(missing)}) or remove the import.`,
    });
  }
  const syntax = error.name === 'SyntaxError' || error.name === 'JSONError' || error.name === 'YAMLException' || message.startsWith('JSON Error');
  if (syntax) return new PixelError('E_CONFIG', `Could not load the config: ${message}`, { file, cause: error, hint: 'Fix the syntax error above.' });
  // Where a JavaScript config threw (a compiled one's lines are the compiler's, so they are not shown).
  const at = file && /\?v=[0-9a-f]+:(\d+):(\d+)/.exec(error.stack ?? '');
  return new PixelError('E_CONFIG', `The config threw an error while loading${at ? ` (at ${file}:${at[1]}:${at[2]})` : ''}: ${message}`, {
    file,
    cause: error,
    hint: 'Fix the code that throws; a pixel config must `export default defineConfig({ ... })`.',
  });
}

/** The package an import names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The nearest `name` in `dir` or a folder above it, if any. */
function findUp(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, name))) return join(d, name);
    if (dirname(d) === d) return undefined;
  }
}

/**
 * A JavaScript config. One that imports pixel is compiled (so the import is
 * the running pixel); any other is imported as it is, under a URL that
 * changes with its content, so `--watch` sees an edited config (Node caches
 * an ES module by URL). A syntax error is reported with line and column.
 */
async function loadJs(filepath: string, content: string, cwd: string): Promise<unknown> {
  if (IMPORTS_PIXEL.test(content)) return loadCompiled(filepath, content, cwd);
  try {
    const version = createHash('sha256').update(content).digest('hex').slice(0, 16);
    return (await import(`${pathToFileURL(await realpath(filepath)).href}?v=${version}`)).default;
  } catch (error) {
    // Whatever failed, a module that does not parse is reported as that (typescript is loaded only here).
    const display = relative(cwd, filepath) || filepath;
    const problems = await findSyntaxErrors(filepath, content, display);
    if (problems.length > 0) throw syntaxError(display, problems);
    throw error;
  }
}

/**
 * A config compiled by compile.ts, cached under a key of everything that
 * decides the output (pixel and typescript versions, the running pixel's
 * entry, path, source, tsconfig.json). The compiled module is imported from
 * a temporary file next to the config, as cosmiconfig does, so its relative
 * imports resolve.
 */
async function loadCompiled(filepath: string, content: string, cwd: string): Promise<unknown> {
  const dir = dirname(filepath);
  const modules = findUp(dir, 'node_modules');
  // The nearest tsconfig.json sets compiler options, so it is part of the key.
  const tsconfig = findUp(dir, 'tsconfig.json');
  let tsVersion = '';
  try {
    tsVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('typescript/package.json'), 'utf8')).version;
  } catch {
    /* compileConfig reports a missing typescript */
  }
  const tsconfigText = tsconfig ? readFileSync(tsconfig, 'utf8') : '';
  const key = createHash('sha256').update([packageInfo().version, tsVersion, runningPixelEntry(), filepath, content, tsconfigText].join('\0')).digest('hex').slice(0, 32);
  const cached = modules ? join(modules, '.cache', 'pixel', `config-${key}.mjs`) : undefined;
  let js = cached ? await readFile(cached, 'utf8').catch(() => undefined) : undefined;
  if (js === undefined) {
    js = await compileConfig(filepath, content, { cwd, compilerOptions: tsconfig ? await readCompilerOptions(tsconfig) : undefined });
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

/** The compilerOptions of a tsconfig.json (with `extends` followed), as TypeScript reads them. */
async function readCompilerOptions(tsconfig: string): Promise<Record<string, unknown>> {
  const ts = (await import('typescript')).default;
  const read = ts.readConfigFile(tsconfig, (f) => ts.sys.readFile(f));
  if (read.error)
    throw new PixelError('E_CONFIG', `Could not read ${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`, { file: tsconfig, hint: 'Fix tsconfig.json: pixel compiles pixel.config.ts with its compilerOptions.' });
  return (read.config?.compilerOptions ?? {}) as Record<string, unknown>;
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
      throw new PixelError('E_CONFIG', expected('a plugin object or a package name', `plugins[${i}]`, entry), {
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
