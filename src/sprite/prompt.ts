/**
 * Prompt → sprite (the idea of the PixelModel project), with prompts read
 * as words, not as exact names:
 *
 * - words: the prompt lower-cased and split into words; filler words that
 *   name no shape ("a", "the", "icon", "of", "pixel" …) dropped; plurals
 *   made singular ("hearts" → "heart", "boxes" → "box"); a small bundled
 *   synonym list maps common words onto the icon set's own ("house" →
 *   "home", "envelope"/"letter" → "mail", "bin" → "trash" …);
 * - features: hashed word unigrams (FNV-1a into one half of the buckets)
 *   plus hashed character trigrams of those words (the other half: unseen
 *   words still share trigrams with seen ones), each half L2-normalised;
 * - one hidden ReLU layer → grid² logits → a hard 0.5 threshold. Training
 *   uses the straight-through estimator (Bengio, Léonard & Courville 2013):
 *   the forward pass sees the hard 0/1 sprite, the backward pass treats the
 *   threshold as identity; its MSE is added to the usual cross-entropy.
 *
 * Training rephrases every name at random each time it is drawn ("a …",
 * "… icon", plurals, one word of a multi-word name dropped) so the model
 * learns what the words mean rather than the exact strings; other
 * phrasings are kept back to measure it (`rephrasedPixelError`).
 * Weights live in a PNG (weights-png.ts). Text features: prompt-text.ts;
 * training: prompt-train.ts.
 */
import { decodeModel, loadModel, type ModelKind } from '../nn/model-file.js';
import type { ModelHeader } from '../nn/weights-png.js';
import { PixelError } from '../pipeline/errors.js';
import { normalizePrompt } from './data.js';
import { promptFeatures, trigramFeatures } from './prompt-text.js';

export { SYNONYMS, singular, promptWords, promptFeatures, trigramFeatures, HELD_OUT_PHRASES, TRAIN_PHRASES, rephrase } from './prompt-text.js';

export const PROMPT_KIND = 'sprite-prompt';

export interface PromptArchitecture {
  /** 'word-mlp': words + trigrams (this file); 'trigram-mlp': trigrams of the raw prompt (older models). */
  type: 'word-mlp' | 'trigram-mlp';
  grid: number;
  features: number;
  hidden: number;
}

export const promptTensorSpecs = (a: PromptArchitecture) => [
  { name: 'hidden.w', shape: [a.features, a.hidden] },
  { name: 'hidden.b', shape: [a.hidden] },
  { name: 'out.w', shape: [a.hidden, a.grid * a.grid] },
  { name: 'out.b', shape: [a.grid * a.grid] },
];

/** The features an architecture reads. */
const featuresFor = (a: PromptArchitecture) => (a.type === 'trigram-mlp' ? trigramFeatures : promptFeatures);

export interface PromptModel {
  header: ModelHeader;
  arch: PromptArchitecture;
  weights: Map<string, Float32Array>;
}

/** The prompt model's files. */
export const PROMPT_FILE: ModelKind<PromptArchitecture> = {
  what: 'prompt model',
  kind: PROMPT_KIND,
  title: 'a prompt-to-sprite model',
  hint: 'Train one with `pixel sprite prompt --train <dir>`, or use models/sprite-prompt.png',
  types: ['word-mlp', 'trigram-mlp'],
  tensors: promptTensorSpecs,
};

export function decodePromptModel(bytes: Uint8Array, file?: string): PromptModel {
  const { header, arch, weights } = decodeModel(bytes, PROMPT_FILE, file);
  return { header, arch, weights };
}

export function loadPromptModel(file: string): PromptModel {
  const { header, arch, weights } = loadModel(file, PROMPT_FILE);
  return { header, arch, weights };
}

/** P(ink) per pixel for a prompt (plain JS: one small matrix-vector product per layer). */
export function promptProbabilities(model: PromptModel, text: string): Float32Array {
  const { arch, weights } = model;
  const x = featuresFor(arch)(text, arch.features);
  const H = arch.hidden;
  const n = arch.grid * arch.grid;
  const w1 = weights.get('hidden.w')!;
  const h = Float64Array.from(weights.get('hidden.b')!);
  for (let f = 0; f < arch.features; f++) {
    const v = x[f];
    if (v === 0) continue;
    for (let j = 0; j < H; j++) h[j] += v * w1[f * H + j];
  }
  const w2 = weights.get('out.w')!;
  const z = Float64Array.from(weights.get('out.b')!);
  for (let j = 0; j < H; j++) {
    const v = h[j];
    if (v <= 0) continue;
    for (let i = 0; i < n; i++) z[i] += v * w2[j * n + i];
  }
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = 1 / (1 + Math.exp(-z[i]));
  return p;
}

/** The sprite for a prompt: ink where P(ink) > 0.5 (the forward pass of the straight-through threshold). */
export function promptSprite(model: PromptModel, text: string): Uint8Array {
  if (!normalizePrompt(text)) throw new PixelError('E_USAGE', `Expected a prompt with letters or digits but received ${JSON.stringify(text)}`, { hint: 'e.g. pixel sprite prompt "heart"' });
  const p = promptProbabilities(model, text);
  return Uint8Array.from(p, (v) => (v > 0.5 ? 1 : 0));
}
