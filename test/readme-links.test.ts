/** Every relative link and image in the README points at a file inside the repository (it ships in the package, and is read in a clone). */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './batch-helpers.js';

it('README links resolve inside the repository', () => {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'));
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    const path = resolve(ROOT, decodeURI(target.split('#')[0]));
    expect(relative(ROOT, path).startsWith('..'), `${target} is outside the repository`).toBe(false);
    expect(existsSync(path), `${target} does not exist`).toBe(true);
  }
});
