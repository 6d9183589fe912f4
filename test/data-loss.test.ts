/**
 * Nothing lost: outputs that reach a source through a symbolic link are
 * refused (real paths are compared, not strings), and absolute globs work.
 * Sources are checksummed before and after; no temp file may remain.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng, run, tempProject } from './batch-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const dir = tempProject('pixel-dataloss-');
  dirs.push(dir);
  return dir;
}

const sum = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const temps = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe('outputs that are sources through a symbolic link', () => {
  it('refuses --out pointing at the input folder through a link, and keeps both sources', async () => {
    const dir = project();
    await makePng(join(dir, 'art', 'a.png'), 1);
    await makePng(join(dir, 'art', 'b.png'), 2);
    symlinkSync('art', join(dir, 'artlink'), 'dir');
    const before = [sum(join(dir, 'art', 'a.png')), sum(join(dir, 'art', 'b.png'))];
    const r = await run(['convert', 'art', '--out', 'artlink', '--overwrite', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FAIL  art/a.png: Output artlink/a.png would overwrite a source image (it is ${join(dir, 'art', 'a.png')} through a symbolic link)`);
    expect(r.stderr).toContain('FAIL  art/b.png: Output artlink/b.png would overwrite a source image');
    expect(r.stderr).toContain('hint: Choose another --out folder or output.name pattern.');
    expect([sum(join(dir, 'art', 'a.png')), sum(join(dir, 'art', 'b.png'))]).toEqual(before);
    expect(temps(dir)).toEqual([]);
  });

  it('refuses -o <link>/x.png when it is the source x.png', async () => {
    const dir = project();
    await makePng(join(dir, 'ow', 'x.png'), 3);
    symlinkSync('ow', join(dir, 'owlink'), 'dir');
    const before = sum(join(dir, 'ow', 'x.png'));
    const r = await run(['convert', 'ow/x.png', '-o', 'owlink/x.png', '--overwrite', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAIL  ow/x.png: Output owlink/x.png would overwrite a source image');
    expect(sum(join(dir, 'ow', 'x.png'))).toBe(before);
    expect(temps(dir)).toEqual([]);
  });

  it('still writes into a linked output folder that holds no source', async () => {
    const dir = project();
    await makePng(join(dir, 'art', 'a.png'), 1);
    mkdirSync(join(dir, 'real-out'));
    symlinkSync('real-out', join(dir, 'outlink'), 'dir');
    const r = await run(['convert', 'art', '--out', 'outlink', '-r', 'plain'], dir);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'real-out'))).toContain('a.png');
  });
});

describe('absolute globs', () => {
  it('expands an absolute pattern from its root folder', async () => {
    const dir = project();
    await makePng(join(dir, 'art', 'a.png'), 1);
    await makePng(join(dir, 'art', 'b.png'), 2);
    const r = await run(['convert', `${join(dir, 'art')}/*.png`, '--out', 'out', '-r', 'plain'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a.png', 'b.png']);
  });
});

describe('hand-edited outputs', () => {
  it('keeps an output edited since pixel wrote it, says so, and replaces it only with --overwrite', async () => {
    const dir = project();
    await makePng(join(dir, 'in', 'a.png'), 1);
    await makePng(join(dir, 'in', 'b.png'), 2);
    const conv = (...extra: string[]) => run(['convert', 'in', '--out', 'out', '--jobs', '1', '-r', 'plain', ...extra], dir);
    expect((await conv()).code).toBe(0);
    // A touch-up by hand: the output now holds other bytes.
    const edited = await makePng(join(dir, 'out', 'a.png'), 9);
    const source = sum(join(dir, 'in', 'a.png'));
    // A config change would rebuild both; the edited one is kept.
    const again = await conv('--method', 'atkinson');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skip  in/a.png: out/a.png was edited since pixel wrote it (pass --overwrite to replace it)');
    expect(again.stdout).toContain('1 converted, 1 skipped');
    expect(readFileSync(join(dir, 'out', 'a.png'))).toEqual(edited);
    expect(sum(join(dir, 'in', 'a.png'))).toBe(source);
    // --force rebuilds what is pixel's own, still not the edit.
    expect((await conv('--method', 'atkinson', '--force')).stdout).toContain('was edited since pixel wrote it');
    expect(readFileSync(join(dir, 'out', 'a.png'))).toEqual(edited);
    const replaced = await conv('--overwrite');
    expect(replaced.stdout).toContain('2 converted');
    expect(readFileSync(join(dir, 'out', 'a.png'))).not.toEqual(edited);
    expect(temps(dir)).toEqual([]);
  });
});
