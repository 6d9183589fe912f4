/**
 * The batch scheduler: runs jobs through a policy (what to convert, what to do
 * with the result) on the main thread (`jobs: 1`) or a worker pool, reports
 * results in input order, and cancels cleanly: on abort no new file starts, the
 * workers are terminated, writes in flight finish (atomic: the file is whole or
 * absent, never partial) and no new write begins.
 */
import { Engine } from '../convert.js';
import { pixelCount } from '../image/decode.js';
import { BYTES_PER_PIXEL, defaultBudget, MemoryBudget } from './budget.js';
import { emptySummary, type FileResult, type Reporter, type Summary } from './report.js';
import { PixelError, withContext } from '../pipeline/errors.js';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { checkContract } from '../pipeline/pipeline.js';
import type { ConfigContext, Job } from './plan.js';
import { WorkerPool, type PoolResult, type PoolWorker } from './pool.js';
import type { WorkerInit } from './protocol.js';

export type Converted = PoolResult;

/** Finish the job without converting, or convert these bytes and pass `state` on to commit. */
export type Decision = { done: FileResult } | { bytes: Uint8Array; state?: unknown };

export interface BatchPolicy {
  decide(job: Job): Promise<Decision>;
  /** Uses the converted files (write, compare…); `ms` is the time since the job started. */
  commit(job: Job, state: unknown, result: Converted, ms: number): Promise<FileResult>;
  /** After every job settled, even when cancelled (save the cache…). */
  finish?(): Promise<void>;
}

export interface BatchOptions {
  ctx: ConfigContext;
  reporter: Reporter;
  policy: BatchPolicy;
  /** Parallel conversions: 1 runs on this thread, more uses worker threads. */
  jobs: number;
  signal?: AbortSignal;
  /** performance.now() when the command started. */
  started?: number;
  /** How workers get the config (see WorkerInit). */
  workerInit: WorkerInit;
  /**
   * With jobs > 1, whether this thread converts too (default true: it works
   * while the workers start). False sends every file to a worker (tests).
   */
  mainThread?: boolean;
  /** Bytes the decoded files in flight may take together (default: defaultBudget()); see MemoryBudget. */
  memoryBudget?: number;
}

/**
 * Files this thread keeps in flight: while one waits for sharp's decoder
 * (libvips, off the JS thread) or for deflate (libuv's pool), another runs
 * its steps. With --jobs 1 too: it is one JS thread either way.
 */
const LOCAL_SLOTS = 2;

/**
 * About what a worker thread costs to start (loading sharp and the plugins:
 * 150–180 ms measured on an idle 2-core machine, more when busy). Workers are
 * started only when the files left would keep this thread busy much longer.
 */
const WORKER_START_MS = 250;

/** Errors that are about the whole run, not one file: stop and report them once. */
const FATAL = new Set(['E_PIPELINE', 'E_CONFIG', 'E_USAGE', 'E_OPTION']);

/** Runs a file's conversion on this thread through the engine (each config's pipeline built once). */
function inProcess(ctx: ConfigContext, signal: AbortSignal) {
  const engine = new Engine(ctx.plugins, { baseDir: ctx.configDir });
  return {
    async run(job: Job, bytes: Uint8Array): Promise<Converted> {
      const warnings: string[] = [];
      const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const r = await engine.convert(buffer, job.config, { key: job.key, file: job.file.display, signal, warn: (m) => warnings.push(m) });
      return { data: r.data, format: r.format, extras: r.extras, warnings };
    },
    dispose: () => engine.dispose(),
  };
}

