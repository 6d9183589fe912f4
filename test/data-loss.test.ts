/**
 * Nothing lost: outputs that reach a source through a symbolic link are
 * refused (real paths are compared, not strings), and absolute globs work.
 * Sources are checksummed before and after; no temp file may remain.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, makePng, ROOT, run, tempProject } from './batch-helpers.js';

const BIN = join(ROOT, 'bin', 'pixel.js');

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

describe('temp files', () => {
  it('a run removes stale temp files of its own pattern whose process is gone, and leaves others', async () => {
    const dir = project();
    await makePng(join(dir, 'in', 'a.png'), 1);
    mkdirSync(join(dir, 'out'));
    // A pid that surely is not running: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = join(dir, 'out', `.a.png.${gone}.0123456789ab.tmp`);
    const living = join(dir, 'out', `.b.png.${process.pid}.0123456789ab.tmp`);
    const foreign = join(dir, 'out', 'notes.tmp');
    for (const f of [stale, living, foreign]) writeFileSync(f, 'x');
    expect((await run(['convert', 'in', '--out', 'out', '-r', 'plain'], dir)).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(living)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('%s cancels like Ctrl-C: non-zero exit, whole outputs only, no temp file', async (signal) => {
    const dir = project();
    for (let i = 0; i < 12; i++) await makePng(join(dir, 'in', `f${i}.png`), i + 1, 640, 480);
    const child = spawn(process.execPath, [BIN, 'convert', 'in', '--out', 'out', '--jobs', '1', '-r', 'plain', '--method', 'dbs'], { cwd: dir, env: cleanEnv() });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!sent && out.includes('ok ')) sent = child.kill(signal);
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(temps(dir)).toEqual([]);
    for (const f of readdirSync(join(dir, 'out'))) expect(readFileSync(join(dir, 'out', f)).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('output piped into a reader that stops early', () => {
  it('exits quietly on EPIPE and still saves the cache manifest', async () => {
    const dir = project();
    for (let i = 0; i < 6; i++) await makePng(join(dir, 'in', `f${i}.png`), i + 1);
    const child = spawn(process.execPath, [BIN, 'convert', 'in', '--out', 'out', '--jobs', '1', '-r', 'json'], { cwd: dir, env: cleanEnv() });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // Like `| head -1`: read the first line, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(err).not.toContain('internal error');
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, '.pixel-cache', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.entries)).toHaveLength(6);
    // The next run knows the outputs as pixel's own: unchanged, not "exists".
    expect((await run(['convert', 'in', '--out', 'out', '-r', 'plain'], dir)).stdout).toContain('0 converted, 6 unchanged');
  });

  it('pixel presets --details | head: no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'presets', '--details'], { env: cleanEnv() });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
