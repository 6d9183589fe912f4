/** Bad config types are config errors (exit 78) naming the key, never a crash. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePng, run, tempProject } from './batch-helpers.js';

const dir = tempProject('pixel-badinput-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let cases = 0;

describe('wrong config types', () => {
  it.each([
    ['{ extends: 42 }', 'Expected a preset name or a list of names for extends but received 42'],
    ['{ output: { dir: 5 } }', 'Expected a string for output.dir but received 5'],
    ["{ rules: [{ files: 5, preset: 'photo' }] }", 'Expected a glob or a list of globs for rules[0].files but received 5'],
    ["{ steps: 'photo' }", 'Expected an array of steps for steps but received "photo"'],
    ["{ output: { overwrite: 'yes' } }", 'Expected a boolean for output.overwrite but received "yes"'],
    ['{ maxPixels: -1 }', 'Expected a positive number for maxPixels but received -1'],
  ])('%s', async (config, message) => {
    await makePng(join(dir, 'a.png'), 1);
    // One file per case: a module is imported once per process.
    const file = `case-${++cases}.config.mjs`;
    writeFileSync(join(dir, file), `export default ${config};\n`);
    const r = await run(['convert', 'a.png', '-o', 'o.png', '--overwrite', '-c', file], dir);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`Invalid configuration in ${file} (1 problem):`);
    expect(r.stderr).toContain(`  - ${message}`);
    expect(r.stderr).not.toContain('internal error');
  });
});
