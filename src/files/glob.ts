/** Glob helpers shared by input expansion, rules and watch mode. */
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import type FastGlob from 'fast-glob';
import type Micromatch from 'micromatch';

let loaded: typeof FastGlob | undefined;
let matcher: typeof Micromatch | undefined;

/**
 * fast-glob, loaded on first use (it is CommonJS, so synchronously): a
 * one-file `pixel convert` and `pixel staged` never need it, and it is ~50
 * modules to load.
 */
export function fastGlob(): typeof FastGlob {
  return (loaded ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob);
}

/** micromatch, loaded on first use for the same reason: only configs with `rules` need it (~15 modules). */
export function micromatch(): typeof Micromatch {
  return (matcher ??= createRequire(import.meta.url)('micromatch') as typeof Micromatch);
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * The folder part of a glob before its first dynamic segment ('' for the
 * current folder). An absolute pattern keeps its root: '/art/*.png' → '/art',
 * '/*.png' → '/'.
 */
export function globBase(pattern: string): string {
  const parts = toPosix(pattern).split('/');
  const fixed: string[] = [];
  // An empty segment (the root of '/abs', or 'a//b') is static; fast-glob rejects '' as a pattern.
  for (const part of parts) {
    if (part !== '' && fastGlob().isDynamicPattern(part)) break;
    fixed.push(part);
  }
  if (fixed.length === parts.length) fixed.pop();
  const base = fixed.join('/');
  return base === '' && pattern.startsWith('/') ? '/' : base;
}
