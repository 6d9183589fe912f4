/**
 * Prompt text for the prompt model (prompt.ts): words (filler dropped,
 * plurals made singular, synonyms mapped onto the icon set's names), the
 * hashed word and trigram features the model reads, and the phrasings used
 * to train it and to measure how it generalises.
 */
import { normalizePrompt } from './data.js';

/** FNV-1a 32-bit (Fowler, Noll, Vo). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Words that name no shape. */
const FILLER = new Set(['a', 'an', 'the', 'of', 'icon', 'icons', 'symbol', 'sprite', 'pixel', 'art', 'picture', 'drawing', 'some', 'my', 'this', 'that', 'for', 'with', 'please', 'draw', 'me', 'little']);

/** Everyday words → the icon set's own word for the same thing (a small bundled list). */
export const SYNONYMS: Readonly<Record<string, string>> = {
  house: 'home',
  envelope: 'mail',
  letter: 'mail',
  email: 'mail',
  bin: 'trash',
  garbage: 'trash',
  rubbish: 'trash',
  person: 'user',
  profile: 'user',
  avatar: 'user',
  love: 'heart',
  photo: 'image',
  magnifier: 'search',
  find: 'search',
  padlock: 'lock',
  telephone: 'phone',
  chat: 'message',
  speech: 'message',
  notification: 'bell',
  automobile: 'car',
  airplane: 'plane',
  aeroplane: 'plane',
  smiley: 'smile',
  happy: 'smile',
  present: 'gift',
  trolley: 'cart',
  song: 'music',
  document: 'file',
  directory: 'folder',
  watch: 'clock',
  date: 'calendar',
  puppy: 'dog',
  cog: 'settings',
  gear: 'settings',
};

/** "hearts" → "heart", "boxes" → "box", "batteries" → "battery"; short words and "-ss" are left alone. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(sses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The words of a prompt that the model reads, in order (filler dropped, singular, synonyms mapped). */
export function promptWords(text: string): string[] {
  const words = normalizePrompt(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !FILLER.has(w)).map((w) => SYNONYMS[singular(w)] ?? SYNONYMS[w] ?? singular(w));
  return kept.length ? kept : words; // a prompt of filler only ("icon") still means something
}

function l2(v: Float32Array, from: number, to: number): void {
  let norm = 0;
  for (let i = from; i < to; i++) norm += v[i] * v[i];
  if (norm > 0) for (let i = from, s = 1 / Math.sqrt(norm); i < to; i++) v[i] *= s;
}

/** Word + trigram features of a prompt (see the file comment); all zero for an empty prompt. */
export function promptFeatures(text: string, features: number, out = new Float32Array(features)): Float32Array {
  out.fill(0);
  const half = features >> 1;
  for (const word of promptWords(text)) {
    out[fnv1a(`w:${word}`) % half] += 1;
    const w = `#${word}#`;
    for (let i = 0; i + 3 <= w.length; i++) out[half + (fnv1a(w.slice(i, i + 3)) % (features - half))] += 1;
  }
  l2(out, 0, half);
  l2(out, half, features);
  return out;
}

/** The older models' features: hashed, L2-normalised character trigrams of the raw prompt's words. */
export function trigramFeatures(text: string, features: number, out = new Float32Array(features)): Float32Array {
  out.fill(0);
  for (const word of normalizePrompt(text).split(' ')) {
    if (!word) continue;
    const w = `#${word}#`;
    for (let i = 0; i + 3 <= w.length; i++) out[fnv1a(w.slice(i, i + 3)) % features] += 1;
  }
  l2(out, 0, features);
  return out;
}


/** Phrasings used in training (each name drawn gets one at random). */
export const TRAIN_PHRASES = ['{}', '{}', 'a {}', 'the {}', '{} icon', 'icon of a {}', 'pixel art {}', '{s}', '{drop}'];
/** Phrasings kept back to measure generalisation (never seen in training). */
export const HELD_OUT_PHRASES = ['a picture of {}', 'some {s}', 'little {} symbol', 'draw me the {}'];

function plural(word: string): string {
  if (/(s|x|ch|sh|z)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** A name rephrased by a template: {} the name, {s} with its last word plural, {drop} one word left out (when it has several). */
export function rephrase(name: string, template: string, next: () => number = Math.random): string {
  const words = name.split(' ');
  if (template === '{drop}') return words.length > 1 ? words.filter((_, i) => i !== Math.floor(next() * words.length)).join(' ') : name;
  if (template.includes('{s}')) return template.replace('{s}', [...words.slice(0, -1), plural(words[words.length - 1])].join(' '));
  return template.replace('{}', name);
}
