/**
 * Inputs that exist but are not images pixel can read: each is one failed
 * file with its own message (what it is, and the fix), the rest of the batch
 * converts, no source changes and no temp file is left. Also: names that are
 * not UTF-8, HEIC that this sharp cannot decode, and the failure summary's text.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lchownSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureReason } from '../src/cli/reporters/plain.js';
import { IMAGE_EXTENSIONS } from '../src/files/inputs.js';
import { cleanEnv, makePng, ROOT, run, tempProject } from './batch-helpers.js';
import { tempDir } from './temp.js';

const BIN = join(ROOT, 'bin', 'pixel.js');
const project = () => tempProject('pixel-inputs-');

const sum = (path: string | Buffer) => createHash('sha256').update(readFileSync(path)).digest('hex');
const temps = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

/** A folder with one good image and one of every odd filesystem object, named like images. */
async function oddFolder(dir: string): Promise<string> {
  const png = await makePng(join(dir, 'in', 'a.png'), 1);
  symlinkSync('/dev/null', join(dir, 'in', 'device.png')); // a link to a device
  symlinkSync('missing.png', join(dir, 'in', 'broken.png'));
  symlinkSync('loop-b.png', join(dir, 'in', 'loop-a.png'));
  symlinkSync('loop-a.png', join(dir, 'in', 'loop-b.png'));
  if (hasMkfifo) spawnSync('mkfifo', [join(dir, 'in', 'pipe.png')]);
  return createHash('sha256').update(png).digest('hex');
}

const MESSAGES = {
  'device.png': ['Expected an image file but found a character device', 'hint: pixel reads image files; save the stream or device contents to a file and convert that.'],
  'broken.png': ['Broken symbolic link: its target missing.png does not exist', 'hint: Fix the link (ln -sf <image> <link>) or remove it.'],
  'loop-a.png': ['Symbolic link loop: the link leads back to itself', 'hint: Point the link at an image file (ls -l shows where it leads), or remove it.'],
  'pipe.png': ['Expected an image file but found a named pipe (FIFO)', 'hint: pixel reads image files; save the stream or device contents to a file and convert that.'],
};

