import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../nn/data.js';
import { HELD_OUT_PHRASES, promptFeatures, promptWords, rephrase, singular } from './prompt.js';
import { holdoutListText, honestHoldout, mirrorBits, readHoldoutList, relatedIcons, spriteKey } from './split.js';

const G = 8;
const dir = mkdtempSync(join(tmpdir(), 'pixel-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function random(seed: number): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: G * G }, () => (next() < 0.5 ? 1 : 0));
}

describe('honest split', () => {
  const a = random(1);
  const aNear = a.slice();
  aNear[5] ^= 1;
  aNear[9] ^= 1; // 2 px from a
  const b = random(2);
  const bMirror = mirrorBits(b, G);
  const c = random(3);
  const d = random(4);
  const sprites = [
    { file: '/d/set/a.png', bits: a },
    { file: '/d/set/a-near.png', bits: aNear },
    { file: '/d/set/b.png', bits: b },
    { file: '/d/set/b-flipped.png', bits: bMirror },
    { file: '/d/hn/regular__c.png', bits: c },
    { file: '/d/hn/solid__c.png', bits: d },
    { file: '/d/set/alone.png', bits: random(5) },
  ];
  const links = relatedIcons(sprites, G, 3);

  it('relates near-twins, mirror images and regular/solid siblings, nothing else', () => {
    expect(links[0]).toEqual([1]);
    expect(links[2]).toEqual([3]);
    expect(links[4]).toEqual([5]);
    expect(links[6]).toEqual([]);
  });

  it('holds out a group only when all of it is held out', () => {
    // a is a candidate but its near-twin is not: a stays in training. b and its mirror are both candidates.
    expect(honestHoldout(links, new Set([0, 2, 3, 4, 6]))).toEqual([2, 3, 6]);
  });

  it('lists round-trip, with comments', () => {
    const file = join(dir, 'list.txt');
    writeFileSync(file, holdoutListText(['set/b.png', 'hn/regular__c.png'], 'why\nhow'));
    expect(readHoldoutList(file)).toEqual(['set/b.png', 'hn/regular__c.png']);
    expect(spriteKey('/d/set/b.png', '/d')).toBe('set/b.png');
    expect(() => readHoldoutList(join(dir, 'nope.txt'))).toThrow(`Expected a readable held-out list but cannot read ${JSON.stringify(join(dir, 'nope.txt'))}`);
  });
});

describe('prompt words', () => {
  it('drops filler, makes plurals singular and maps synonyms', () => {
    expect(promptWords('A picture of Hearts')).toEqual(['heart']);
    expect(promptWords('the boxes icon')).toEqual(['box']);
    expect(promptWords('batteries')).toEqual(['battery']);
    expect(promptWords('glass bus')).toEqual(['glass', 'bus']);
    expect(promptWords('a house')).toEqual(['home']);
    expect(promptWords('icon')).toEqual(['icon']); // filler alone still means something
  });
  it('"a cat" and "cat" have the same features; rephrasings cover the held-out templates', () => {
    expect(promptFeatures('a cat', 64)).toEqual(promptFeatures('cat', 64));
    expect(promptFeatures('cats', 64)).toEqual(promptFeatures('cat', 64));
    expect(HELD_OUT_PHRASES.map((t) => rephrase('arrow left', t))).toEqual(['a picture of arrow left', 'some arrow lefts', 'little arrow left symbol', 'draw me the arrow left']);
    expect(rephrase('box', '{s}')).toBe('boxes');
    expect(rephrase('arrow left', '{drop}', () => 0)).toBe('left');
    expect(singular('glass')).toBe('glass');
  });
});