export async function runBatch(jobs: readonly Job[], opts: BatchOptions): Promise<{ summary: Summary }> {
  const { reporter, policy } = opts;
  const started = opts.started ?? performance.now();
  // Record first: every distinct pipeline is checked before a file is read.
  const checked = new Set<string>();
  for (const job of jobs) {
    if (checked.has(job.key)) continue;
    checked.add(job.key);
    checkContract(job.config.steps);
  }

  const summary = emptySummary(jobs.length);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Executors: this thread (two files in flight with --jobs > 1), plus jobs-1
  // worker threads, started once converting here has shown they would pay
  // for their start-up (a run of unchanged files, or a short one, starts
  // none). A file goes to whichever executor is free first, so this thread
  // keeps working while workers start.
  const width = Math.max(1, Math.min(opts.jobs, jobs.length));
  type Exec = { kind: 'local' } | { kind: 'worker'; w: PoolWorker };
  const localOnly = opts.mainThread === false ? 0 : LOCAL_SLOTS;
  const budget = new MemoryBudget(opts.memoryBudget ?? defaultBudget());
  const free: Exec[] = Array.from({ length: localOnly }, (): Exec => ({ kind: 'local' }));
  // Files waiting for an executor, earliest in input order first: results are
  // reported in that order, and a cancel then leaves the later ones unstarted.
  const waiters: Array<{ index: number; take: (e: Exec | undefined) => void }> = [];
  const give = (e: Exec) => {
    const waiter = waiters.shift();
    if (waiter) waiter.take(e);
    else free.push(e);
  };
  const local = inProcess(opts.ctx, stop.signal);
  const pool = width > 1 ? new WorkerPool(width - 1, opts.workerInit, (w) => give({ kind: 'worker', w })) : undefined;
  let next = 0;
  let settled = 0; // files decided or converted, on any executor
  // How busy this thread's JS is per file (event-loop utilisation), from the end of the first
  // file on (the first also loads sharp and warms the JIT).
  let localFiles = 0;
  let afterFirst: EventLoopUtilization | undefined;
  /**
   * Starts the workers when the files not yet done would keep this thread's JS
   * busy longer than a worker takes to start. Decoding and deflate already run
   * on other threads while this one keeps two files in flight, so workers pay
   * only where the JS is heavy (full-size error diffusion, dbs, unet), not
   * where the time is decoding.
   */
  const grow = () => {
    if (!pool || pool.started > 0) return;
    if (localOnly === 0) return pool.start();
    if (localFiles === 1) afterFirst ??= performance.eventLoopUtilization();
    if (!afterFirst || localFiles < 2) return;
    const busyPerFile = performance.eventLoopUtilization(afterFirst).active / (localFiles - 1);
    // A worker helps after ~WORKER_START_MS, and its start-up competes for the cores meanwhile:
    // worth it when this thread alone has more than twice that left.
    if ((jobs.length - settled) * busyPerFile > 2 * WORKER_START_MS) pool.start();
  };
  const acquire = (index: number): Promise<Exec | undefined> => {
    if (stop.signal.aborted) return Promise.resolve(undefined);
    const e = free.shift();
    if (e) return Promise.resolve(e);
    grow();
    return new Promise((take) => {
      const at = waiters.findIndex((w) => w.index > index);
      waiters.splice(at < 0 ? waiters.length : at, 0, { index, take });
    });
  };
  const onStop = () => {
    void pool?.terminate();
    budget.drain();
    for (const w of waiters.splice(0)) w.take(undefined);
  };
  stop.signal.addEventListener('abort', onStop, { once: true });

  const results: Array<FileResult | undefined> = new Array(jobs.length);
  let emitted = 0;
  const report = (r: FileResult) => {
    if (r.status === 'failed') summary.failures.push(r);
    summary[r.status]++;
    reporter.file(r);
  };
  const flush = () => {
    while (emitted < jobs.length && results[emitted]) report(results[emitted++]!);
  };

  let fatal: PixelError | undefined;
  const process1 = async (job: Job): Promise<FileResult | undefined> => {
    const t0 = performance.now();
    try {
      const decision = await policy.decide(job);
      if ('done' in decision) return decision.done;
      if (stop.signal.aborted) return undefined;
      // Reserve the decoded size first (in input order), then take an executor.
      const cost = ((await pixelCount(decision.bytes)) ?? 0) * BYTES_PER_PIXEL;
      await budget.reserve(cost);
      let converted: Converted;
      try {
        if (stop.signal.aborted) return undefined;
        const exec = await acquire(job.index);
        if (!exec) return undefined;
        reporter.running?.(job.index, job.file.display);
        try {
          if (exec.kind === 'local') converted = await local.run(job, decision.bytes);
          else converted = await pool!.run(exec.w, job.key, job.recipe, job.file.display, decision.bytes);
        } finally {
          // A worker hands itself back through onIdle when it replies.
          if (exec.kind === 'local') {
            localFiles++;
            grow();
            give(exec);
          }
        }
      } finally {
        budget.release(cost);
      }
      // Cancelled while converting: start no write.
      if (stop.signal.aborted) return undefined;
      return await policy.commit(job, decision.state, converted, performance.now() - t0);
    } catch (error) {
      const e = withContext(error, { file: job.file.display });
      if (e.code === 'E_CANCELLED' || stop.signal.aborted) return undefined;
      if (FATAL.has(e.code)) {
        fatal ??= e;
        stop.abort();
        return undefined;
      }
      return { input: job.file.display, status: 'failed', reason: e.format(), ms: performance.now() - t0 };
    }
  };

  reporter.start(jobs.length);
  // Lanes read, decide and write: two per executor keep them fed (and a cancel leaves the rest unstarted).
  const lanes = (localOnly + width - 1) * 2;
  try {
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (!stop.signal.aborted && next < jobs.length) {
          const job = jobs[next++];
          results[job.index] = await process1(job);
          settled++;
          flush();
        }
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    stop.signal.removeEventListener('abort', onStop);
    await pool?.terminate();
    await local.dispose();
    await policy.finish?.();
  }
  if (fatal) throw fatal;
  // Cancelled: report what did finish, in order, and count the rest.
  for (; emitted < jobs.length; emitted++) {
    const r = results[emitted];
    if (r) report(r);
    else summary.cancelled++;
  }
  summary.interrupted = opts.signal?.aborted === true;
  summary.ms = performance.now() - started;
  await reporter.done(summary);
  return { summary };
}
