/**
 * Atomic file writes: the data goes to a temp file in the target's folder
 * (same filesystem, so the final step is a rename), then replaces the target
 * in one step. A reader never sees a half-written output, and an interrupted
 * run leaves either the old file or the new one, never a mix.
 *
 * Without `overwrite`, the temp file is hard-linked to the target name, which
 * fails atomically if the target exists (no check-then-write race between
 * parallel workers); filesystems without hard links fall back to a check and
 * a rename.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { link, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PixelError } from '../pipeline/errors.js';

export interface WriteOptions {
  /** Replace an existing file (default: refuse, with an E_OUTPUT error). */
  overwrite: boolean;
}

/** The temp name used for `path`: `.<base>.<pid>.<random>.tmp` in the same folder. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function exists(path: string): PixelError {
  return new PixelError('E_OUTPUT', 'The output file already exists', {
    file: path,
    hint: 'Pass --overwrite (or set overwrite: true) to replace it, or choose another output folder',
  });
}

function cannotWrite(path: string, error: unknown): PixelError {
  if (error instanceof PixelError) return error;
  const e = error as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'a folder has that name',
    ENOTDIR: 'part of the path is a file, not a folder',
    EEXIST: 'part of the path is a file, not a folder',
    ENOSPC: 'the disk is full',
    EROFS: 'the filesystem is read-only',
    ENAMETOOLONG: 'the name is too long',
  };
  const reason = (e.code && reasons[e.code]) ?? e.message ?? String(error);
  return new PixelError('E_OUTPUT', `Cannot write the output file: ${reason}${e.code ? ` (${e.code})` : ''}`, {
    file: path,
    hint: 'Check the output path and that you may write there',
    cause: error,
  });
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS']);

async function isPresent(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Temp files being written right now. If the process exits mid-write (a second
 * Ctrl-C calls process.exit), they are removed on the way out; only SIGKILL
 * can still leave one behind.
 */
const pending = new Set<string>();
let cleanupRegistered = false;
function track(temp: string): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => {
      for (const t of pending) {
        try {
          unlinkSync(t);
        } catch {
          /* already gone */
        }
      }
    });
  }
  pending.add(temp);
}

/** pixel's own temp names: `.<base>.<pid>.<12 hex>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files of pixel's own pattern whose process is gone (killed
 * with SIGKILL, or a crash), once per folder per run, before the first write
 * there. Another running pixel's temp files are left alone.
 */
const swept = new Set<string>();
async function sweepStaleTemps(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) await unlink(join(dir, name)).catch(() => undefined);
  }
}

export async function writeFileAtomic(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
  // Refuse early, before touching the disk, when the target is already there.
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw cannotWrite(path, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
  if (existing && !options.overwrite) throw exists(path);

  const temp = tempPathFor(path);
  track(temp);
  try {
    await mkdir(dirname(path), { recursive: true });
    await sweepStaleTemps(dirname(path));
    // 'wx': never reuse someone else's file, even with a random name.
    await writeFile(temp, data, { flag: 'wx' });
    if (options.overwrite) {
      await rename(temp, path);
      return;
    }
    try {
      await link(temp, path); // atomic "create only if absent"
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw exists(path);
      if (!NO_HARD_LINKS.has(code ?? '')) throw error;
      // No hard links here (FAT, some network drives): check, then rename.
      if (await isPresent(path)) throw exists(path);
      await rename(temp, path);
      return;
    }
    await unlink(temp).catch(() => undefined); // the output is in place; a stray temp is only cosmetic
  } catch (error) {
    // Whatever failed, no temp file is left behind (it may not exist: ignore).
    await unlink(temp).catch(() => undefined);
    throw cannotWrite(path, error);
  } finally {
    pending.delete(temp);
  }
}
