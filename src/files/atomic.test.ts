import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejection } from '../../test/helpers.js';
import { tempPathFor, writeFileAtomic } from './atomic.js';

// Lets a test make one fs call fail after the temp file exists, to prove cleanup.
const failures = vi.hoisted(() => ({ rename: undefined as NodeJS.ErrnoException | undefined, link: undefined as NodeJS.ErrnoException | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: (...args: Parameters<typeof real.rename>) => (failures.rename ? Promise.reject(failures.rename) : real.rename(...args)),
    link: (...args: Parameters<typeof real.link>) => (failures.link ? Promise.reject(failures.link) : real.link(...args)),
  };
});

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pixel-atomic-'));
  failures.rename = undefined;
  failures.link = undefined;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tempFiles = (folder = dir) => readdirSync(folder).filter((n) => n.endsWith('.tmp'));


describe('writeFileAtomic', () => {
  it('writes a new file, creating parent folders, and leaves no temp file', async () => {
    const target = join(dir, 'a', 'b', 'out.png');
    await writeFileAtomic(target, Buffer.from('hello'), { overwrite: false });
    expect(readFileSync(target, 'utf8')).toBe('hello');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.png']);
  });

  it('refuses to replace an existing file without overwrite, and keeps it intact', async () => {
    const target = join(dir, 'out.png');
    writeFileSync(target, 'old');
    const e = await rejection(writeFileAtomic(target, Buffer.from('new'), { overwrite: false }));
    expect(e.code).toBe('E_OUTPUT');
    expect(e.message).toBe('The output file already exists');
    expect(e.file).toBe(target);
    expect(e.hint).toContain('--overwrite');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(tempFiles()).toEqual([]);
  });

  it('replaces an existing file with overwrite', async () => {
    const target = join(dir, 'out.png');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, Buffer.from('new'), { overwrite: true });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out.png']);
  });

  it('a file appearing between the check and the write is not clobbered (race), and the temp file is removed', async () => {
    const target = join(dir, 'out.png');
    failures.link = errno('EEXIST');
    const e = await rejection(writeFileAtomic(target, Buffer.from('new'), { overwrite: false }));
    expect(e.message).toBe('The output file already exists');
    expect(existsSync(target)).toBe(false);
    expect(tempFiles()).toEqual([]);
  });

  it('falls back to check-and-rename where hard links are not supported', async () => {
    const target = join(dir, 'out.png');
    failures.link = errno('EPERM');
    await writeFileAtomic(target, Buffer.from('x'), { overwrite: false });
    expect(readFileSync(target, 'utf8')).toBe('x');
    expect(readdirSync(dir)).toEqual(['out.png']);
  });

  it.each([
    ['ENOSPC', 'Cannot write the output file: the disk is full (ENOSPC)'],
    ['EACCES', 'Cannot write the output file: permission denied (EACCES)'],
    ['EIO', 'Cannot write the output file: EIO: simulated (EIO)'],
  ])('a failing rename (%s) leaves no temp file and no target', async (code, message) => {
    const target = join(dir, 'out.png');
    failures.rename = errno(code);
    const e = await rejection(writeFileAtomic(target, Buffer.from('data'), { overwrite: true }));
    expect(e.code).toBe('E_OUTPUT');
    expect(e.message).toBe(message);
    expect(e.file).toBe(target);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failing link leaves no temp file', async () => {
    failures.link = errno('EIO');
    await rejection(writeFileAtomic(join(dir, 'out.png'), Buffer.from('data'), { overwrite: false }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a target that is a folder is an E_OUTPUT error, with or without overwrite', async () => {
    const target = join(dir, 'out.png');
    mkdirSync(target);
    for (const overwrite of [true, false]) {
      const e = await rejection(writeFileAtomic(target, Buffer.from('x'), { overwrite }));
      expect(e.code).toBe('E_OUTPUT');
      expect(e.message).toBe('Cannot write the output file: a folder has that name (EISDIR)');
    }
    expect(tempFiles()).toEqual([]);
  });

  it('a parent path that is a file is an E_OUTPUT error', async () => {
    writeFileSync(join(dir, 'file'), '');
    const e = await rejection(writeFileAtomic(join(dir, 'file', 'out.png'), Buffer.from('x'), { overwrite: true }));
    expect(e.code).toBe('E_OUTPUT');
    expect(e.message).toMatch(/^Cannot write the output file: part of the path is a file, not a folder \((ENOTDIR|EEXIST)\)$/);
  });

  it('temp files sit beside the target with a hidden, unique name', () => {
    const a = tempPathFor(join(dir, 'out.png'));
    const b = tempPathFor(join(dir, 'out.png'));
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, `.out.png.${process.pid}.`))).toBe(true);
    expect(a.endsWith('.tmp')).toBe(true);
  });

  it('parallel writers to one target without overwrite: exactly one wins', async () => {
    const target = join(dir, 'out.png');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => writeFileAtomic(target, Buffer.from(String(i)), { overwrite: false })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['out.png']);
  });
});

describe('exit during a write', () => {
  it('removes the temp file when the process exits mid-write', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pixel-exit-'));
    const script = `
      import { readdirSync } from 'node:fs';
      import { writeFileAtomic } from ${JSON.stringify(new URL('./atomic.ts', import.meta.url).href)};
      const big = new Uint8Array(256 * 1024 * 1024);
      writeFileAtomic(${JSON.stringify(join(dir, 'out.png'))}, big, { overwrite: false });
      // Exit as soon as the temp file exists, while it is still being written.
      setInterval(() => { if (readdirSync(${JSON.stringify(dir)}).some((f) => f.endsWith('.tmp'))) process.exit(130); }, 1);
    `;
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(status, 'the child exited mid-write').toBe(130);
    expect(left).toEqual([]);
  });
});
