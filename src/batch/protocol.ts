/** Messages between the batch runner and its worker threads (all structured-clone data). */
import type { PixelConfig } from '../config/types.js';
import { PixelError, type ErrorCode } from '../pipeline/errors.js';
import type { Recipe } from './plan.js';

export interface WorkerInit {
  cwd: string;
  /**
   * The config, when it is plain data (cloned to the worker). A config that
   * holds functions (plugin objects written in pixel.config.ts) cannot be
   * cloned: then `config` is absent and the worker loads `configPath` itself.
   */
  config?: PixelConfig;
  configPath?: string;
  configDir: string;
  source?: string;
  /** --max-pixels, applied over a re-loaded config. */
  maxPixels?: number;
}

export interface TaskMessage {
  type: 'task';
  id: number;
  key: string;
  recipe: Recipe;
  file: string;
  bytes: Uint8Array;
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  plugin?: string;
  file?: string;
  hint?: string;
  problems?: string[];
  stack?: string;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; data: Uint8Array; format: string; extras: Array<{ suffix: string; data: Uint8Array }>; warnings: string[] }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof PixelError)
    return { code: error.code, message: error.message, plugin: error.plugin, file: error.file, hint: error.hint, problems: error.problems, stack: error.stack };
  const e = error as Error;
  return { code: 'E_INTERNAL', message: e?.message ?? String(error), stack: e?.stack };
}

export function deserializeError(s: SerializedError): PixelError {
  const e = new PixelError(s.code, s.message, { plugin: s.plugin, file: s.file, hint: s.hint, problems: s.problems });
  if (s.stack) e.stack = s.stack;
  return e;
}

/** A copy in a fresh ArrayBuffer that can be transferred (Buffers may share a pool). */
export function ownBytes(data: Uint8Array): Uint8Array {
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy;
}
