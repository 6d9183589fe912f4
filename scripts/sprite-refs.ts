/**
 * models/sprite-refs.png: the reference icons `pixel sprite complete` draws
 * candidates from: the training icons of models/sprite-ar.png (every usable
 * icon not on models/sprite-heldout.txt) as one 1-bit sheet of 24×24 tiles,
 * 40 per row (src/sprite/complete.ts). Mirror images are added when loaded.
 * Usage: node --import tsx scripts/sprite-refs.ts [pixelart dir] [heldout.txt] [out.png]
 */
import { writeFileSync } from 'node:fs';
import { encodePng1 } from '../src/image/encode/png.js';
import { binaryTensor } from '../src/pipeline/types.js';
import { referenceSheet } from '../src/sprite/complete.js';
import { loadSprites } from '../src/sprite/data.js';
import { readHoldoutList, spriteKey } from '../src/sprite/split.js';

const [dir = '../shared/data/pixelart', list = 'models/sprite-heldout.txt', out = 'models/sprite-refs.png'] = process.argv.slice(2);
const held = new Set(readHoldoutList(list));
const train = (await loadSprites(dir, 24)).filter((s) => !held.has(spriteKey(s.file, dir)));
const sheet = referenceSheet(
  train.map((s) => s.bits),
  24,
);
const t = binaryTensor(sheet.width, sheet.height);
for (let i = 0; i < sheet.bits.length; i++) t.data[i] = sheet.bits[i] ? 0 : 1; // ink bits → paper = 1
writeFileSync(out, encodePng1(t, { level: 9 }));
console.log(`wrote ${out}: ${train.length} training icons (${sheet.width}×${sheet.height})`);
