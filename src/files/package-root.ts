/** pixel's own install folder (works from src/ under tsx/vitest and from dist/). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

export function packageInfo(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === 'pixel-1bit') return (cached = { root: dir, version: pkg.version });
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('pixel: cannot find its own package.json');
    dir = up;
  }
}
