/** `pixel staged` end to end, in temporary git repositories (never the working tree). */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../src/convert.js';
import { blobOid } from '../src/files/git.js';
import { committedProject, git, gitEnv, makePng, ROOT, run, tempProject } from './batch-helpers.js';

const stagedNames = (cwd: string) => git(cwd, 'diff', '--staged', '--name-only').split('\n').filter(Boolean).sort();

const CONFIG = `export default {
  output: { dir: 'dist' },
  rules: [{ files: 'art/**/*.png', preset: 'sprite' }],
};\n`;

const repo = (): string => committedProject(CONFIG, 'pixel-staged-');

describe('pixel staged', () => {
  it('outside a git repository: a clear usage error', async () => {
    const dir = tempProject();
    const r = await run(['staged'], dir);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Not inside a git repository');
    expect(r.stderr).toContain('hint: pixel staged converts the files staged for the next commit');
  });

  it('nothing staged, nothing matching, PIXEL=0: one info line, exit 0', async () => {
    const dir = repo();
    expect(await run(['staged'], dir)).toEqual({ code: 0, stdout: 'pixel: nothing staged\n', stderr: '' });
    await makePng(join(dir, 'other', 'c.png'));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    git(dir, 'add', 'other/c.png', 'notes.txt');
    expect(await run(['staged'], dir)).toEqual({ code: 0, stdout: "pixel: no staged image matches the config's rules\n", stderr: '' });
    git(dir, 'reset', '-q', 'other/c.png');
    expect((await run(['staged'], dir)).stdout).toBe('pixel: no staged images\n');
    expect(await run(['staged'], dir, { env: { PIXEL: '0' } })).toEqual({ code: 0, stdout: 'pixel: PIXEL=0, skipping pixel staged\n', stderr: '' });
  });

  describe('converting', () => {
    let dir: string;
    let stagedA: Buffer;
    beforeAll(async () => {
      dir = repo();
      stagedA = await makePng(join(dir, 'art', 'a.png'), 1);
      await makePng(join(dir, 'art', 'sub', 'b.png'), 2);
      await makePng(join(dir, 'other', 'c.png'), 3);
      symlinkSync('a.png', join(dir, 'art', 'link.png'));
      git(dir, 'add', 'art', 'other');
      // The working tree changes after staging: the staged content is what gets converted.
      await makePng(join(dir, 'art', 'a.png'), 9);
    });

    it('converts the staged images the rules select, from staged content, and stages the outputs', async () => {
      const r = await run(['staged', '--jobs', '1'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ok {4}art\/a\.png -> dist\/a\.png .*\nok {4}art\/sub\/b\.png -> dist\/sub\/b\.png .*\n2 converted, 0 skipped, 0 failed in [\d.]+ s\n$/);
      expect(stagedNames(dir)).toEqual(['art/a.png', 'art/link.png', 'art/sub/b.png', 'dist/a.png', 'dist/sub/b.png', 'other/c.png']);
      expect(existsSync(join(dir, 'dist', 'link.png'))).toBe(false); // symlinks are not converted
      expect(existsSync(join(dir, 'dist', 'c.png'))).toBe(false); // no rule matches other/
      const expected = await convert(stagedA, { preset: 'sprite' });
      expect(readFileSync(join(dir, 'dist', 'a.png')).equals(expected.data)).toBe(true);
      // What is staged is what was written.
      expect(git(dir, 'ls-files', '-s', 'dist/a.png')).toContain(blobOid(expected.data));
    });

    it('a second run changes nothing', async () => {
      const before = git(dir, 'status', '--porcelain');
      const r = await run(['staged', '--jobs', '2'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('same  art/a.png -> dist/a.png (unchanged)');
      expect(r.stdout).toContain('0 converted, 2 unchanged, 0 skipped, 0 failed');
      expect(git(dir, 'status', '--porcelain')).toBe(before);
    });

    it('--check writes nothing and exits 2 listing a stale output; then a run fixes it', async () => {
      await makePng(join(dir, 'art', 'sub', 'b.png'), 5);
      git(dir, 'add', 'art/sub/b.png');
      const before = readFileSync(join(dir, 'dist', 'sub', 'b.png'));
      const r = await run(['staged', '--check'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('STALE art/sub/b.png -> dist/sub/b.png: differs from the staged output');
      expect(r.stdout).toContain('0 converted, 1 unchanged, 0 skipped, 0 failed, 1 stale');
      expect(readFileSync(join(dir, 'dist', 'sub', 'b.png')).equals(before)).toBe(true);
      expect((await run(['staged'], dir)).stdout).toContain('1 converted, 1 unchanged');
      expect((await run(['staged', '--check'], dir)).code).toBe(0);
    });

    it('--check names an output that is not staged at all as missing', async () => {
      git(dir, 'rm', '-q', '--cached', 'dist/a.png');
      const r = await run(['staged', '--check', '--reporter', 'json'], dir);
      expect(r.code).toBe(2);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ type: 'file', input: 'art/a.png', status: 'stale', reason: 'not staged: dist/a.png' });
      expect(lines.at(-1)).toMatchObject({ type: 'summary', stale: 1, unchanged: 1 });
      git(dir, 'add', 'dist/a.png');
    });

    it('file arguments (lint-staged) narrow the staged set', async () => {
      await makePng(join(dir, 'art', 'sub', 'b.png'), 6);
      await makePng(join(dir, 'art', 'a2.png'), 7);
      git(dir, 'add', 'art');
      const r = await run(['staged', 'art/a2.png'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('ok    art/a2.png -> dist/a2.png');
      expect(r.stdout).toContain('1 converted, 0 skipped');
    });

    it('a corrupt staged image fails with a clear message while the others convert', async () => {
      writeFileSync(join(dir, 'art', 'broken.png'), 'not a png at all');
      git(dir, 'add', 'art/broken.png');
      const r = await run(['staged', '--jobs', '2'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/FAIL {2}.*art\/broken\.png: /);
      expect(r.stderr).toContain('Failed:\n  art/broken.png: ');
      // (the previous test staged new content for a.png and b.png)
      expect(r.stdout).toContain('2 converted, 1 unchanged, 0 skipped, 1 failed');
      expect(stagedNames(dir)).toContain('dist/sub/b.png');
      expect(existsSync(join(dir, 'dist', 'broken.png'))).toBe(false);
      git(dir, 'rm', '-q', '--cached', 'art/broken.png');
    });
  });

  it('as a real pre-commit hook (husky style): the outputs land in the same commit', async () => {
    const bin = join(ROOT, 'bin', 'pixel.js');
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) return; // needs `npm run build` (npm test does it)
    const dir = repo();
    mkdirSync(join(dir, '.husky'));
    // What husky runs: a shell script in core.hooksPath. `pixel staged` also sees GIT_INDEX_FILE here.
    writeFileSync(join(dir, '.husky', 'pre-commit'), `#!/bin/sh\n"${process.execPath}" "${bin}" staged\n`);
    chmodSync(join(dir, '.husky', 'pre-commit'), 0o755);
    git(dir, 'config', 'core.hooksPath', '.husky');
    git(dir, 'add', '.husky');
    git(dir, 'commit', '-qm', 'hook', '--no-verify');
    await makePng(join(dir, 'art', 'x.png'), 4);
    git(dir, 'add', 'art/x.png');
    const commit = await promisify(execFile)('git', ['commit', '-m', 'art'], { cwd: dir, env: gitEnv });
    expect(commit.stdout + commit.stderr).toMatch(/ok {4}art\/x\.png -> dist\/x\.png/);
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort()).toEqual(['art/x.png', 'dist/x.png']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    // PIXEL=0 skips the step (husky's own switch is HUSKY=0).
    await makePng(join(dir, 'art', 'y.png'), 8);
    git(dir, 'add', 'art/y.png');
    await promisify(execFile)('git', ['commit', '-qm', 'skip'], { cwd: dir, env: { ...gitEnv, PIXEL: '0' } as NodeJS.ProcessEnv });
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('art/y.png');
  });
});
