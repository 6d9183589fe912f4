/**
 * Expands the command line's inputs (files, folders, globs) into a list of
 * image files, each with the base folder its output path is mirrored from.
 *
 * An input that exists but cannot be converted (an unreadable folder, a named
 * pipe, a device, a broken symbolic link, a link loop) is listed with an
 * `error`: the batch reports it as one failed file and goes on with the rest.
 * Only a path that names nothing at all is a usage error (a typo).
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { PixelError } from '../pipeline/errors.js';
import { KNOWN_IMAGE_EXTENSIONS, OPTIONAL_IMAGE_EXTENSIONS } from './extensions.js';
import { fastGlob, globBase, toPosix } from './glob.js';

/**
 * The extensions a folder scan picks up: those sharp's build decodes. HEIC
 * (HEVC-coded HEIF) and JPEG XL are read only when the installed libvips has
 * their decoders; the prebuilt sharp binaries have neither, so a scan leaves
 * those files out instead of failing on each one.
 */
export const IMAGE_EXTENSIONS = readableExtensions();

function readableExtensions(): string[] {
  const suffixes = (name: string) => (sharp.format as unknown as Record<string, { input?: { file?: boolean; fileSuffix?: string[] } } | undefined>)[name]?.input?.fileSuffix ?? [];
  const exts = KNOWN_IMAGE_EXTENSIONS.filter((e) => !OPTIONAL_IMAGE_EXTENSIONS.includes(e));
  if (suffixes('heif').includes('.heic')) exts.push('heic', 'heif');
  if (suffixes('jxl').length > 0) exts.push('jxl');
  return exts;
}

/** Formats pixel knows of that this build of sharp may not decode, by extension. */
const MAYBE_UNREADABLE: Record<string, string> = { heic: 'HEIC', heif: 'HEIC', jxl: 'JPEG XL' };

/**
 * The name of the format of a file sharp's build cannot decode, or undefined.
 * A .heic/.heif file is HEIC when its ISO-BMFF brand is an HEVC one (AVIF,
 * which sharp does read, is HEIF too); JPEG XL goes by its extension.
 */
