import { basename, isAbsolute, relative, resolve } from 'node:path';
import { toPosix } from './glob.js';

/**
 * How a model file's header names its training data: the folder relative to
 * the current folder when it is inside it, else the folder's own name. Never
 * an absolute path: it would carry the trainer's home folder into a shipped
 * file, and means nothing on another machine.
 */
export function dataLabel(path: string | undefined, cwd = process.cwd()): string | undefined {
  if (path === undefined) return undefined;
  const rel = relative(cwd, resolve(cwd, path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : basename(resolve(cwd, path));
}
