/**
 * Two sources, one output: refused when the batch is planned (convert and
 * staged alike), so neither output replaces the other. Outputs whose source
 * is deleted: `pixel staged` removes them and stages the removal, `--check`
 * reports them. Checksums before and after; no temp file may remain.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedProject, git, makePng, run, tempProject } from './batch-helpers.js';

const sum = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const temps = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe('pixel convert: two inputs, one output', () => {
  it('is refused before anything is converted, naming the output and both inputs (also with --dry-run)', async () => {
    const dir = tempProject('pixel-collide-');
    await makePng(join(dir, 'art', 'dog.png'), 1);
    await makePng(join(dir, 'photos', 'dog.png'), 2);
    await makePng(join(dir, 'art', 'cat.png'), 3);
    const before = ['art/dog.png', 'photos/dog.png'].map((f) => sum(join(dir, f)));
    for (const extra of [[], ['--dry-run'], ['--overwrite']]) {
      const r = await run(['convert', 'art', 'photos', '--out', 'dist', '-r', 'plain', ...extra], dir);
      expect(r.code).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        [
          'pixel: One output would be written by several inputs, each replacing the last; nothing was converted',
          '  - dist/dog.png <- art/dog.png, photos/dog.png',
          '  hint: Give each input its own output: convert their common parent folder (the folder names are kept below --out), or convert them in separate runs with different --out folders.',
          '',
        ].join('\n'),
      );
    }
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(['art/dog.png', 'photos/dog.png'].map((f) => sum(join(dir, f)))).toEqual(before);
    expect(temps(dir)).toEqual([]);
    // The hint works: the common parent keeps the folders apart.
    const fixed = await run(['convert', '.', '--out', 'dist', '-r', 'plain'], dir);
    expect(fixed.code).toBe(0);
    expect(readdirSync(join(dir, 'dist'), { recursive: true }).map(String).sort()).toEqual(['art', 'art/cat.png', 'art/dog.png', 'photos', 'photos/dog.png']);
  });
});

const CONFIG = `export default {
  output: { dir: 'dist' },
  rules: [{ files: 'art/**/*.png', preset: 'sprite' }, { files: 'photos/**/*.png', preset: 'sprite' }],
};\n`;

const repo = (): string => committedProject(CONFIG, 'pixel-staged-collide-');

describe('pixel staged', () => {
  it("refuses a staged source whose output is a committed source's output; the committed output is kept", async () => {
    const dir = repo();
    await makePng(join(dir, 'art', 'dog.png'), 1);
    git(dir, 'add', 'art');
    expect((await run(['staged'], dir)).code).toBe(0);
    git(dir, 'commit', '-qm', 'art');
    const output = sum(join(dir, 'dist', 'dog.png'));
    const indexed = git(dir, 'ls-files', '-s', 'dist/dog.png');

    await makePng(join(dir, 'photos', 'dog.png'), 2);
    git(dir, 'add', 'photos');
    for (const args of [['staged'], ['staged', '--check'], ['staged', '--check', '--all']]) {
      const r = await run(args, dir);
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('pixel: pixel.config.mjs: One output would be written by several inputs, each replacing the last; nothing was converted\n  - dist/dog.png <- art/dog.png, photos/dog.png\n');
      expect(r.stderr).toContain("hint: Give the rules different output folders (rules[i].output.dir) or names (rules[i].output.name, e.g. '[dir]/[name]-[srcext].[ext]'), or rename one of the sources.");
    }
    expect(sum(join(dir, 'dist', 'dog.png'))).toBe(output);
    expect(git(dir, 'ls-files', '-s', 'dist/dog.png')).toBe(indexed);
    expect(temps(dir)).toEqual([]);
  });

  it('removes the output of a deleted or renamed source and stages the removal; --check reports it first', async () => {
    const dir = repo();
    await makePng(join(dir, 'art', 'cat.png'), 1);
    await makePng(join(dir, 'art', 'dog.png'), 2);
    git(dir, 'add', 'art');
    await run(['staged'], dir);
    git(dir, 'commit', '-qm', 'art');

    git(dir, 'rm', '-q', 'art/cat.png');
    git(dir, 'mv', 'art/dog.png', 'art/puppy.png');
    const check = await run(['staged', '--check', '-r', 'plain'], dir);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('STALE dist/cat.png: orphan: its source art/cat.png is deleted in this commit (pixel staged removes it, or git rm it)');
    expect(check.stderr).toContain('STALE dist/dog.png: orphan: its source art/dog.png is deleted in this commit');
    expect(git(dir, 'ls-files', 'dist').split('\n').filter(Boolean).sort()).toEqual(['dist/cat.png', 'dist/dog.png']);

    const r = await run(['staged', '-r', 'plain'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    art/puppy.png -> dist/puppy.png');
    expect(r.stdout).toContain('rm    dist/cat.png: its source art/cat.png is deleted in this commit; removed, and the removal staged');
    expect(r.stdout).toContain('1 converted, 0 skipped, 0 failed, 2 removed');
    expect(git(dir, 'ls-files', 'dist').split('\n').filter(Boolean)).toEqual(['dist/puppy.png']);
    expect(readdirSync(join(dir, 'dist'))).toEqual(['puppy.png']);
    expect((await run(['staged', '--check', '--all'], dir)).code).toBe(0);
  });

  it('keeps an orphaned output that was edited by hand, and says so', async () => {
    const dir = repo();
    await makePng(join(dir, 'art', 'cat.png'), 1);
    git(dir, 'add', 'art');
    await run(['staged'], dir);
    git(dir, 'commit', '-qm', 'art');
    const edited = await makePng(join(dir, 'dist', 'cat.png'), 7);
    git(dir, 'rm', '-q', 'art/cat.png');
    const r = await run(['staged', '-r', 'plain'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skip  dist/cat.png: orphan (its source art/cat.png is deleted in this commit) with changes that are not staged: kept; git rm it yourself');
    expect(readFileSync(join(dir, 'dist', 'cat.png'))).toEqual(edited);
    expect(git(dir, 'ls-files', 'dist')).toBe('dist/cat.png\n');
  });

  it('--check --all reports every committed output that no source produces', async () => {
    const dir = repo();
    await makePng(join(dir, 'art', 'cat.png'), 1);
    git(dir, 'add', 'art');
    await run(['staged'], dir);
    await makePng(join(dir, 'dist', 'old.png'), 3);
    writeFileSync(join(dir, 'dist', 'README.md'), 'not an output\n');
    git(dir, 'add', 'dist');
    git(dir, 'commit', '-qm', 'art', '--no-verify');
    const r = await run(['staged', '--check', '--all', '-r', 'plain'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('STALE dist/old.png: orphan: no tracked source produces it any more (pixel staged removes it, or git rm it)\n');
    expect(r.stdout).toContain('same  art/cat.png -> dist/cat.png (unchanged)');
  });
});
