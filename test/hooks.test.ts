/**
 * `pixel staged` under the hook runners people use, each making a real `git commit` in a
 * temporary repository (never the working tree): lint-staged (a devDependency, so this always
 * runs) and the pre-commit framework (Python; skipped, saying so, where `pre-commit` is not
 * installed: `apt-get install pre-commit` or `pip install pre-commit`), both as `repo: local`
 * with the project's own pixel and as the shipped `language: node` hooks, for which pre-commit
 * installs pixel from a copy of this repository (npm install, npm pack, npm install -g: the
 * slowest test here, 1–2 minutes, since it installs every dependency twice). husky is covered in
 * staged.test.ts. Needs the built CLI (`npm run build`; npm ci and npm test build it).
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../src/convert.js';
import { makePng, ROOT, tempProject } from './batch-helpers.js';
import { tempDir } from './temp.js';
import { userEnv } from './user-env.js';

const NODE = process.execPath;
const PIXEL = join(ROOT, 'bin', 'pixel.js');
const LINT_STAGED = join(ROOT, 'node_modules', '.bin', 'lint-staged');

const env = userEnv();

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env }).toString();
const names = (out: string) => out.split('\n').filter(Boolean).sort();
const committed = (cwd: string) => names(git(cwd, 'show', '--name-only', '--format=', 'HEAD'));
const stagedNames = (cwd: string) => names(git(cwd, 'diff', '--staged', '--name-only'));
const show = (cwd: string, spec: string) => execFileSync('git', ['show', spec], { cwd, env });

/** A real `git commit` (hooks and all): exit code and everything it printed. */
async function commit(cwd: string, args: string[], extra: Record<string, string> = {}) {
  try {
    const r = await promisify(execFile)('git', ['commit', ...args], { cwd, env: { ...env, ...extra } });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** A user project: package.json (with `extra` merged in), a pixel config with a rule, one commit. */
function repo(prefix: string, extra: Record<string, unknown> = {}): string {
  const dir = tempProject(prefix);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', ...extra }, null, 2));
  // What `npm install pixel-1bit` links; tempProject already links node_modules/pixel-1bit to this repo.
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync('../pixel-1bit/bin/pixel.js', join(dir, 'node_modules', '.bin', 'pixel'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n.pixel-cache\n');
  writeFileSync(join(dir, 'pixel.config.mjs'), "export default {\n  output: { dir: 'dist' },\n  rules: [{ files: 'art/**/*.png', preset: 'sprite' }],\n};\n");
  git(dir, 'add', '.gitignore', 'pixel.config.mjs', 'package.json');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

/** A git hook that is a shell script (as husky writes them), straight in .git/hooks. */
function hook(dir: string, script: string) {
  writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
}

const spritePng = async (png: Buffer) => (await convert(png, { preset: 'sprite' })).data;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('The hook tests run the built CLI: run `npm run build` first (npm ci and npm test do it).');
});

describe('lint-staged runs pixel staged in a real pre-commit hook', () => {
  const GLOB = '*.{png,jpg,jpeg,webp}';
  let dir: string;
  beforeAll(() => {
    // lint-staged appends the matched (absolute) file names; pixel staged narrows to them.
    dir = repo('pixel-lint-staged-', { 'lint-staged': { [GLOB]: `"${NODE}" "${PIXEL}" staged` } });
    hook(dir, `exec "${NODE}" "${LINT_STAGED}"`);
  });

  it('the outputs land in the same commit and the working tree ends clean', async () => {
    const a = await makePng(join(dir, 'art', 'a.png'), 1);
    await makePng(join(dir, 'art', 'sub', 'b.png'), 2);
    writeFileSync(join(dir, 'notes.txt'), 'not an image\n');
    git(dir, 'add', 'art', 'notes.txt');
    const r = await commit(dir, ['-m', 'art']);
    expect(r.output).not.toContain('✖');
    expect(r.code).toBe(0);
    expect(committed(dir)).toEqual(['art/a.png', 'art/sub/b.png', 'dist/a.png', 'dist/sub/b.png', 'notes.txt']);
    expect(names(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD', 'dist'))).toEqual(['dist/a.png', 'dist/sub/b.png']);
    expect(show(dir, 'HEAD:dist/a.png').equals(await spritePng(a))).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a partially staged image: the staged version is converted and committed, the unstaged edit survives', async () => {
    const staged = await makePng(join(dir, 'art', 'c.png'), 3);
    git(dir, 'add', 'art/c.png');
    const unstaged = await makePng(join(dir, 'art', 'c.png'), 4); // lint-staged hides this edit, then restores it
    const r = await commit(dir, ['-m', 'partial']);
    expect(r.code).toBe(0);
    expect(committed(dir)).toEqual(['art/c.png', 'dist/c.png']);
    expect(show(dir, 'HEAD:art/c.png').equals(staged)).toBe(true);
    expect(show(dir, 'HEAD:dist/c.png').equals(await spritePng(staged))).toBe(true);
    expect(readFileSync(join(dir, 'art', 'c.png')).equals(unstaged)).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe(' M art/c.png\n');
    writeFileSync(join(dir, 'art', 'c.png'), staged);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a corrupt staged image refuses the commit, names the file, and leaves HEAD and the index as they were', async () => {
    await makePng(join(dir, 'art', 'good.png'), 5);
    writeFileSync(join(dir, 'art', 'broken.png'), 'not a png at all');
    git(dir, 'add', 'art');
    const head = git(dir, 'rev-parse', 'HEAD');
    const before = stagedNames(dir);
    expect(before).toEqual(['art/broken.png', 'art/good.png']);
    const r = await commit(dir, ['-m', 'broken']);
    expect(r.code).not.toBe(0);
    // pixel staged exits 1 (the other file is still converted); lint-staged shows its output,
    // reverts to the state before the commit, and git refuses the commit.
    expect(r.output).toMatch(/FAIL {2}.*art\/broken\.png: /);
    expect(r.output).toContain('Failed:\n  art/broken.png: ');
    expect(r.output).toContain('1 converted, 0 skipped, 1 failed');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(stagedNames(dir)).toEqual(before);
    git(dir, 'rm', '-q', '--cached', 'art/broken.png', 'art/good.png');
  });

  it('the README config as written ("pixel staged", found in node_modules/.bin)', async () => {
    const d = repo('pixel-lint-staged-readme-', { 'lint-staged': { [GLOB]: 'pixel staged' } });
    hook(d, `exec "${NODE}" "${LINT_STAGED}"`);
    await makePng(join(d, 'art', 'x.png'), 6);
    git(d, 'add', 'art');
    const r = await commit(d, ['-m', 'art']);
    expect(r.output).not.toContain('✖');
    expect(r.code).toBe(0);
    expect(committed(d)).toEqual(['art/x.png', 'dist/x.png']);
    expect(git(d, 'status', '--porcelain')).toBe('');
  });
});

// --- The pre-commit framework --------------------------------------------------------------

/** The hooks in the shipped .pre-commit-hooks.yaml, read as the flat list of maps it is. */
function shippedHooks(): Record<string, string>[] {
  const hooks: Record<string, string>[] = [];
  for (const line of readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(- | {2})([a-z_]+): (.+)$/.exec(line);
    if (!m) throw new Error(`.pre-commit-hooks.yaml: unexpected line ${JSON.stringify(line)}`);
    if (m[1] === '- ') hooks.push({});
    hooks.at(-1)![m[2]] = m[3];
  }
  return hooks;
}

/**
 * The README's `repo: local` variant, built from the shipped hooks: same ids, names and files,
 * the same command run through `npx --no-install` (the pixel the project has installed) with
 * `language: system` (nothing to install, works offline). The README must show exactly this.
 */
function localConfig(): string {
  const hooks = shippedHooks().map((h) =>
    [
      `      - id: ${h.id}`,
      `        name: ${h.name}`,
      `        entry: npx --no-install ${h.entry}`,
      '        language: system',
      ...['pass_filenames', 'require_serial', 'files'].map((k) => `        ${k}: ${h[k]}`),
    ].join('\n'),
  );
  return `repos:\n  - repo: local\n    hooks:\n${hooks.join('\n')}\n`;
}

/** The README's ```yaml block holding `text`, without the list indentation and trailing comments. */
function readmeYaml(text: string): string | undefined {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const m of readme.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm))
    if (m[2].includes(text))
      return m[2]
        .split('\n')
        .map((l) => l.slice(m[1].length).replace(/ +#.*$/, ''))
        .join('\n');
  return undefined;
}

/** The README's config for this repository's own hooks (pre-commit installs pixel itself). */
function remoteConfig(repo: string, rev: string): string {
  return `repos:\n  - repo: ${repo}\n    rev: ${rev}\n    hooks:\n      - id: pixel\n      - id: pixel-check\n`;
}

function preCommitVersion(): string | undefined {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8', env });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

describe('the shipped .pre-commit-hooks.yaml and the README configs', () => {
  it('ships the hooks pixel and pixel-check: language node, running the pixel command pre-commit installs', () => {
    const hooks = shippedHooks();
    expect(hooks.map((h) => [h.id, h.entry, h.language])).toEqual([
      ['pixel', 'pixel staged', 'node'],
      ['pixel-check', 'pixel staged --check', 'node'],
    ]);
    for (const h of hooks) {
      expect(h).toMatchObject({ pass_filenames: 'false', require_serial: 'true' });
      expect(h.name).toBeTruthy();
      const files = new RegExp(h.files);
      for (const f of ['a.png', 'art/b.png', 'c.jpg', 'd.jpeg', 'e.webp', 'f.avif', 'g.tif', 'h.tiff', 'i.gif', 'j.svg']) expect(f).toMatch(files);
      for (const f of ['a.txt', 'png', 'a.png.bak', 'pixel.config.mjs']) expect(f).not.toMatch(files);
    }
    // The `pixel` the entries name is this package's bin (npm links it into node_modules/.bin).
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin).toEqual({ pixel: 'bin/pixel.js' });
  });

  it('the README shows exactly the configs tested here', () => {
    expect(readmeYaml('repo: local')).toBe(localConfig());
    expect(readmeYaml('rev: ')).toBe(remoteConfig('https://github.com/<owner>/pixel', 'v0.1.0'));
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('{ "lint-staged": { "*.{png,jpg,jpeg,webp}": "pixel staged" } }');
  });
});

const PRE_COMMIT = preCommitVersion();
const NO_PRE_COMMIT = 'the pre-commit framework: SKIPPED, `pre-commit --version` failed (install it: apt-get install pre-commit, or pip install pre-commit)';
if (!PRE_COMMIT) console.warn(`test/hooks.test.ts: ${NO_PRE_COMMIT}`);
describe.skipIf(!PRE_COMMIT)(
  PRE_COMMIT
    ? `the pre-commit framework (${PRE_COMMIT}), repo: local hooks mirroring .pre-commit-hooks.yaml`
    : NO_PRE_COMMIT,
  () => {
    let dir: string;
    let preCommitEnv: Record<string, string>;
    beforeAll(() => {
      preCommitEnv = { PRE_COMMIT_HOME: tempDir('pixel-pre-commit-home-') };
      dir = repo('pixel-pre-commit-');
      writeFileSync(join(dir, '.pre-commit-config.yaml'), localConfig());
      execFileSync('pre-commit', ['install'], { cwd: dir, env: { ...env, ...preCommitEnv } });
      git(dir, 'add', '.pre-commit-config.yaml');
      git(dir, 'commit', '-qm', 'pre-commit', '--no-verify');
    });
    afterAll(() => {
      if (preCommitEnv) rmSync(preCommitEnv.PRE_COMMIT_HOME, { recursive: true, force: true });
    });

    it('pre-commit install, git commit: the pixel hook commits the outputs, pixel-check then passes', async () => {
      await expectHooksCommitArt(dir, preCommitEnv);
    });

    it('pixel-check alone (SKIP=pixel) refuses a stale output, naming it, and passes once the output is staged', async () => {
      await makePng(join(dir, 'art', 'a.png'), 7);
      git(dir, 'add', 'art/a.png');
      const head = git(dir, 'rev-parse', 'HEAD');
      const stale = await commit(dir, ['-m', 'stale'], { ...preCommitEnv, SKIP: 'pixel' });
      expect(stale.code).not.toBe(0);
      expect(stale.output).toMatch(/pixel --check \(outputs up to date\)\.+Failed/);
      expect(stale.output).toContain('STALE art/a.png -> dist/a.png: differs from the staged output');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(stagedNames(dir)).toEqual(['art/a.png']);
      // Bring the output up to date by hand, then the check alone lets the commit through.
      execFileSync(NODE, [PIXEL, 'staged'], { cwd: dir, env });
      const ok = await commit(dir, ['-m', 'fresh'], { ...preCommitEnv, SKIP: 'pixel' });
      expect(ok.output).toMatch(/pixel --check \(outputs up to date\)\.+Passed/);
      expect(ok.code).toBe(0);
      expect(committed(dir)).toEqual(['art/a.png', 'dist/a.png']);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });
  },
);

/**
 * This repository as the pre-commit framework fetches it: a git repository of the working
 * tree's files (tracked and new, not ignored: what a commit of this tree would hold).
 */
function snapshotRepo(): { dir: string; rev: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pixel-hook-repo-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const f of files.filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'snapshot');
  return { dir, rev: git(dir, 'rev-parse', 'HEAD').trim() };
}

/**
 * A project with no package.json and no node_modules (a Python project, say) using the shipped
 * hooks: pixel comes only from pre-commit's environment, and the config's import of pixel-1bit
 * must still work. `pre-commit install-hooks` does what the first commit would (clone, npm
 * install, npm pack, npm install -g); it takes minutes, so it starts before the first test of
 * this file and runs while the tests above do. It runs as its own process group, so a run that
 * ends before it does (a -t filter, a failure) stops all of it; then everything is removed.
 */
const nodeHooks: { home?: string; repo?: { dir: string; rev: string }; dir?: string; install?: ChildProcess; setup?: Promise<void> } = {};

function installHooks(cwd: string, extra: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pre-commit', ['install-hooks'], { cwd, env: { ...env, ...extra }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    nodeHooks.install = child;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      nodeHooks.install = undefined;
      if (code === 0) resolve();
      else reject(new Error(`pre-commit install-hooks exited ${code}:\n${output}`));
    });
  });
}

