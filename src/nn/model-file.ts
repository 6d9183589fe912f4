/**
 * One loader for every kind of model file (the U-Net binarizer, the
 * autoregressive sprite models, the prompt model): read the file, parse the
 * weights PNG (weights-png.ts), check the header's kind and architecture and
 * that every tensor the architecture needs is there with its shape, all
 * before anything is built, so a bad file fails with one clear error and
 * leaves nothing behind. Messages name the file and the problem; which flag
 * or option gave the path is the caller's to say.
 */
import { readFileSync } from 'node:fs';
import { PixelError } from '../pipeline/errors.js';
import type { TF } from './tf.js';
import { decodeModelPng, type ModelHeader } from './weights-png.js';

type Tensor = import('@tensorflow/tfjs').Tensor;

/** A weight tensor an architecture needs: its name in the file and its shape. */
export interface TensorShape {
  name: string;
  shape: readonly number[];
}

/** What a kind of model file must hold. */
export interface ModelKind<A> {
  /** The model in messages, e.g. "sprite model". */
  what: string;
  /** The header's `kind`; undefined for the U-Net's files, which have none. */
  kind?: string;
  /** What the header's kind must be, for the mismatch message, e.g. "an autoregressive sprite model". */
  title: string;
  /** How to get a file of this kind (the hint when the file holds another kind). */
  hint?: string;
  /** The architecture types this kind reads (the header's `architecture.type`). */
  types: readonly string[];
  /** Further checks of an architecture of one of those types (its fields). */
  valid?(arch: A): boolean;
  /** Every weight tensor, in file order. */
  tensors(arch: A): readonly TensorShape[];
}

export interface ModelFileContents<A> {
  header: ModelHeader;
  arch: A;
  /** The architecture's tensors (own copies, not views of the file). */
  weights: Map<string, Float32Array>;
  /** The file's other tensors (e.g. optimizer state in checkpoints). */
  extra: Map<string, Float32Array>;
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The bytes of a model file, or an error naming it. */
export function readModelFile(file: string, what = 'model'): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixelError('E_INPUT', `Expected a readable ${what} file but cannot read ${JSON.stringify(file)}`, {
      file,
      hint: code === 'ENOENT' ? 'Check the model path.' : `Check the file's permissions (${code ?? 'unreadable'}).`,
    });
  }
}

/** Parses and checks model bytes as `kind`; throws before copying anything when a tensor is missing or misshapen. */
export function decodeModel<A>(bytes: Uint8Array, kind: ModelKind<A>, file?: string): ModelFileContents<A> {
  const { header, tensors } = decodeModelPng(bytes, file);
  const where = file ?? 'the file';
  if (header.kind !== kind.kind)
    throw new PixelError('E_INPUT', `Expected ${kind.title}${kind.kind ? ` (kind "${kind.kind}")` : ''} but ${where} holds ${JSON.stringify(header.kind ?? 'a unet binarizer')}`, { file, hint: kind.hint });
  const arch = header.architecture as A;
  const type = (arch as { type?: unknown } | undefined)?.type;
  if (!kind.types.includes(type as string) || kind.valid?.(arch) === false) {
    throw new PixelError('E_INPUT', `Expected a ${kind.what} architecture ${kind.types.map((t) => JSON.stringify(t)).join(' or ')} but ${where} has ${JSON.stringify(type ?? arch)}`, {
      file,
      hint: 'The file may come from a newer pixel; retrain it with this one',
    });
  }
  const specs = kind.tensors(arch);
  for (const s of specs) {
    const t = tensors.get(s.name);
    if (!t) throw new PixelError('E_INPUT', `Expected tensor ${s.name} in the ${kind.what} but ${where} has none`, { file, hint: 'The file is damaged or was written for another architecture; use the file as written by training' });
    if (t.length !== count(s.shape))
      throw new PixelError('E_INPUT', `Expected tensor ${s.name} of shape [${s.shape.join(', ')}] in the ${kind.what} but ${where} has ${t.length} values`, { file });
  }
  const weights = new Map(specs.map((s) => [s.name, tensors.get(s.name)!.slice()]));
  const extra = new Map([...tensors].filter(([name]) => !weights.has(name)));
  return { header, arch, weights, extra };
}

/** Reads, parses and checks a model file as `kind`. */
export function loadModel<A>(file: string, kind: ModelKind<A>): ModelFileContents<A> {
  return decodeModel(readModelFile(file, kind.what), kind, file);
}

/** tfjs tensors for checked weights; if making one fails, the ones already made are disposed. */
export function toTensors(tf: TF, weights: ReadonlyMap<string, Float32Array>, specs: readonly TensorShape[]): Map<string, Tensor> {
  const made = new Map<string, Tensor>();
  try {
    for (const s of specs) made.set(s.name, tf.tensor(weights.get(s.name)!, [...s.shape], 'float32'));
  } catch (error) {
    for (const t of made.values()) t.dispose();
    throw error;
  }
  return made;
}
