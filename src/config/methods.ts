/**
 * `--method <name>`: one flag naming the binarization, whichever plugin does it.
 * Each name maps to an override of the binarizer step.
 */
import { DITHER_METHODS } from '../plugins/dither/index.js';

export interface MethodInfo {
  plugin: string;
  options: Record<string, unknown>;
}

const THRESHOLD_METHODS: Record<string, MethodInfo> = {
  threshold: { plugin: 'threshold', options: { mode: 'fixed' } },
  otsu: { plugin: 'threshold', options: { mode: 'otsu' } },
  adaptive: { plugin: 'threshold', options: { mode: 'adaptive' } },
  unet: { plugin: 'unet', options: {} },
  'pixel-art': { plugin: 'pixel-art', options: {} },
};

export function methodTable(): Record<string, MethodInfo> {
  const table: Record<string, MethodInfo> = { ...THRESHOLD_METHODS };
  for (const m of DITHER_METHODS) table[m] = { plugin: 'dither', options: { method: m } };
  return table;
}

export function methodNames(): string[] {
  return Object.keys(methodTable());
}
