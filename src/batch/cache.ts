/**
 * Incremental runs: `.pixel-cache/manifest.json` (beside the config file, or
 * in the working folder without one; only runs into an output folder keep
 * one, see isOneOff in cli/commands/convert.ts) remembers, per output, the sha256 of the
 * input it was made from, a hash of the file's resolved config and the hashes
 * of the files written. An output is "unchanged" only when all of these match
 * AND the files on disk still have the recorded hashes, so a deleted or edited
 * output is rebuilt. A manifest that is corrupt or was written by another pixel
 * version is ignored with a warning, never trusted. It is written atomically.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import { writeFileAtomic } from '../files/atomic.js';
import { posixRelative } from './plan.js';

export const CACHE_DIR = '.pixel-cache';
export const MANIFEST_SCHEMA = 1;

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with sorted keys; typed arrays as arrays, functions by their source, plugins by name. */
export function stableJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'function') return `[function ${v.toString()}]`;
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = walk(x);
    }
    return out;
  };
  return JSON.stringify(walk(value));
}

/**
 * What makes an output what it is: the steps (plugin and parsed options), the
 * output settings that change bytes (not where it goes or whether to overwrite)
 * and the pixel limit. A user plugin's code version is not known: --force
 * after upgrading one.
 */
export function configHash(config: ResolvedConfig): string {
  const { dir: _dir, name: _name, overwrite: _overwrite, ...output } = config.output as unknown as Record<string, unknown>;
  return sha256(
    stableJson({
      steps: config.steps.map((s) => ({ use: s.plugin.name, options: s.options })),
      output,
      maxPixels: config.maxPixels,
    }),
  );
}

export interface ManifestEntry {
  input: string;
  config: string;
  /** Every file written for this output (the output and its companions), path → sha256. */
  files: Record<string, string>;
}

interface ManifestFile {
  schema: number;
  pixel: string;
  entries: Record<string, ManifestEntry>;
}

export class CacheManifest {
  private dirty = false;

  private constructor(
    readonly path: string,
    readonly version: string,
    private readonly entries: Map<string, ManifestEntry>,
  ) {}

  /** The manifest for a project folder. */
  static pathFor(baseDir: string): string {
    return join(baseDir, CACHE_DIR, 'manifest.json');
  }

  /** Reads the manifest; anything not trustworthy is reported through `warn` and starts empty. */
  static async load(path: string, version: string, warn: (message: string) => void): Promise<CacheManifest> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return new CacheManifest(path, version, new Map());
    }
    const empty = (why: string) => {
      warn(`ignoring the cache manifest ${path}: ${why}; existing outputs are kept as not known to be pixel's (pass --overwrite to rebuild them)`);
      const m = new CacheManifest(path, version, new Map());
      m.dirty = true;
      return m;
    };
    let data: ManifestFile;
    try {
      data = JSON.parse(text);
    } catch {
      return empty('it is not valid JSON');
    }
    if (typeof data !== 'object' || data === null || data.schema !== MANIFEST_SCHEMA || typeof data.entries !== 'object' || data.entries === null)
      return empty('its format is not one this pixel reads');
    if (data.pixel !== version) return empty(`it was written by pixel ${String(data.pixel)}, this is ${version}`);
    const entries = new Map<string, ManifestEntry>();
    for (const [key, e] of Object.entries(data.entries)) {
      if (typeof e?.input === 'string' && typeof e.config === 'string' && typeof e.files === 'object' && e.files !== null) entries.set(key, e);
      else return empty(`entry "${key}" is malformed`);
    }
    return new CacheManifest(path, version, entries);
  }

  private get baseDir(): string {
    return dirname(dirname(this.path));
  }

  private key(output: string): string {
    return posixRelative(this.baseDir, output);
  }

  /** True when pixel wrote this output before (it may replace it without --overwrite). */
  owns(output: string): boolean {
    return this.entries.has(this.key(output));
  }

  /**
   * True when pixel wrote this output but the file on disk no longer has the
   * bytes it wrote: someone edited it (a touch-up by hand), so it must not be
   * replaced without --overwrite. A deleted output is not edited.
   */
  async edited(output: string): Promise<boolean> {
    const key = this.key(output);
    const written = this.entries.get(key)?.files[key];
    if (written === undefined) return false;
    const data = await readFile(output).catch(() => undefined);
    return data !== undefined && sha256(data) !== written;
  }

  /** True when the output was made from this input and config, and is still on disk as written. */
  async isCurrent(output: string, inputHash: string, cfgHash: string): Promise<boolean> {
    const entry = this.entries.get(this.key(output));
    if (!entry || entry.input !== inputHash || entry.config !== cfgHash) return false;
    for (const [file, hash] of Object.entries(entry.files)) {
      const data = await readFile(resolve(this.baseDir, file)).catch(() => undefined);
      if (!data || sha256(data) !== hash) return false;
    }
    return Object.keys(entry.files).length > 0;
  }

  record(output: string, inputHash: string, cfgHash: string, files: Array<{ path: string; data: Uint8Array }>): void {
    this.entries.set(this.key(output), {
      input: inputHash,
      config: cfgHash,
      files: Object.fromEntries(files.map((f) => [this.key(f.path), sha256(f.data)])),
    });
    this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Writes the manifest atomically, if anything changed. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const entries = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const file: ManifestFile = { schema: MANIFEST_SCHEMA, pixel: this.version, entries };
    await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(file, null, 1)}\n`), { overwrite: true });
    this.dirty = false;
  }
}