beforeAll(() => {
  if (!PRE_COMMIT) return;
  nodeHooks.setup = (async () => {
    nodeHooks.home = mkdtempSync(join(tmpdir(), 'pixel-pre-commit-home-'));
    nodeHooks.repo = snapshotRepo();
    const dir = (nodeHooks.dir = mkdtempSync(join(tmpdir(), 'pixel-pre-commit-node-')));
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'pixel.config.ts'), "import { defineConfig } from 'pixel-1bit';\n\nexport default defineConfig({\n  output: { dir: 'dist' },\n  rules: [{ files: 'art/**/*.png', preset: 'sprite' }],\n});\n");
    writeFileSync(join(dir, '.pre-commit-config.yaml'), remoteConfig(nodeHooks.repo.dir, nodeHooks.repo.rev));
    execFileSync('pre-commit', ['install'], { cwd: dir, env: { ...env, PRE_COMMIT_HOME: nodeHooks.home } });
    await installHooks(dir, { PRE_COMMIT_HOME: nodeHooks.home });
    git(dir, 'add', '.pre-commit-config.yaml', 'pixel.config.ts');
    git(dir, 'commit', '-qm', 'pre-commit', '--no-verify');
  })();
  nodeHooks.setup.catch(() => undefined); // reported by the beforeAll below that awaits it
});

