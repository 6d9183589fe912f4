/**
 * Lazy tfjs loading and backend choice. Nothing here runs at import time:
 * pipelines without a neural step never load tfjs.
 *
 * Order for 'auto': tfjs-node-gpu, tfjs-node (used when a user installed one;
 * never required: their install script downloads libtensorflow, which fails
 * on many machines), then wasm (ships its .wasm inside the npm package; SIMD
 * in Node 20), then the pure-JS cpu backend as a last resort (30–400× slower).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { PixelError } from '../pipeline/errors.js';
import { registerWasmGradKernels } from './kernels.js';

import type { TF } from './tf-type.js';

export type { TF };
export type BackendName = 'auto' | 'wasm' | 'cpu' | 'tensorflow';
export const BACKENDS: readonly BackendName[] = ['auto', 'wasm', 'cpu', 'tensorflow'];

let tfPromise: Promise<TF> | undefined;
let wasmReady: Promise<boolean> | undefined;
let nodeReady: Promise<boolean> | undefined;

const require = createRequire(import.meta.url);

/** The tfjs module, loaded once. */
export function loadTf(): Promise<TF> {
  tfPromise ??= import('@tensorflow/tfjs').then((m) => ((m as { default?: TF }).default ?? m) as TF);
  return tfPromise;
}

async function tryNode(): Promise<boolean> {
  nodeReady ??= (async () => {
    for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await import(name); // registers the 'tensorflow' backend
        return true;
      } catch {
        /* not installed: fine */
      }
    }
    return false;
  })();
  return nodeReady;
}

async function tryWasm(tf: TF): Promise<boolean> {
  wasmReady ??= (async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // The .wasm files sit beside the package's main file (its dist folder).
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
      return true;
    } catch {
      return false;
    }
  })();
  if (!(await wasmReady)) return false;
  registerWasmGradKernels(tf);
  return true;
}

async function activate(tf: TF, name: string): Promise<boolean> {
  try {
    if (tf.getBackend() === name) return true;
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok;
  } catch {
    return false;
  }
}

/** Loads tfjs and switches to the requested backend; returns tf and the backend that loaded. */
export async function useBackend(requested: BackendName = 'auto'): Promise<{ tf: TF; backend: string }> {
  const tf = await loadTf();
  // Keep tfjs quiet about its own console hints; we say which backend loaded.
  tf.env().set('IS_TEST', true);
  const order = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  for (const name of order) {
    if (name === 'tensorflow' && !(await tryNode())) continue;
    if (name === 'wasm' && !(await tryWasm(tf))) continue;
    if (await activate(tf, name)) return { tf, backend: tf.getBackend() };
  }
  throw new PixelError('E_CONFIG', `Expected an available tfjs backend for backend but received ${JSON.stringify(requested)}`, {
    hint:
      requested === 'tensorflow'
        ? 'Install @tensorflow/tfjs-node (or -gpu) beside pixel, or use backend "auto"'
        : 'Use backend "auto"; it falls back to wasm, then cpu',
  });
}
