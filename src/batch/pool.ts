/**
 * Worker threads for the batch. A worker announces itself when its modules
 * are loaded (sharp, the plugins: 150–250 ms), and only then is it handed
 * files, so the main thread keeps converting meanwhile instead of queueing
 * work behind a starting worker. Each worker keeps its built
 * pipelines for the whole run. Installed, the worker is dist's compiled
 * `worker.js`; from source (tests, tsx) it is `worker.ts` loaded through tsx's
 * register API. Cancelling terminates the workers: CPU-bound steps stop at
 * once, and since workers never write files, nothing is left half-written.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PixelError } from '../pipeline/errors.js';
import type { Recipe } from './plan.js';
import { deserializeError, ownBytes, type WorkerInit, type WorkerReply } from './protocol.js';

export interface PoolResult {
  data: Uint8Array;
  format: string;
  extras: Array<{ suffix: string; data: Uint8Array }>;
  warnings: string[];
}

export interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  busy?: { id: number; file: string; resolve: (r: PoolResult) => void; reject: (e: unknown) => void };
}

/** Starts one batch worker, from dist (JS) or from source (TS via tsx), with how to get the config. */
export function startWorker(init: WorkerInit): Worker {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: init });
  const ts = new URL('./worker.ts', import.meta.url);
  // Running from source: register tsx inside the worker, then import the entry.
  // (require.resolve gives tsx's CommonJS build; its ESM twin sits beside it.)
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private closed = false;
  private failure: PixelError | undefined;

  /**
   * @param onIdle called whenever a worker is ready for a file (after start-up
   *   and after each file); `onDead` when every worker is gone (with why).
   */
  constructor(
    readonly size: number,
    private readonly init: WorkerInit,
    private readonly onIdle: (w: PoolWorker) => void,
    private readonly onDead: (error: PixelError) => void = () => {},
  ) {}

  /** Starts the workers (once); they report through onIdle when ready. */
  start(): void {
    if (this.closed) return;
    while (this.workers.length < this.size && !this.failure) this.spawn();
  }

  get started(): number {
    return this.workers.length;
  }

  /** Converts one file's bytes on an idle, ready worker (the bytes are moved to it when they own their buffer). */
  run(w: PoolWorker, key: string, recipe: Recipe, file: string, bytes: Uint8Array): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new PixelError('E_CANCELLED', 'Cancelled', { file }));
    if (!w.ready || w.busy) return Promise.reject(new PixelError('E_INTERNAL', 'A busy worker was handed a file', { file }));
    return new Promise((resolve, reject) => {
      const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0 && bytes.buffer instanceof ArrayBuffer ? bytes : ownBytes(bytes);
      const id = this.nextId++;
      w.busy = { id, file, resolve, reject };
      try {
        w.worker.postMessage({ type: 'task', id, key, recipe, file, bytes: data }, [data.buffer as ArrayBuffer]);
      } catch (error) {
        w.busy = undefined;
        reject(new PixelError('E_INTERNAL', `Cannot send the file to a worker: ${(error as Error).message}`, { file, cause: error }));
        queueMicrotask(() => this.onIdle(w));
      }
    });
  }

  private spawn(): void {
    const w: PoolWorker = { worker: startWorker(this.init), ready: false };
    this.workers.push(w);
    w.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        w.ready = true;
      } else {
        const job = w.busy;
        w.busy = undefined;
        if (job && job.id === reply.id) {
          if (reply.type === 'done') job.resolve({ data: reply.data, format: reply.format, extras: reply.extras, warnings: reply.warnings });
          else job.reject(deserializeError(reply.error));
        }
      }
      if (!this.closed) this.onIdle(w);
    });
    let gone = false;
    const fail = (error: unknown) => {
      if (gone) return;
      gone = true;
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      if (this.closed) return;
      const e =
        error instanceof PixelError
          ? error
          : new PixelError('E_INTERNAL', `A worker thread stopped: ${(error as Error)?.message ?? String(error)}`, { cause: error, file: w.busy?.file });
      w.busy?.reject(e);
      w.busy = undefined;
      // Don't respawn: a worker that died once (cannot load, out of memory) will likely die again.
      this.failure ??= e;
      if (this.workers.length === 0) this.onDead(e);
    };
    w.worker.on('error', fail);
    w.worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  }

  /** Stops every worker; files being converted are rejected as cancelled. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) {
      w.busy?.reject(new PixelError('E_CANCELLED', 'Cancelled', { file: w.busy.file }));
      w.busy = undefined;
    }
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }
}
