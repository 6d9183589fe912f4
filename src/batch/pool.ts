/**
 * A worker_threads pool for the batch. Workers are started lazily (a run whose
 * files are all unchanged starts none) and each keeps its built pipelines for
 * the whole run. Installed, the worker is dist's compiled `worker.js`; from
 * source (tests, tsx) it is `worker.ts` loaded through tsx's register API.
 * Cancelling terminates the workers: CPU-bound steps stop at once, and since
 * workers never write files, nothing is left half-written.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PixelError } from '../pipeline/errors.js';
import type { Recipe } from './plan.js';
import { deserializeError, ownBytes, type TaskMessage, type WorkerInit, type WorkerReply } from './protocol.js';

export interface PoolResult {
  data: Uint8Array;
  format: string;
  extras: Array<{ suffix: string; data: Uint8Array }>;
  warnings: string[];
}

interface Pending {
  task: TaskMessage;
  resolve: (r: PoolResult) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

/** Starts one batch worker, from dist (JS) or from source (TS via tsx). */
export function startWorker(init: WorkerInit): Worker {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: init });
  const ts = new URL('./worker.ts', import.meta.url);
  // Running from source: register tsx inside the worker, then import the entry.
  // (require.resolve gives the CommonJS build; its ESM twin sits beside it.)
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly init: WorkerInit,
  ) {}

  /** Converts one file's bytes in a worker. */
  run(key: string, recipe: Recipe, file: string, bytes: Uint8Array): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new PixelError('E_CANCELLED', 'Cancelled', { file }));
    return new Promise((resolve, reject) => {
      const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : ownBytes(bytes);
      this.queue.push({ task: { type: 'task', id: this.nextId++, key, recipe, file, bytes: data }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.busy = job;
      const buffer = job.task.bytes.buffer as ArrayBuffer;
      slot.worker.postMessage(job.task, buffer.byteLength === job.task.bytes.byteLength ? [buffer] : []);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(this.init) };
    slot.worker.on('message', (reply: WorkerReply) => {
      const job = slot.busy;
      slot.busy = undefined;
      if (job && job.task.id === reply.id) {
        if (reply.type === 'done') job.resolve({ data: reply.data, format: reply.format, extras: reply.extras, warnings: reply.warnings });
        else job.reject(deserializeError(reply.error));
      }
      this.pump();
    });
    const fail = (error: unknown) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.busy;
      slot.busy = undefined;
      if (this.closed) return;
      const e =
        error instanceof PixelError
          ? error
          : new PixelError('E_INTERNAL', `A worker thread stopped: ${(error as Error)?.message ?? String(error)}`, { cause: error, file: job?.task.file });
      job?.reject(e);
      // A worker that cannot even start fails every queued file the same way.
      if (this.slots.length === 0) for (const q of this.queue.splice(0)) q.reject(e);
      this.pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exit code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** Stops every worker; queued and running files are rejected as cancelled. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const cancelled = (p: Pending) => p.reject(new PixelError('E_CANCELLED', 'Cancelled', { file: p.task.file }));
    for (const q of this.queue.splice(0)) cancelled(q);
    for (const s of this.slots) if (s.busy) cancelled(s.busy);
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  /** Number of workers started so far. */
  get started(): number {
    return this.slots.length;
  }
}