afterAll(async () => {
  if (nodeHooks.install?.pid) process.kill(-nodeHooks.install.pid, 'SIGTERM');
  await nodeHooks.setup?.catch(() => undefined);
  for (const d of [nodeHooks.home, nodeHooks.repo?.dir, nodeHooks.dir]) if (d) rmSync(d, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!PRE_COMMIT)(
  PRE_COMMIT ? `the pre-commit framework (${PRE_COMMIT}) installs pixel from this repository (language: node)` : NO_PRE_COMMIT,
  () => {
    let dir: string;
    let preCommitEnv: Record<string, string>;
    beforeAll(async () => {
      await nodeHooks.setup;
      dir = nodeHooks.dir!;
      preCommitEnv = { PRE_COMMIT_HOME: nodeHooks.home! };
    }, 600_000);

    it('git commit: the installed pixel converts the staged images and commits the outputs, pixel-check passes', async () => {
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      await expectHooksCommitArt(dir, preCommitEnv);
    });

    it('a syntax error in pixel.config.ts refuses the commit, naming the line and column', async () => {
      writeFileSync(join(dir, 'pixel.config.ts'), readFileSync(join(dir, 'pixel.config.ts'), 'utf8').replace("output: { dir: 'dist' },", "output: { dir: 'dist' }"));
      await makePng(join(dir, 'art', 'c.png'), 3);
      git(dir, 'add', 'art', 'pixel.config.ts');
      const head = git(dir, 'rev-parse', 'HEAD');
      const r = await commit(dir, ['-m', 'broken config'], preCommitEnv);
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/pixel \(1-bit assets from staged images\)\.+Failed/);
      expect(r.output).toContain('- exit code: 78');
      expect(r.output).toContain("pixel.config.ts:5:3: ',' expected.");
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    });
  },
);

/** Stages two images and commits under pre-commit: the pixel hook commits their outputs, pixel-check passes, the tree ends clean. */
async function expectHooksCommitArt(dir: string, preCommitEnv: Record<string, string> | undefined): Promise<void> {
  const a = await makePng(join(dir, 'art', 'a.png'), 1);
  await makePng(join(dir, 'art', 'sub', 'b.png'), 2);
  git(dir, 'add', 'art');
  const r = await commit(dir, ['-m', 'art'], preCommitEnv);
  expect(r.output).toMatch(/pixel \(1-bit assets from staged images\)\.+Passed/);
  expect(r.output).toMatch(/pixel --check \(outputs up to date\)\.+Passed/);
  expect(r.code).toBe(0);
  expect(committed(dir)).toEqual(['art/a.png', 'art/sub/b.png', 'dist/a.png', 'dist/sub/b.png']);
  expect(show(dir, 'HEAD:dist/a.png').equals(await spritePng(a))).toBe(true);
  expect(git(dir, 'status', '--porcelain')).toBe('');
}
