/** Glob helpers shared by input expansion, rules and watch mode. */
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import type FastGlob from 'fast-glob';

let loaded: typeof FastGlob | undefined;

/**
 * fast-glob, loaded on first use (it is CommonJS, so synchronously): a
 * one-file `pixel convert` and `pixel staged` never need it, and it is ~50
 * modules to load.
 */
export function fastGlob(): typeof FastGlob {
  return (loaded ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob);
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
