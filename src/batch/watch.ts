/**
 * `pixel convert --watch`: one full run, then a run after each burst of
 * changes (debounced). Each run is incremental (the cache manifest), so only
 * changed files are converted. Watches each input folder recursively (fs.watch
 * `recursive` works on Linux from Node 20, macOS and Windows), the folder of
 * each input file or glob base, and the config file; events from the output
 * folder, the cache and temp files are ignored, so a run's own writes do not
 * trigger another.
 */
import { watch, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { IO } from './report.js';
import { PixelError } from '../pipeline/errors.js';
import { fastGlob, globBase } from '../files/glob.js';

export interface WatchOptions {
  inputs: readonly string[];
  cwd: string;
  debounceMs: number;
  signal?: AbortSignal;
  io: IO;
  /** One run; returns whether files failed in it, the folders to ignore and the config file to watch. */
  run: (signal: AbortSignal) => Promise<{ failed: boolean; configFile?: string; ignore: string[] }>;
}

interface Target {
  dir: string;
  recursive: boolean;
  /** Only these names in `dir` (file inputs), else every change below it. */
  names?: Set<string>;
}

function targetsFor(inputs: readonly string[], cwd: string): Target[] {
  return inputs.map((arg) => {
    const abs = resolve(cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return { dir: abs, recursive: true };
    if (stat?.isFile() || !fastGlob().isDynamicPattern(arg)) return { dir: dirname(abs), recursive: false, names: new Set([basename(abs)]) };
    return { dir: resolve(cwd, globBase(arg) || '.'), recursive: true };
  });
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** Runs until the signal aborts; resolves to whether it failed (files failed and it ran only once: the CLI's exit code 1). */
export async function watchInputs(opts: WatchOptions): Promise<boolean> {
  const { io } = opts;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (opts.signal?.aborted) return false;
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let ignore: string[] = [];
  let configFile: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let runs = 0;
  let failures = 0;

  const runOnce = async () => {
    runs++;
    try {
      const r = await opts.run(stop.signal);
      ignore = r.ignore;
      configFile = r.configFile;
      if (r.failed) failures++;
    } catch (error) {
      if (runs === 1) throw error; // a broken first run (usage, config) ends watch mode
      failures++;
      io.stderr(`pixel: ${error instanceof PixelError ? error.format() : String((error as Error)?.stack ?? error)}\n`);
    }
    if (!stop.signal.aborted) io.stderr(`pixel: watching for changes (Ctrl-C to stop)\n`);
  };

  const trigger = () => {
    if (stop.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = runOnce().finally(() => {
        running = undefined;
        if (again && !stop.signal.aborted) {
          again = false;
          trigger();
        }
      });
    }, opts.debounceMs);
  };

  const watchers: FSWatcher[] = [];
  const onEvent = (target: Target) => (_event: string, name: string | Buffer | null) => {
    if (name === null) return trigger();
    const rel = String(name);
    if (target.names && !target.names.has(rel)) return;
    const path = join(target.dir, rel);
    if (rel.endsWith('.tmp') || ignore.some((d) => inside(path, d))) return;
    trigger();
  };
  try {
    await runOnce();
    for (const target of targetsFor(opts.inputs, opts.cwd)) {
      const w = watch(target.dir, { recursive: target.recursive, signal: stop.signal }, onEvent(target));
      w.on('error', () => undefined);
      watchers.push(w);
    }
    if (configFile) {
      const t: Target = { dir: dirname(configFile), recursive: false, names: new Set([basename(configFile)]) };
      const w = watch(t.dir, { signal: stop.signal }, onEvent(t));
      w.on('error', () => undefined);
      watchers.push(w);
    }
    await new Promise<void>((done) => {
      if (stop.signal.aborted) done();
      stop.signal.addEventListener('abort', () => done(), { once: true });
    });
    clearTimeout(timer);
    await running;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    for (const w of watchers) w.close();
  }
  return failures > 0 && runs === 1;
}
