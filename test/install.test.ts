/**
 * The README's "Install in your project", followed as a new user would: this repository packed
 * with `npm pack`, the tarball installed into a fresh project with npm, then the README's
 * commands word for word (`npx pixel init`, `npx pixel convert assets --out dist/1bit`), and
 * `npx pixel staged` in a real `git commit` hook. Everything runs in a temporary folder.
 *
 * Needs the built CLI (npm test builds it; the pack skips the `prepare` build for that reason)
 * and npm's cache or the npm registry: the tarball's dependencies are the ones `npm ci` has
 * just put in the cache, so the install runs with --prefer-offline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng, ROOT } from './batch-helpers.js';
import { userEnv } from './user-env.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TARBALL = `${pkg.name}-${pkg.version}.tgz`;

const env = userEnv();

/** A shell command as the user types it; throws with everything it printed when it fails. */
function sh(cwd: string, command: string): string {
  try {
    return execFileSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    throw new Error(`\`${command}\` exited ${e.status}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

/** The README's ```sh block that contains `text`: its command lines, comments removed. */
function readmeCommands(text: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]).find((b) => b.includes(text));
  if (!block) throw new Error(`README.md has no \`\`\`sh block with ${text}`);
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

const isOneBitPng = async (file: string) => {
  const m = await sharp(file).metadata();
  return m.format === 'png' && m.bitsPerSample === 1 && m.isPalette === true;
};

describe(`the README's install section: npm pack, then ${TARBALL} installed into a fresh project`, () => {
  let base: string;
  let project: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('The install test packs the built CLI: run `npm run build` first (npm ci and npm test do it).');
    base = mkdtempSync(join(tmpdir(), 'pixel-install-'));
    // The README's clone is this repository; its tarball goes where the README's install line looks: ../pixel.
    mkdirSync(join(base, 'pixel'));
    project = join(base, 'my-project');
    mkdirSync(project);
  });
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('the README packs the repository and installs the tarball this package makes', () => {
    expect(readmeCommands('npm pack')).toEqual(['git clone https://github.com/<owner>/pixel.git && cd pixel', 'npm ci && npm pack']);
    expect(readmeCommands('npm install --save-dev')[1]).toBe(`npm install --save-dev ../pixel/${TARBALL}`);
    expect(pkg.name).toBe('pixel-1bit');
    expect(pkg.bin).toEqual({ pixel: 'bin/pixel.js' });
  });

  it('npm pack: prints only the tarball name, holds the built CLI, the models and the README, no sources or tests', () => {
    const out = sh(ROOT, `npm pack --ignore-scripts --json --pack-destination "${join(base, 'pixel')}"`);
    const [packed] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
    expect(packed.filename).toBe(TARBALL);
    const files = packed.files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/pixel.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/presets/index.js', 'models/unet-default.png'])
      expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('.test.') || f.startsWith('node_modules/') || f.startsWith('presets/'))).toEqual([]);
    expect(existsSync(join(base, 'pixel', TARBALL))).toBe(true);
  });

  it('the README commands, word for word: install, pixel init, pixel convert', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', version: '1.0.0', private: true }, null, 2));
    const photo = await makePng(join(project, 'assets', 'photo.png'), 1, 96, 64);
    await makePng(join(project, 'assets', 'icons', 'star.png'), 2, 48, 48);
    const commands = readmeCommands('npm install --save-dev');
    expect(commands[0]).toBe('cd ../my-project'); // the folder this test runs the rest in
    for (const command of commands.slice(1)) sh(project, command);

    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'pixel-1bit', 'package.json'), 'utf8'));
    expect(installed.version).toBe(pkg.version);
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).devDependencies).toEqual({ 'pixel-1bit': `file:../pixel/${TARBALL}` });
    expect(readFileSync(join(project, 'pixel.config.ts'), 'utf8')).toContain("import { defineConfig } from 'pixel-1bit';");
    // The config's icon rule sends assets/icons/** through its own preset; both outputs are true 1-bit PNGs.
    for (const out of ['dist/1bit/photo.png', 'dist/1bit/icons/star.png']) expect(await isOneBitPng(join(project, out))).toBe(true);
    expect((await sharp(join(project, 'dist/1bit/photo.png')).metadata()).width).toBe(128 * 4);
    expect((await sharp(join(project, 'dist/1bit/icons/star.png')).metadata()).width).toBe(24);
    // The installed pixel gives byte for byte what this repository's pixel gives with the same config.
    const reference = join(base, 'reference');
    mkdirSync(reference);
    writeFileSync(join(reference, 'package.json'), '{}');
    writeFileSync(join(reference, 'pixel.config.ts'), readFileSync(join(project, 'pixel.config.ts')));
    writeFileSync(join(reference, 'photo.png'), photo);
    sh(reference, `"${process.execPath}" "${join(ROOT, 'bin', 'pixel.js')}" convert photo.png --out dist/1bit`);
    expect(readFileSync(join(project, 'dist/1bit/photo.png')).equals(readFileSync(join(reference, 'dist/1bit/photo.png')))).toBe(true);
  });

  it('npx pixel staged in a git pre-commit hook commits the outputs of the staged images its rules select', async () => {
    rmSync(join(project, 'dist'), { recursive: true }); // from the convert above; the hook makes its own
    git(project, 'init', '-q', '-b', 'main');
    writeFileSync(join(project, '.gitignore'), 'node_modules\n.pixel-cache\n');
    writeFileSync(join(project, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nnpx pixel staged\n', { mode: 0o755 });
    await makePng(join(project, 'assets', 'icons', 'moon.png'), 3, 40, 40);
    git(project, 'add', '.gitignore', 'package.json', 'package-lock.json', 'pixel.config.ts', 'assets');
    const output = execFileSync('git', ['commit', '-m', 'icons'], { cwd: project, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain('icons');
    // The init config's rules select assets/** and mirror it as `pixel convert assets --out dist/1bit` does.
    const committed = git(project, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort();
    expect(committed).toEqual(['.gitignore', 'assets/icons/moon.png', 'assets/icons/star.png', 'assets/photo.png', 'dist/1bit/icons/moon.png', 'dist/1bit/icons/star.png', 'dist/1bit/photo.png', 'package-lock.json', 'package.json', 'pixel.config.ts']);
    for (const out of ['dist/1bit/icons/moon.png', 'dist/1bit/icons/star.png', 'dist/1bit/photo.png']) expect(await isOneBitPng(join(project, out))).toBe(true);
    expect(git(project, 'status', '--porcelain')).toBe('');
    sh(project, 'npx pixel staged --check --all'); // exits 0: every output is up to date
  });
});