describe('odd filesystem objects', () => {
  it('in a folder: each fails with what it is and the fix, the image converts', async () => {
    const dir = project();
    const before = await oddFolder(dir);
    const r = await run(['convert', 'in', '--out', 'out', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ok    in/a.png -> out/a.png');
    for (const [name, [message, hint]] of Object.entries(MESSAGES)) {
      if (name === 'pipe.png' && !hasMkfifo) continue;
      expect(r.stderr).toContain(`FAIL  in/${name}: ${message}\n        ${hint}`);
      // The summary repeats the problem, not garbled.
      expect(r.stderr).toContain(`\n  in/${name}: ${message}\n`);
    }
    expect(r.stdout).toContain(`1 converted, 0 skipped, ${hasMkfifo ? 5 : 4} failed`);
    expect(readdirSync(join(dir, 'out'))).toEqual(['a.png']);
    expect(sum(join(dir, 'in', 'a.png'))).toBe(before);
    expect(temps(dir)).toEqual([]);
  });

  it.each(Object.keys(MESSAGES))('named on the command line: %s fails with its own message, the other input converts', async (name) => {
    if (name === 'pipe.png' && !hasMkfifo) return console.warn('skipped: no mkfifo here');
    const dir = project();
    const before = await oddFolder(dir);
    const r = await run(['convert', `in/${name}`, 'in/a.png', '--out', 'out', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    const [message, hint] = MESSAGES[name as keyof typeof MESSAGES];
    expect(r.stderr).toContain(`FAIL  in/${name}: ${message}\n        ${hint}`);
    expect(r.stderr).not.toContain('Input not found');
    expect(r.stdout).toContain('1 converted, 0 skipped, 1 failed');
    expect(sum(join(dir, 'in', 'a.png'))).toBe(before);
    expect(temps(dir)).toEqual([]);
  });

  it('a path that names nothing is still a usage error (a typo), before anything is converted', async () => {
    const dir = project();
    await makePng(join(dir, 'in', 'a.png'), 1);
    const r = await run(['convert', 'in/a.png', 'in/typo.png', '--out', 'out', '-r', 'plain'], dir);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Input not found: in/typo.png');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('permissions', () => {
  // Root reads every folder, so as root the CLI runs as another user (uid 65534, "nobody") to meet a real EACCES.
  const root = process.getuid?.() === 0;
  const canTest = process.platform !== 'win32' && process.getuid !== undefined;

  it.skipIf(!canTest)('an unreadable subfolder and an unreadable file fail on their own; the batch converts the rest', async () => {
    // A plain folder, no link to this repository: ownership is handed to the other user below.
    const dir = tempDir('pixel-perm-');
    await makePng(join(dir, 'art', 'a.png'), 1);
    await makePng(join(dir, 'art', 'private', 'b.png'), 2);
    await makePng(join(dir, 'art', 'z.png'), 3);
    await makePng(join(dir, 'art', 'locked.png'), 4);
    const sums = ['a.png', 'z.png'].map((f) => sum(join(dir, 'art', f)));
    let code: number | null;
    let stdout = '';
    let stderr = '';
    if (root) {
      // lchown, and a walk that never follows a link: nothing outside the project changes owner.
      const walk = (d: string): string[] => [d, ...readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]))];
      for (const p of walk(dir)) lchownSync(p, 65534, 65534);
      chmodSync(dir, 0o755);
    }
    chmodSync(join(dir, 'art', 'private'), 0o000);
    chmodSync(join(dir, 'art', 'locked.png'), 0o000);
    if (root) {
      const child = spawn(process.execPath, [BIN, 'convert', 'art', '--out', 'out', '-r', 'plain', '--jobs', '1'], { cwd: dir, env: { ...cleanEnv(), HOME: dir }, uid: 65534, gid: 65534 });
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      code = await new Promise((done) => child.on('exit', (c) => done(c)));
    } else {
      ({ code, stdout, stderr } = await run(['convert', 'art', '--out', 'out', '-r', 'plain', '--jobs', '1'], dir));
    }
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    expect(stdout).toContain('ok    art/a.png -> out/a.png');
    expect(stdout).toContain('ok    art/z.png -> out/z.png');
    expect(stderr).toContain(
      'FAIL  art/private: Cannot read this folder (permission denied): the images in it were not converted\n        hint: Give yourself read access (chmod +rx on the folder), or leave it out of the inputs.',
    );
    expect(stderr).toContain('FAIL  art/locked.png: Permission denied: the file cannot be read\n        hint: Give yourself read access (chmod +r), or leave the file out of the inputs.');
    expect(stdout).toContain('2 converted, 0 skipped, 2 failed');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a.png', 'z.png']);
    expect(['a.png', 'z.png'].map((f) => sum(join(dir, 'art', f)))).toEqual(sums);
    expect(temps(dir)).toEqual([]);
  });
});

describe('file names that are not UTF-8', () => {
  // "café.png" in Latin-1: the byte E9 is not UTF-8 on its own.
  const latin1 = (dir: string, name: string) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name, 'latin1')]);

  it('are converted from a folder; messages and output names write the byte as %E9', async () => {
    const dir = project();
    const png = await makePng(join(dir, 'x.png'), 5);
    mkdirSync(join(dir, 'in'));
    writeFileSync(latin1(join(dir, 'in'), 'caf\u00e9.png'), png);
    writeFileSync(latin1(join(dir, 'in'), 'caf\u00e8.png'), png); // decodes to the same text as the first
    writeFileSync(latin1(join(dir, 'in'), 'bad\u00e9.png'), 'not an image');
    // A folder whose name is not UTF-8 is walked by its bytes too.
    mkdirSync(latin1(join(dir, 'in'), 'f\u00f6lder'));
    writeFileSync(Buffer.concat([latin1(join(dir, 'in'), 'f\u00f6lder'), Buffer.from('/a.png')]), png);
    const r = await run(['convert', 'in', '--out', 'out', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ok    in/caf%E9.png -> out/caf%E9.png');
    expect(r.stdout).toContain('ok    in/caf%E8.png -> out/caf%E8.png');
    expect(r.stderr).toContain('FAIL  in/bad%E9.png: Not an image, or an unsupported image format\n        hint: pixel reads PNG, JPEG, WebP, AVIF, TIFF, GIF and SVG\n');
    // The summary line is the reason as is, without a garbled path in front.
    expect(r.stderr).toContain('\nFailed:\n  in/bad%E9.png: Not an image, or an unsupported image format\n');
    expect(r.stderr).not.toContain('\uFFFD');
    expect(r.stdout).toContain('ok    in/f%F6lder/a.png -> out/f%F6lder/a.png');
    expect(readdirSync(join(dir, 'out'), { recursive: true }).map(String).sort()).toEqual(['caf%E8.png', 'caf%E9.png', 'f%F6lder', 'f%F6lder/a.png']);
    expect(sum(latin1(join(dir, 'in'), 'caf\u00e9.png'))).toBe(createHash('sha256').update(png).digest('hex'));
    expect(sum(latin1(join(dir, 'in'), 'caf\u00e8.png'))).toBe(createHash('sha256').update(png).digest('hex'));
    expect(temps(dir)).toEqual([]);
  });

  it('are converted when named on the command line (Node hands the name over with U+FFFD)', async () => {
    const dir = project();
    const png = await makePng(join(dir, 'x.png'), 6);
    mkdirSync(join(dir, 'in'));
    writeFileSync(latin1(join(dir, 'in'), 'na\u00efve.png'), png);
    const r = await run(['convert', 'in/na\uFFFDve.png', '-o', 'out.png', '-r', 'plain'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    in/na%EFve.png -> out.png');
    expect(readFileSync(join(dir, 'out.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(sum(latin1(join(dir, 'in'), 'na\u00efve.png'))).toBe(createHash('sha256').update(png).digest('hex'));
    expect(temps(dir)).toEqual([]);
  });
});

describe('formats this build of sharp cannot decode', () => {
  // The start of a HEIC file: an ISO-BMFF 'ftyp' box with the HEVC brand 'heic' (the rest does not matter here).
  const heicHeader = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);

  it.skipIf(IMAGE_EXTENSIONS.includes('heic'))('HEIC is left out of folder scans with a note, refused by name with the fix; a mislabelled PNG still converts', async () => {
    const dir = project();
    await makePng(join(dir, 'in', 'a.png'), 1);
    writeFileSync(join(dir, 'in', 'photo.heic'), heicHeader);
    writeFileSync(join(dir, 'in', 'photo2.HEIC'), heicHeader);
    await makePng(join(dir, 'in', 'really-png.heic'), 2);
    const scan = await run(['convert', 'in', '--out', 'out', '-r', 'plain'], dir);
    expect(scan.code).toBe(0);
    expect(scan.stderr).toBe(
      'pixel: note: left out 2 HEIC files in in: this build of sharp cannot decode HEIC (convert them to PNG or JPEG first). pixel reads png, jpg, webp, avif, tiff, gif, svg.\n',
    );
    expect(scan.stdout).toContain('2 converted, 0 skipped, 0 failed');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a.png', 'really-png.png']);

    const named = await run(['convert', 'in/photo.heic', '-o', 'p.png', '-r', 'plain'], dir);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(
      'FAIL  in/photo.heic: HEIC images cannot be decoded by this build of sharp (its libvips has no HEVC decoder)\n        hint: Convert it to PNG or JPEG first (heif-convert photo.heic photo.png; on a Mac, sips -s format png). pixel reads png, jpg, webp, avif, tiff, gif, svg.',
    );
    expect(named.stderr).not.toContain('bad seek');
    expect(readFileSync(join(dir, 'in', 'photo.heic'))).toEqual(heicHeader);
    expect(temps(dir)).toEqual([]);

    rmSync(join(dir, 'in', 'a.png'));
    rmSync(join(dir, 'in', 'really-png.heic'));
    const only = await run(['convert', 'in', '--out', 'out2'], dir);
    expect(only.code).toBe(64);
    expect(only.stderr).toContain('No images found in folder in: only HEIC files, which this build of sharp cannot decode (convert them to PNG or JPEG first)');
  });
});

describe('pixel staged and formats it cannot decode', () => {
  const heicHeader = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
  const env = cleanEnv({ GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: env as NodeJS.ProcessEnv }).toString();

  it.skipIf(IMAGE_EXTENSIONS.includes('heic'))('a staged HEIC the rules select fails with the fix; the other image is converted and staged', async () => {
    const dir = project();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'pixel.config.mjs'), "export default { output: { dir: 'dist' }, rules: [{ files: 'art/**/*', preset: 'sprite' }] };\n");
    await makePng(join(dir, 'art', 'a.png'), 1);
    writeFileSync(join(dir, 'art', 'photo.heic'), heicHeader);
    git(dir, 'add', 'art', 'pixel.config.mjs');
    const r = await run(['staged', '-r', 'plain'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ok    art/a.png -> dist/a.png');
    expect(r.stderr).toContain('FAIL  art/photo.heic: HEIC images cannot be decoded by this build of sharp (its libvips has no HEVC decoder)\n        hint: Convert it to PNG or JPEG first');
    expect(git(dir, 'diff', '--staged', '--name-only').split('\n').filter(Boolean).sort()).toEqual(['art/a.png', 'art/photo.heic', 'dist/a.png', 'pixel.config.mjs']);
  });
});

describe('failure summary', () => {
  it('removes only the location in front, never a piece of a longer path', () => {
    expect(failureReason({ input: 'bad/x.png', status: 'failed', reason: '[decode] bad/x.png: Not an image\n  hint: h' })).toBe('[decode] Not an image');
    expect(failureReason({ input: 'bad/x.png', status: 'failed', reason: '/home/u/bad/x.png: File not found' })).toBe('/home/u/bad/x.png: File not found');
    expect(failureReason({ input: 'x.png', status: 'failed', reason: 'x.png: Output y.png is also x.png: it' })).toBe('Output y.png is also x.png: it');
  });
});
