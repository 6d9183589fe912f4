/** Where each input's output goes. Sources are never overwritten. */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PixelError } from '../pipeline/errors.js';
import type { InputFile } from './inputs.js';

export interface OutputPlan {
  /** -o/--out from the command line (absolute), if given. */
  out?: string;
  /** True when --out names a file (one input and a path with an extension that is not a folder). */
  outIsFile: boolean;
  /** Folder the config's output.dir is relative to (the config file's folder). */
  configDir: string;
  single: boolean;
}

/** Fills the name pattern: [dir], [name], [ext], [srcext], [preset]. */
export function fillPattern(pattern: string, file: InputFile, ext: string, preset: string): string {
  const relDir = dirname(file.relative);
  const srcExt = extname(file.relative).slice(1);
  const name = basename(file.relative, extname(file.relative));
  return pattern
    .replaceAll('[dir]', relDir === '.' ? '' : relDir)
    .replaceAll('[name]', name)
    .replaceAll('[ext]', ext)
    .replaceAll('[srcext]', srcExt)
    .replaceAll('[preset]', preset)
    .replace(/^\/+/, '');
}

/** The config's output settings that place a file (the config's `output.dir` and `output.name`). */
export interface OutputPlacement {
  dir?: string;
  name: string;
}

export function outputPathFor(file: InputFile, plan: OutputPlan, output: OutputPlacement, ext: string, preset: string): string {
  if (plan.out && plan.outIsFile) return plan.out;
  const dir = plan.out ?? (output.dir !== undefined ? resolve(plan.configDir, output.dir) : undefined);
  if (dir !== undefined) return join(dir, fillPattern(output.name, file, ext, preset));
  if (!plan.single)
    throw new PixelError('E_USAGE', 'Several inputs need an output folder', { hint: 'Pass --out <dir> (the input tree is mirrored below it) or set output.dir in pixel.config.ts.' });
  // One file and nowhere named: write beside it, never over it.
  return join(dirname(file.path), `${basename(file.path, extname(file.path))}.1bit.${ext}`);
}

/**
 * The path a file at `path` really has: symbolic links anywhere in it
 * resolved, through the deepest part that exists (the rest is appended as
 * is). Two paths that name the same file through a link compare equal, so an
 * output folder that is a link to the input folder is seen for what it is.
 */
export function realPath(path: string, folders?: Map<string, string>): string {
  const abs = resolve(path);
  // A path that exists resolves in one call; for one that does not (most outputs), its
  // folder's real path is looked up once per folder when a cache is given.
  try {
    if (lstatSync(abs, { throwIfNoEntry: false })) return realpathSync.native(abs);
  } catch {
    // a broken link or a loop: its own folder is where a write would land
  }
  const parent = dirname(abs);
  if (parent === abs) return abs;
  let real = folders?.get(parent);
  if (real === undefined) {
    real = realPath(parent, folders);
    folders?.set(parent, real);
  }
  return join(real, basename(abs));
}
