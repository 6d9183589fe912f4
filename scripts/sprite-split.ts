/**
 * models/sprite-heldout.txt: the honest held-out split of the sprite data
 * (src/sprite/split.ts). Candidates are the icons the previous shipped model
 * (seed-1 random 10 % split of the 1,533 usable icons) never trained on, so
 * both models can be compared on the same icons; of those, only groups with
 * no relative (≤ 20 px from the icon or its mirror image, or the
 * regular/solid sibling) outside the candidates are kept.
 * Usage: node --import tsx scripts/sprite-split.ts [pixelart dir] [out.txt]
 */
import { writeFileSync } from 'node:fs';
import { rng } from '../src/nn/data.js';
import { loadSprites, splitSprites } from '../src/sprite/data.js';
import { holdoutListText, honestHoldout, relatedIcons, spriteKey } from '../src/sprite/split.js';

const [dir = '../shared/data/pixelart', out = 'models/sprite-heldout.txt'] = process.argv.slice(2);
const sprites = await loadSprites(dir, 24);
const { val } = splitSprites(
  sprites.map((_, i) => i),
  0.1,
  rng(1 ^ 0x5eed),
);
const held = honestHoldout(relatedIcons(sprites, 24, 20), new Set(val));
const keys = held.map((i) => spriteKey(sprites[i].file, dir));
writeFileSync(
  out,
  holdoutListText(
    keys,
    `Honest held-out sprites (${keys.length} of ${sprites.length}), written by scripts/sprite-split.ts:\n` +
      `no icon within 20 px (Hamming) of these or of their mirror images, and no regular/solid sibling, is trained on.`,
  ),
);
console.log(`${val.length} candidates, ${keys.length} held out → ${out}`);
