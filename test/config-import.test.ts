/**
 * Loading a config the way a new user's project has it: the import of pixel resolves to the
 * running pixel whatever the project has installed (nothing, or another copy), by its name
 * 'pixel-1bit' or the old 'pixel'; a config that does not parse is refused with file, line and
 * column (also under --watch, where a half-typed config must not run); every other load error
 * gets a hint that matches it.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { compileConfig, runningPixelEntry } from '../src/config/compile.js';
import { loadConfig } from '../src/config/load.js';
import { PixelError } from '../src/pipeline/errors.js';
import { cleanEnv, makePng, run, until } from './batch-helpers.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A project folder with these files and no node_modules (pixel installed globally, run by npx or pre-commit). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pixel-config-import-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const TS_CONFIG = (specifier: string) => `import { defineConfig } from '${specifier}';
import type { PixelConfig } from '${specifier}';

const size: number = 48;
const config: PixelConfig = { extends: 'sprite', override: { resize: { longSide: size } } };
export default defineConfig(config);
`;

describe("a config's import of pixel is the running pixel", () => {
  it.each(['pixel-1bit', 'pixel'])("pixel.config.ts importing '%s' loads in a project without node_modules", async (specifier) => {
    const dir = project({ 'package.json': '{ "name": "no-deps" }', 'pixel.config.ts': TS_CONFIG(specifier) });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite', override: { resize: { longSide: 48 } } });
  });

  it.each(['pixel-1bit', 'pixel'])("pixel.config.mjs importing '%s' loads in a project without package.json or node_modules", async (specifier) => {
    const dir = project({ 'pixel.config.mjs': `import { defineConfig } from '${specifier}';\nexport default defineConfig({ extends: 'photo' });\n` });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'photo' });
  });

  it("the project's own copy of pixel-1bit (or of the unrelated npm package 'pixel') is not what the config gets", async () => {
    const broken = "throw new Error('the project copy was imported');\n";
    const dir = project({
      'package.json': '{ "name": "other-copy", "type": "module" }',
      'node_modules/pixel-1bit/package.json': '{ "name": "pixel-1bit", "version": "9.9.9", "type": "module", "exports": "./index.js" }',
      'node_modules/pixel-1bit/index.js': broken,
      'node_modules/pixel/package.json': '{ "name": "pixel", "version": "1.0.0", "type": "module", "exports": "./index.js" }',
      'node_modules/pixel/index.js': broken,
      'pixel.config.ts': "import { defineConfig } from 'pixel-1bit';\nimport * as old from 'pixel';\nexport default defineConfig({ extends: typeof old.defineConfig === 'function' ? 'sprite' : 'photo' });\n",
    });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite' });
  });

  it('imports, re-exports and import() of both names are compiled to the running entry; other specifiers are kept', async () => {
    const source = [
      "import { defineConfig } from 'pixel-1bit';",
      "import 'pixel';",
      "export { convert } from 'pixel';",
      "export * as px from 'pixel-1bit';",
      "const lazy = await import('pixel-1bit');",
      "import data from './data.json' with { type: 'json' };",
      "import sharp from 'sharp';",
      "const label = 'pixel';",
      'export default defineConfig({ description: String([lazy, data, sharp, label].length) });',
    ].join('\n');
    const js = await compileConfig('/p/pixel.config.ts', source, { cwd: '/p' });
    const entry = JSON.stringify(pathToFileURL(runningPixelEntry()).href).slice(1, -1);
    expect(js.split('\n').filter((l) => l.includes(entry))).toEqual([
      `import { defineConfig } from "${entry}";`,
      `import "${entry}";`,
      `export { convert } from "${entry}";`,
      `export * as px from "${entry}";`,
      `const lazy = await import("${entry}");`,
    ]);
    expect(js).toContain("import data from './data.json' with { type: 'json' };");
    expect(js).toContain("import sharp from 'sharp';");
    expect(js).toContain("const label = 'pixel';");
  });
});

describe('a config that does not parse is refused with file, line and column; nothing runs', () => {
  const cases: [string, string, string, string[]][] = [
    ['a missing comma (TypeScript would insert it)', 'pixel.config.ts', "export default {\n  extends: 'sprite'\n  output: { dir: 'out' },\n};\n", ["pixel.config.ts:3:3: ',' expected."]],
    ['a missing closing brace', 'pixel.config.ts', "export default {\n  extends: 'sprite',\n  output: { dir: 'out' },\n", ["pixel.config.ts:4:1: '}' expected."]],
    ['two errors, both reported', 'pixel.config.ts', "const a: number = ;\nexport default { extends: 'sprite' output: {} };\n", ['pixel.config.ts:1:19: Expression expected.', "pixel.config.ts:2:36: ',' expected."]],
    ['a JavaScript config (Node names no line)', 'pixel.config.mjs', "export default {\n  extends: 'sprite'\n  output: { dir: 'out' },\n};\n", ["pixel.config.mjs:3:3: ',' expected."]],
    ['a JavaScript config that imports pixel (compiled)', 'pixel.config.mjs', "import { defineConfig } from 'pixel-1bit';\nexport default defineConfig({ extends: 'sprite' output: {} });\n", ["pixel.config.mjs:2:49: ',' expected."]],
  ];

  it.each(cases)('%s', async (_what, name, text, problems) => {
    const dir = project({ 'package.json': '{ "type": "module" }', [name]: text, 'in/a.png': '' });
    await makePng(join(dir, 'in', 'a.png'), 1);
    const error = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PixelError);
    expect(error).toMatchObject({ code: 'E_CONFIG', file: name, problems, hint: 'Fix the code at the line and column above, then run pixel again.' });
    expect((error as PixelError).message).toBe(`The config does not parse (${problems.length === 1 ? '1 syntax error' : `${problems.length} syntax errors`}); nothing was run`);
    // Through the CLI: exit 78, the problems on stderr, no output written, no temporary file left.
    const r = await run(['convert', 'in', '--out', 'out'], dir);
    expect(r.code).toBe(78);
    for (const p of problems) expect(r.stderr).toContain(`  - ${p}\n`);
    expect(readdirSync(dir).sort()).toEqual([name, 'in', 'package.json'].sort());
  });

  it('a fixed config loads (a broken one is never cached)', async () => {
    const dir = project({ 'package.json': '{}', 'node_modules/.keep': '', 'pixel.config.ts': "export default { extends: 'sprite' output: {} };\n" });
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ problems: ["pixel.config.ts:1:36: ',' expected."] });
    writeFileSync(join(dir, 'pixel.config.ts'), "export default { extends: 'sprite', output: {} };\n");
    expect((await loadConfig({ cwd: dir })).config).toEqual({ extends: 'sprite', output: {} });
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'pixel'))).toHaveLength(1);
  });
});

describe('other load errors get the hint that matches them', () => {
  it('an import of a package the project lacks: install it (not "fix the syntax error")', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'pixel.config.mjs': "import pad from 'left-pad-not-here/sub.js';\nexport default { extends: pad };\n" });
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({
      code: 'E_CONFIG',
      file: 'pixel.config.mjs',
      message: 'The config imports a package that cannot be found: left-pad-not-here/sub.js',
      hint: 'Install it in this project (npm install --save-dev left-pad-not-here) or remove the import.',
    });
  });

  it('a relative import of a missing file: check the path', async () => {
    const dir = project({ 'pixel.config.ts': "import { size } from './sizes.js';\nexport default { extends: 'sprite', override: { resize: { longSide: size } } };\n" });
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({
      file: 'pixel.config.ts',
      // Node names the resolved path, vitest's module runner the specifier.
      message: expect.stringMatching(/^The config imports a file that cannot be found: (\.|.*pixel-config-import-\w+)\/sizes\.js$/),
      hint: 'Check the path in the import (it is relative to the config file).',
    });
  });

  it('a config that throws: where (JavaScript), what, and that the code must be fixed', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'pixel.config.js': "const presets = {};\nexport default { extends: presets.missing.name };\n" });
    const error = (await loadConfig({ cwd: dir }).catch((e: unknown) => e)) as PixelError;
    expect(error.message).toMatch(/^The config threw an error while loading \(at pixel\.config\.js:2:43\): Cannot read properties of undefined/);
    expect(error.hint).toBe('Fix the code that throws; a pixel config must `export default defineConfig({ ... })`.');
  });
});

describe('pixel convert --watch with a half-typed config', () => {
  it('reports the syntax error, converts nothing with it, and runs again once the config is fixed', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'pixel.config.ts': "export default { extends: 'sprite', output: { dir: 'first' } };\n" });
    await makePng(join(dir, 'in', 'a.png'), 1);
    const controller = new AbortController();
    let out = '';
    let err = '';
    const done = main(['convert', 'in', '--watch', '--debounce', '80', '--jobs', '1'], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: cleanEnv() }, dir, controller.signal);
    const runs = () => out.match(/ in [\d.]+ s\n/g)?.length ?? 0;
    await until(() => runs() === 1, 'the first run');
    expect(readdirSync(join(dir, 'first'))).toEqual(['a.png']);

    // Half-typed: the comma after 'pixel-art' is not there yet. TypeScript alone would insert it and run.
    writeFileSync(join(dir, 'pixel.config.ts'), "export default {\n  extends: 'pixel-art'\n  output: { dir: 'second' } };\n");
    await until(() => err.includes("pixel.config.ts:3:3: ',' expected."), 'the syntax error');
    expect(err).toContain('pixel: pixel.config.ts: The config does not parse (1 syntax error); nothing was run\n');
    expect(runs()).toBe(1);

    writeFileSync(join(dir, 'pixel.config.ts'), "export default {\n  extends: 'pixel-art',\n  output: { dir: 'second' } };\n");
    await until(() => runs() === 2, 'the run after the fix');
    expect(readdirSync(join(dir, 'second'))).toEqual(['a.png']);
    controller.abort();
    expect(await done).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.mjs') || f.endsWith('.tmp'))).toEqual([]);
  });
});
