/** Shared helpers for the batch, staged and watch tests: temp projects, images, a captured CLI run. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { main } from '../src/cli/main.js';
import { tempDir } from './temp.js';

export const ROOT = resolve(import.meta.dirname, '..');

/** The environment a test run sees: no CI, no git hook variables (tests may run inside a hook). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k === 'CI' || k === 'PIXEL') delete env[k];
  return { ...env, ...extra };
}

export async function run(argv: string[], cwd: string, options: { signal?: AbortSignal; env?: Record<string, string>; onStdout?: (t: string, all: string) => void } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: (t) => {
        stdout += t;
        options.onStdout?.(t, stdout);
      },
      stderr: (t) => (stderr += t),
      env: cleanEnv(options.env),
    },
    cwd,
    options.signal,
  );
  return { code, stdout, stderr };
}

/** A photo-like test image with a seed: gradient, disc and per-seed noise. */
export async function makePng(path: string, seed = 1, width = 64, height = 48): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let s = seed * 2654435761;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const i = (y * width + x) * 3;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2;
      const v = Math.round(inDisc ? 255 - (x / width) * 200 : (x / width) * 200) + (s >>> 28);
      data[i] = v;
      data[i + 1] = (v + y * seed) & 255;
      data[i + 2] = 255 - v;
    }
  mkdirSync(resolve(path, '..'), { recursive: true });
  const png = await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
  writeFileSync(path, png);
  return png;
}

/** A user's project in a temp folder (removed when the test file ends), with pixel installed as a link. */
export function tempProject(prefix = 'pixel-batch-'): string {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'pixel-1bit'), 'dir');
  return dir;
}

export const gitEnv = cleanEnv({ GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' }) as NodeJS.ProcessEnv;

/** git in `cwd` with a fixed identity and none of the caller's GIT_* variables. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: gitEnv }).toString();

/** A temp project in a fresh git repository whose first commit holds this pixel.config.mjs, a .gitignore and package.json. */
export function committedProject(config: string, prefix: string): string {
  const dir = tempProject(prefix);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n.pixel-cache\n');
  writeFileSync(join(dir, 'pixel.config.mjs'), config);
  git(dir, 'add', '.gitignore', 'pixel.config.mjs', 'package.json');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

/** Resolves once `check()` holds (polled every 20 ms); rejects naming `what` after `ms`. */
export function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() - start > ms) {
        clearInterval(t);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 20);
  });
}

/** Every file below `dir` (relative, sorted), skipping node_modules and .git. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name).slice(dir.length + 1))
    .filter((p) => !p.startsWith('node_modules') && !p.startsWith('.git/'))
    .sort();
}
