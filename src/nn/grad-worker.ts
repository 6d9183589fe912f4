/**
 * Data-parallel training on worker threads: each worker holds the same
 * model, receives the current weights and its share of the batch every step,
 * and returns the loss and gradients of that share; the main thread averages
 * them (weighted by share size) and takes the Adam step, so every thread
 * always uses identical weights. tfjs-wasm runs one thread per backend under
 * Node, so threads are how training uses more than one core.
 *
 * This file is both the main-thread handle (GradWorker) and the worker's
 * entry point (when started with workerData.pixelGradWorker).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { BinarizerName } from './binarize.js';
import type { LossWeights } from './loss.js';
import { tensorSpecs, type Architecture, type Weights } from './model.js';
import type { BackendName } from './tf.js';

export interface WorkerInit {
  backend: BackendName;
  architecture: Architecture;
  binarizer: BinarizerName;
  loss: LossWeights;
}

interface Job {
  weights: Float32Array;
  input: Float32Array;
  target: Float32Array;
  n: number;
  size: number;
}

interface Reply {
  loss: number;
  grads: Float32Array;
  error?: string;
}

export class GradWorker {
  private pending: ((r: Reply) => void) | undefined;
  private failed: Error | undefined;
  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: Reply) => {
      const done = this.pending;
      this.pending = undefined;
      done?.(r);
    });
    worker.on('error', (e) => {
      this.failed = e;
      this.pending?.({ loss: NaN, grads: new Float32Array(0), error: e.message });
    });
  }

  static async start(init: WorkerInit): Promise<GradWorker> {
    // This module's own file; bundled (dist/cli), the grad-worker entry beside the chunk holding this code.
    const url = new URL(import.meta.url.endsWith('.ts') ? import.meta.url : './grad-worker.js', import.meta.url);
    let worker: Worker;
    if (url.pathname.endsWith('.ts')) {
      // Running from the sources (tsx, vitest): register tsx's loader in the
      // worker first (execArgv --import does not reach worker threads here).
      const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
      const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
      worker = new Worker(boot, { eval: true, workerData: { pixelGradWorker: init } });
    } else {
      worker = new Worker(url, { workerData: { pixelGradWorker: init } });
    }
    const handle = new GradWorker(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve()); // "ready"
      worker.once('error', reject);
    });
    return handle;
  }

  grads(weights: Float32Array, input: Float32Array, target: Float32Array, n: number, size: number): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending = (r) => (r.error ? reject(new Error(`training worker: ${r.error}`)) : resolve(r));
      const job: Job = { weights, input, target, n, size };
      this.worker.postMessage(job, [weights.buffer, input.buffer, target.buffer] as ArrayBuffer[]);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

async function workerMain(init: WorkerInit): Promise<void> {
  const { useBackend } = await import('./tf.js');
  const { batchGrads } = await import('./grads.js');
  const { tf } = await useBackend(init.backend);
  const specs = tensorSpecs(init.architecture);
  const vars = new Map(specs.map((s) => [s.name, tf.variable(tf.zeros(s.shape), true, `pixel.worker.${s.name}`)]));
  parentPort!.on('message', (job: Job) => {
    try {
      const { loss, grads } = tf.tidy(() => {
        let o = 0;
        for (const v of vars.values()) {
          v.assign(tf.tensor(job.weights.subarray(o, o + v.size), v.shape));
          o += v.size;
        }
        const x = tf.tensor4d(job.input, [job.n, job.size, job.size, 1]);
        const ref = tf.tensor4d(job.target, [job.n, job.size, job.size, 1]);
        const r = batchGrads(tf, vars as unknown as Weights, vars, init.binarizer, init.loss, x, ref);
        const flat = new Float32Array(job.weights.length);
        o = 0;
        for (const v of vars.values()) {
          flat.set(r.grads[v.name].dataSync() as Float32Array, o);
          o += v.size;
        }
        return { loss: r.value.dataSync()[0], grads: flat };
      });
      parentPort!.postMessage({ loss, grads } satisfies Reply, [grads.buffer]);
    } catch (e) {
      parentPort!.postMessage({ loss: NaN, grads: new Float32Array(0), error: (e as Error).message } satisfies Reply);
    }
  });
  parentPort!.postMessage('ready');
}

if (!isMainThread && (workerData as { pixelGradWorker?: WorkerInit })?.pixelGradWorker) {
  void workerMain((workerData as { pixelGradWorker: WorkerInit }).pixelGradWorker);
}