function undecodable(at: string | Buffer, ext: string): string | undefined {
  const format = MAYBE_UNREADABLE[ext];
  if (!format || IMAGE_EXTENSIONS.includes(ext)) return undefined;
  if (format !== 'HEIC') return format;
  const head = Buffer.alloc(12);
  try {
    const fd = fs.openSync(at, 'r');
    try {
      fs.readSync(fd, head, 0, 12, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined; // the read reports it
  }
  return isHevc(head) ? format : undefined;
}

/** An ISO-BMFF 'ftyp' box with an HEVC brand: HEIC, not AVIF. */
function isHevc(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(12, head.byteLength)).toString('latin1');
  return text.slice(4, 8) === 'ftyp' && /^he(ic|ix|vc|vx|im|is|vm|vs)$/.test(text.slice(8, 12));
}

/** For content already in memory (`pixel staged` reads the index): why sharp's build cannot decode it, or undefined. */
export function undecodableContent(name: string, shown: string, bytes: Uint8Array): PixelError | undefined {
  const ext = extOf(name);
  const format = MAYBE_UNREADABLE[ext];
  if (!format || IMAGE_EXTENSIONS.includes(ext)) return undefined;
  return format !== 'HEIC' || isHevc(bytes) ? cannotDecode(format, shown) : undefined;
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** "PNG, JPEG, …": for messages and the README. */
export function readableFormatsText(): string {
  return IMAGE_EXTENSIONS.filter((e) => e !== 'jpeg' && e !== 'tif' && e !== 'heif').join(', ');
}

export interface InputFile {
  /**
   * Absolute path. For a name that is not valid UTF-8, each byte that is not
   * part of a UTF-8 character is written %XX (the file is read from `bytes`).
   */
  path: string;
  /** Path relative to the base folder (drives the mirrored output path). */
  relative: string;
  /** Path as shown to the user (relative to cwd when inside it). */
  display: string;
  /** The exact bytes of the path, when it is not valid UTF-8. */
  bytes?: Buffer;
  /** Why this input cannot be converted: the batch reports it as failed and goes on. */
  error?: PixelError;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name's bytes as text: UTF-8 characters as they are, every other byte as %XX. */
export function escapeName(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n > 0 && i + n <= bytes.length) {
      try {
        out += utf8.decode(bytes.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        // not a character: escape the lead byte and go on from the next
      }
    }
    out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The real paths behind a path whose text has U+FFFD in it: Node turns every
 * byte of a file name that is not UTF-8 into U+FFFD (in readdir results and in
 * process.argv alike), and that text names no file. Each such part is looked
 * up among its folder's raw entries; several names can decode to the same text.
 */
export function rawPaths(path: string): Buffer[] {
  const parts = resolve(path).split('/').slice(1);
  let found: Buffer[] = [Buffer.from('/')];
  for (const part of parts) {
    const next: Buffer[] = [];
    for (const dir of found) {
      const join1 = (name: Buffer) => Buffer.concat([dir, dir.length > 1 ? Buffer.from('/') : Buffer.alloc(0), name]);
      if (!part.includes('\uFFFD')) {
        next.push(join1(Buffer.from(part)));
        continue;
      }
      let names: Buffer[] = [];
      try {
        names = readdirSync(dir, { encoding: 'buffer' });
      } catch {
        // an unreadable folder: no candidates
      }
      for (const name of names) if (name.toString('utf8') === part) next.push(join1(name));
    }
    found = next;
  }
  return found;
}

/** The text path of a raw path, escaped where it is not UTF-8. */
function escapedPath(raw: Buffer): string {
  return raw
    .toString('latin1')
    .split('/')
    .map((part) => escapeName(Buffer.from(part, 'latin1')))
    .join('/');
}

/** What a path that is not a regular file is, for messages. */
function kindOf(stat: Stats): string | undefined {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return undefined;
}

/**
 * Why `path` (that stat could not open as a file or folder) cannot be read,
 * or undefined when nothing is there at all.
 */
function unreadable(path: string | Buffer, shown: string, error?: NodeJS.ErrnoException, stat?: Stats): PixelError | undefined {
  const kind = stat ? kindOf(stat) : undefined;
  if (kind) return new PixelError('E_INPUT', `Expected an image file but found ${kind}`, { file: shown, hint: 'pixel reads image files; save the stream or device contents to a file and convert that.' });
  let link: Stats | undefined;
  try {
    link = lstatSync(path);
  } catch {
    link = undefined;
  }
  if (error?.code === 'ELOOP')
    return new PixelError('E_INPUT', 'Symbolic link loop: the link leads back to itself', { file: shown, hint: 'Point the link at an image file (ls -l shows where it leads), or remove it.' });
  if (link?.isSymbolicLink() && (error?.code === 'ENOENT' || error?.code === 'ENOTDIR'))
    return new PixelError('E_INPUT', `Broken symbolic link: its target ${readlinkSync(path).toString()} does not exist`, { file: shown, hint: 'Fix the link (ln -sf <image> <link>) or remove it.' });
  if (error?.code === 'EACCES' || error?.code === 'EPERM')
    return new PixelError('E_INPUT', 'Permission denied: a folder on the way to this file cannot be read', { file: shown, hint: 'Give yourself read access to the folders on its path (chmod +rx).' });
  if (error && error.code !== 'ENOENT' && error.code !== 'ENOTDIR')
    return new PixelError('E_INPUT', `Cannot read the file (${error.code ?? error.message})`, { file: shown, hint: 'Check that the file exists and that you may read it.' });
  return undefined;
}

function statOf(path: string | Buffer): { stat?: Stats; error?: NodeJS.ErrnoException } {
  try {
    return { stat: statSync(path) };
  } catch (error) {
    return { error: error as NodeJS.ErrnoException };
  }
}

/**
 * @param ignoreDirs absolute folders never read as input (the output folder),
 *   so a second run does not convert its own outputs.
 */
export async function findInputs(args: readonly string[], cwd: string, ignoreDirs: readonly string[] = []): Promise<{ files: InputFile[]; single: boolean; notes: string[] }> {
  if (args.length === 0) throw new PixelError('E_USAGE', 'No input given', { hint: 'pixel convert <files|folders|globs> --out <dir>, e.g. pixel convert photo.jpg -o photo.png' });
  const seen = new Set<string>();
  const files: InputFile[] = [];
  let single = args.length === 1;
  const add = (abs: string, base: string, extra: Pick<InputFile, 'bytes' | 'error'> = {}) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ path: abs, relative: relative(base, abs), display: displayPath(abs, cwd), ...extra });
  };
  /** Files a folder scan left out because this sharp cannot decode them, by format and folder. */
  const left = new Map<string, { count: number; folder: string; format: string }>();
  /** A found path: a raw-byte lookup when its name is not UTF-8, then the file itself or why it cannot be read. */
  const addFound = (abs: string, base: string, folderScan: boolean) => {
    const format = folderScan ? undecodable(abs, extOf(abs)) : undefined;
    if (format) {
      const key = `${format}\0${base}`;
      left.set(key, { count: (left.get(key)?.count ?? 0) + 1, folder: base === cwd ? '.' : displayPath(base, cwd), format });
      return;
    }
    const raws = abs.includes('\uFFFD') ? rawPaths(abs).filter((r) => !isUtf8(r)) : [];
    if (raws.length === 0) return addChecked(abs, abs, base);
    for (const raw of raws) addChecked(escapedPath(raw), raw, base);
  };
  const addChecked = (abs: string, at: string | Buffer, base: string) => {
    const { stat, error } = statOf(at);
    const bytes = typeof at === 'string' ? undefined : at;
    if (stat?.isFile()) {
      const format = undecodable(at, extOf(abs));
      return add(abs, base, { bytes, error: format ? cannotDecode(format, displayPath(abs, cwd)) : undefined });
    }
    if (stat?.isDirectory()) return; // a folder named like an image
    add(abs, base, { bytes, error: unreadable(at, displayPath(abs, cwd), error, stat) });
  };
  /** A scan's files and unreadable folders, in one order (by path) so a report reads like the tree. */
  const addScanned = (found: Found[], closed: Closed[], base: string, folderScan: boolean) => {
    for (const entry of sortEntries(found, closed, base)) {
      if ('folder' in entry) add(entry.folder, dirname(entry.folder), { error: closedFolder(entry.folder, cwd, entry.code) });
      else addFound(join(base, entry.path), base, folderScan);
    }
  };
  // Formats this sharp cannot decode are looked for too, to say they were left out.
  const extGlob = `**/*.{${[...new Set([...IMAGE_EXTENSIONS, ...Object.keys(MAYBE_UNREADABLE)])].join(',')}}`;
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    const { stat, error } = statOf(abs);
    if (stat?.isFile()) {
      addChecked(abs, abs, dirname(abs));
      continue;
    }
    if (!stat?.isDirectory()) {
      const problem = unreadable(abs, displayPath(abs, cwd), error, stat);
      if (problem) {
        add(abs, dirname(abs), { error: problem });
        continue;
      }
      // A name that is not UTF-8 arrives with U+FFFD in it: find the file by its bytes.
      const raws = abs.includes('\uFFFD') ? rawPaths(abs).filter((r) => !isUtf8(r)) : [];
      if (raws.length > 0) {
        single &&= raws.length === 1;
        for (const raw of raws) addChecked(escapedPath(raw), raw, dirname(abs));
        continue;
      }
    }
    single = false;
    const ignore = ignoreDirs.map((d) => toPosix(relative(stat?.isDirectory() ? abs : resolve(cwd, globBase(arg)), d))).filter((r) => r && !r.startsWith('..')).map((r) => `${r}/**`);
    if (stat?.isDirectory()) {
      const { found, closed } = await scan(extGlob, abs, ignore, false);
      if (found.every((f) => undecodable(join(abs, f.path), extOf(f.path))) && closed.length === 0) {
        const formats = [...new Set(found.map((f) => undecodable(join(abs, f.path), extOf(f.path))))];
        const only = formats.length > 0 ? `: only ${formats.join(' and ')} files, which this build of sharp cannot decode (convert them to PNG or JPEG first)` : '';
        throw new PixelError('E_USAGE', `No images found in folder ${displayPath(abs, cwd)}${only}`, { hint: `pixel reads ${readableFormatsText()} files, recursively.` });
      }
      addScanned(found, closed, abs, true);
      continue;
    }
    if (!fastGlob().isDynamicPattern(toPosix(arg))) {
      throw new PixelError('E_USAGE', `Input not found: ${arg}`, { hint: 'Check the path; quote globs so the shell does not expand them: pixel convert "sprites/**/*.png"' });
    }
    const base = resolve(cwd, globBase(arg));
    const { found, closed } = await scan(toPosix(relative(base, resolve(cwd, arg))), base, ignore, true);
    if (found.length === 0 && closed.length === 0) throw new PixelError('E_USAGE', `No files match ${arg}`, { hint: 'Check the pattern; it is matched relative to the current folder.' });
    addScanned(found, closed, base, false);
  }
  const notes = [...left.values()].map(
    (l) => `left out ${l.count} ${l.format} file${l.count === 1 ? '' : 's'} in ${l.folder}: this build of sharp cannot decode ${l.format} (convert ${l.count === 1 ? 'it' : 'them'} to PNG or JPEG first). pixel reads ${readableFormatsText()}.`,
  );
  return { files, single, notes };
}

