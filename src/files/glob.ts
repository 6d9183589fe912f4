/** Glob helpers shared by input expansion, rules and watch mode. */
import { sep } from 'node:path';
import fg from 'fast-glob';

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
    if (part !== '' && fg.isDynamicPattern(part)) break;
    fixed.push(part);
  }
  if (fixed.length === parts.length) fixed.pop();
  const base = fixed.join('/');
  return base === '' && pattern.startsWith('/') ? '/' : base;
}
