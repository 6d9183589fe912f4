/**
 * Expands the command line's inputs (files, folders, globs) into a list of
 * image files, each with the base folder its output path is mirrored from.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { PixelError } from '../pipeline/errors.js';
import { fastGlob, globBase, toPosix } from './glob.js';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'avif', 'tif', 'tiff', 'gif', 'svg', 'heic', 'heif', 'jxl'];

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the base folder (drives the mirrored output path). */
  relative: string;
  /** Path as shown to the user (relative to cwd when inside it). */
  display: string;
}

export interface InputKind {
  /** The argument named one existing file. */
  single: boolean;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/**
 * @param ignoreDirs absolute folders never read as input (the output folder),
 *   so a second run does not convert its own outputs.
 */
export async function findInputs(args: readonly string[], cwd: string, ignoreDirs: readonly string[] = []): Promise<{ files: InputFile[]; single: boolean }> {
  if (args.length === 0) throw new PixelError('E_USAGE', 'No input given', { hint: 'pixel convert <files|folders|globs> --out <dir>, e.g. pixel convert photo.jpg -o photo.png' });
  const seen = new Set<string>();
  const files: InputFile[] = [];
  let single = args.length === 1;
  const add = (abs: string, base: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ path: abs, relative: relative(base, abs), display: displayPath(abs, cwd) });
  };
  const extGlob = `**/*.{${IMAGE_EXTENSIONS.join(',')}}`;
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      add(abs, resolve(abs, '..'));
      continue;
    }
    single = false;
    const ignore = ignoreDirs.map((d) => toPosix(relative(stat?.isDirectory() ? abs : resolve(cwd, globBase(arg)), d))).filter((r) => r && !r.startsWith('..')).map((r) => `${r}/**`);
    if (stat?.isDirectory()) {
      const found = await fastGlob()(extGlob, { cwd: abs, caseSensitiveMatch: false, onlyFiles: true, dot: false, followSymbolicLinks: false, ignore });
      if (found.length === 0) throw new PixelError('E_USAGE', `No images found in folder ${displayPath(abs, cwd)}`, { hint: `pixel reads ${IMAGE_EXTENSIONS.join(', ')} files, recursively.` });
      for (const f of found.sort()) add(join(abs, f), abs);
      continue;
    }
    if (!fastGlob().isDynamicPattern(toPosix(arg))) {
      throw new PixelError('E_USAGE', `Input not found: ${arg}`, { hint: 'Check the path; quote globs so the shell does not expand them: pixel convert "sprites/**/*.png"' });
    }
    const base = resolve(cwd, globBase(arg));
    const found = await fastGlob()(toPosix(relative(base, resolve(cwd, arg))), { cwd: base, onlyFiles: true, followSymbolicLinks: false, ignore });
    if (found.length === 0) throw new PixelError('E_USAGE', `No files match ${arg}`, { hint: 'Check the pattern; it is matched relative to the current folder.' });
    for (const f of found.sort()) add(join(base, f), base);
  }
  return { files, single };
}