function cannotDecode(format: string, shown: string): PixelError {
  return new PixelError('E_INPUT', `${format} images cannot be decoded by this build of sharp (its libvips has no ${format === 'HEIC' ? 'HEVC' : format} decoder)`, {
    file: shown,
    hint: `Convert it to PNG or JPEG first${format === 'HEIC' ? ' (heif-convert photo.heic photo.png; on a Mac, sips -s format png)' : ''}. pixel reads ${readableFormatsText()}.`,
  });
}

function closedFolder(folder: string, cwd: string, code: string): PixelError {
  return new PixelError('E_INPUT', `Cannot read this folder (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code}): the images in it were not converted`, {
    file: displayPath(folder, cwd),
    hint: 'Give yourself read access (chmod +rx on the folder), or leave it out of the inputs.',
  });
}

interface Found {
  path: string;
}

/** A folder the scan could not read, and the error code. */
interface Closed {
  folder: string;
  code: string;
}

function sortEntries(found: Found[], closed: Closed[], base: string): Array<Found | Closed> {
  const key = (e: Found | { folder: string }) => ('folder' in e ? toPosix(relative(base, e.folder)) : e.path);
  return [...found, ...closed].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * fast-glob over `cwd`, with folders it may not read recorded instead of
 * aborting the walk (fast-glob either throws on the first one or, with
 * suppressErrors, hides them), and folders whose names are not UTF-8 read by
 * their bytes. Every entry that is not a folder: links, pipes and devices too,
 * so each can be reported.
 */
async function scan(pattern: string, cwd: string, ignore: string[], caseSensitive: boolean): Promise<{ found: Found[]; closed: Closed[] }> {
  const closed: Closed[] = [];
  type Callback = (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void;
  const readdir = ((path: string, options: { withFileTypes: true }, callback: Callback) =>
    fs.readdir(path, options, (error, list) => {
      if (error?.code === 'ENOENT' && path.includes('\uFFFD')) {
        const raws = rawPaths(path);
        try {
          if (raws.length > 0) return callback(null, raws.flatMap((raw) => fs.readdirSync(raw, options)));
        } catch {
          // unreadable: report the original error below
        }
      }
      if (error && (error.code === 'EACCES' || error.code === 'EPERM')) {
        closed.push({ folder: resolve(path), code: error.code });
        callback(null, []);
      } else callback(error, list);
    })) as unknown as typeof fs.readdir;
  const found = await fastGlob()(pattern, { cwd, caseSensitiveMatch: caseSensitive, onlyFiles: false, dot: false, followSymbolicLinks: false, ignore, objectMode: true, fs: { readdir } });
  return { found: found.filter((e) => !e.dirent.isDirectory()).map((e) => ({ path: e.path })), closed };
}

/** An input's bytes, read by its exact name; errors name the file as the user sees it. */
export async function readSource(file: InputFile): Promise<Buffer> {
  try {
    return await readFile(file.bytes ?? file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixelError('E_INPUT', code === 'ENOENT' ? 'File not found (removed after the inputs were listed?)' : code === 'EACCES' || code === 'EPERM' ? 'Permission denied: the file cannot be read' : `Cannot read the file (${code ?? (error as Error).message})`, {
      file: file.display,
      hint: code === 'ENOENT' ? 'Check the path.' : 'Give yourself read access (chmod +r), or leave the file out of the inputs.',
    });
  }
}
