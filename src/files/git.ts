/**
 * The git plumbing `pixel staged` needs, as lint-staged does it: staged paths
 * from `git diff --staged --diff-filter=ACMR -z` (added, copied, modified,
 * renamed; not deleted), modes and blob ids from `git ls-files -s -z` (to skip
 * symlinks 120000 and submodules 160000), staged content from
 * `git cat-file --batch` (the index, not the working tree), and `git add`.
 * Paths are repository-relative with forward slashes, NUL-separated so any
 * file name survives.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { PixelError } from '../pipeline/errors.js';

export interface IndexEntry {
  /** Repository-relative path, forward slashes. */
  path: string;
  /** '100644' or '100755' for files; '120000' symlink; '160000' submodule. */
  mode: string;
  /** Blob id of the staged content. */
  oid: string;
}

export const FILE_MODES = new Set(['100644', '100755']);

function git(args: string[], cwd: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      if (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code === 'ENOENT') reject(new PixelError('E_USAGE', 'git is not installed (or not on PATH)', { hint: 'pixel staged runs git; install it.' }));
        else reject(Object.assign(new Error(`git ${args[0]} failed: ${stderr.toString().trim() || e.message}`), { stderr: stderr.toString() }));
      } else resolve(stdout);
    });
  });
}

const splitZ = (b: Buffer) => b.toString('utf8').split('\0').filter((s) => s !== '');

/** The repository's top folder; a clear usage error outside a repository. */
export async function gitRoot(cwd: string): Promise<string> {
  try {
    return (await git(['rev-parse', '--show-toplevel'], cwd)).toString('utf8').trim();
  } catch (error) {
    if (error instanceof PixelError) throw error;
    throw new PixelError('E_USAGE', `Not inside a git repository: ${cwd}`, {
      hint: 'pixel staged converts the files staged for the next commit; run it inside a git work tree (or use pixel convert).',
    });
  }
}

/** Paths staged for the next commit, except deletions. */
export async function stagedPaths(root: string): Promise<string[]> {
  return (await stagedChanges(root)).paths;
}

/**
 * What the next commit changes, from one `git diff --staged --name-status`:
 * paths added, copied, modified or renamed (`paths`), and paths deleted
 * (`deleted`; a rename is a deletion and an addition, with --no-renames).
 */
export async function stagedChanges(root: string): Promise<{ paths: string[]; deleted: string[] }> {
  const fields = splitZ(await git(['diff', '--staged', '--diff-filter=ACMRD', '--name-status', '-z', '--no-renames', '--'], root));
  const paths: string[] = [];
  const deleted: string[] = [];
  // -z --name-status: "<status>\0<path>\0" per change.
  for (let i = 0; i + 1 < fields.length; i += 2) (fields[i] === 'D' ? deleted : paths).push(fields[i + 1]);
  return { paths, deleted };
}

/** Index entries (mode, blob id) for the given paths, or for every tracked path. */
export async function indexEntries(root: string, paths?: readonly string[]): Promise<Map<string, IndexEntry>> {
  const out = new Map<string, IndexEntry>();
  if (paths && paths.length === 0) return out;
  // --literal-pathspecs: a staged file named "*.png" is a name, not a glob.
  const args = ['--literal-pathspecs', 'ls-files', '-s', '-z', '--full-name', ...(paths ? ['--', ...paths] : [])];
  for (const line of splitZ(await git(args, root))) {
    // "<mode> <oid> <stage>\t<path>"
    const tab = line.indexOf('\t');
    const [mode, oid, stage] = line.slice(0, tab).split(' ');
    const path = line.slice(tab + 1);
    if (stage !== '0') continue; // a conflicted merge: not ours to convert
    out.set(path, { path, mode, oid });
  }
  return out;
}

/** Staged contents of blobs, by id, with one `git cat-file --batch`. */
export function readBlobs(root: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const blobs = new Map<string, Buffer>();
      let at = 0;
      while (at < all.length) {
        const nl = all.indexOf(10, at);
        const [oid, type, size] = all.subarray(at, nl).toString('utf8').split(' ');
        if (type === 'missing' || size === undefined) return reject(new Error(`git cat-file: object ${oid} is missing`));
        const n = Number(size);
        blobs.set(oid, all.subarray(nl + 1, nl + 1 + n));
        at = nl + 1 + n + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

/** The id git gives a blob with these bytes (sha1, or sha256 in a sha256 repository). */
export function blobOid(data: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** Stages the removal of files from the index (repository-relative paths); the working tree is left as it is. */
export async function gitRemoveCached(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await git(['--literal-pathspecs', 'rm', '-q', '--cached', '--ignore-unmatch', '--', ...paths], root);
}

/** Stages files (repository-relative paths). */
export async function gitAdd(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await git(['--literal-pathspecs', 'add', '--', ...paths], root);
}
