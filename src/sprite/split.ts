/**
 * An honest held-out split for the sprite models. A random split of an icon
 * set flatters a model: icons come in near-copies (a mirrored arrow, the
 * "regular" and "solid" drawing of one HackerNoon icon, two icons a few
 * pixels apart), and training sees the mirror image of everything (flips).
 * So icons are joined into groups: two icons are related when one is within
 * `maxDistance` pixels (Hamming) of the other or of its mirror image, or
 * when they are the regular/solid pair of one name. A group is held out
 * whole or not at all, so no held-out icon has a relative in training.
 *
 * The list lives next to the model (models/sprite-heldout.txt: paths
 * relative to the data folder, one a line) and is what `pixel sprite eval`,
 * `score` and the README use.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { PixelError } from '../pipeline/errors.js';

/** Packs ink bits into 32-bit words (for fast Hamming distances). */
function pack(bits: Uint8Array): Uint32Array {
  const out = new Uint32Array(Math.ceil(bits.length / 32));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 5] |= 1 << (i & 31);
  return out;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function hamming(a: Uint32Array, b: Uint32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += popcount(a[i] ^ b[i]);
  return d;
}

export function mirrorBits(bits: Uint8Array, grid: number): Uint8Array {
  const out = new Uint8Array(bits.length);
  for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) out[y * grid + x] = bits[y * grid + grid - 1 - x];
  return out;
}

/** The key an icon is listed under: its path relative to the data folder, with '/' separators. */
export function spriteKey(file: string, root: string): string {
  return relative(root, file).split(sep).join('/');
}

/** "regular__x" and "solid__x" in one folder are siblings: the same icon drawn two ways. */
function siblingKey(file: string): string | undefined {
  const m = /^(regular|solid)__(.*)$/.exec(basename(file));
  return m ? `${dirname(file)}/${m[2]}` : undefined;
}

/** For each icon, the other icons it is related to (near-twin, mirror near-twin or sibling). */
export function relatedIcons(sprites: readonly { file: string; bits: Uint8Array }[], grid: number, maxDistance = 20): number[][] {
  const packed = sprites.map((s) => pack(s.bits));
  const mirrored = sprites.map((s) => pack(mirrorBits(s.bits, grid)));
  const links: number[][] = sprites.map(() => []);
  for (let i = 0; i < sprites.length; i++)
    for (let j = i + 1; j < sprites.length; j++)
      if (hamming(packed[i], packed[j]) <= maxDistance || hamming(mirrored[i], packed[j]) <= maxDistance) {
        links[i].push(j);
        links[j].push(i);
      }
  const bySibling = new Map<string, number[]>();
  sprites.forEach((s, i) => {
    const k = siblingKey(s.file);
    if (k) bySibling.set(k, [...(bySibling.get(k) ?? []), i]);
  });
  for (const group of bySibling.values())
    for (const i of group) for (const j of group) if (i !== j && !links[i].includes(j)) links[i].push(j);
  return links;
}

/**
 * The icons of `candidates` whose whole group of relatives lies inside
 * `candidates`: holding them out leaves no relative of any of them in training.
 */
export function honestHoldout(links: readonly number[][], candidates: ReadonlySet<number>): number[] {
  const group = new Int32Array(links.length).fill(-1);
  const members: number[][] = [];
  for (let i = 0; i < links.length; i++) {
    if (group[i] >= 0) continue;
    const g = members.length;
    const stack = [i];
    group[i] = g;
    const m: number[] = [];
    while (stack.length) {
      const k = stack.pop()!;
      m.push(k);
      for (const j of links[k])
        if (group[j] < 0) {
          group[j] = g;
          stack.push(j);
        }
    }
    members.push(m);
  }
  return members
    .filter((m) => m.every((k) => candidates.has(k)))
    .flat()
    .sort((a, b) => a - b);
}

/** Reads a held-out list (one path relative to the data folder per line; # comments). */
export function readHoldoutList(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PixelError('E_INPUT', `Expected a readable held-out list but cannot read ${JSON.stringify(file)}`, { file, hint: 'One sprite path per line, relative to the data folder (as models/sprite-heldout.txt)' });
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export function holdoutListText(keys: readonly string[], comment: string): string {
  return `${comment
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n')}\n${keys.join('\n')}\n`;
}
