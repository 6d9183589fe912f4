/**
 * docs/sprite-prompts.png: what the prompt model draws. Row 1: training
 * icons (ground truth); row 2: the model's answer for their names; row 3:
 * prompts that are not icon names. Prints the per-icon pixel errors.
 * Usage: node --import tsx scripts/sprite-prompts.ts <pixelart dir> <out.png>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng1 } from '../src/image/encode/png.js';
import { listSpriteFiles, promptOf, readBits } from '../src/sprite/data.js';
import { loadPromptModel, promptSprite } from '../src/sprite/prompt.js';
import { defaultPromptModelPath, spriteSheet } from '../src/sprite/sheet.js';

const [dir = '../shared/data/pixelart', out = 'docs/sprite-prompts.png'] = process.argv.slice(2);
const model = loadPromptModel(defaultPromptModelPath());
const seen = ['pixelarticons/heart.png', 'pixelarticons/home.png', 'pixelarticons/mail.png', 'pixelarticons/clock.png', 'pixelarticons/music.png', 'hackernoon24/solid__bookmark.png', 'pixelarticons/trash.png', 'pixelarticons/user.png'];
// None of these is an icon name in the set (checked below); some share words or trigrams with names.
const unseen = ['house', 'red heart', 'smiley face', 'cat', 'rocket', 'ghost', 'dragon', 'fish bowl'];
const truth: Uint8Array[] = [];
const drawn: Uint8Array[] = [];
for (const f of seen) {
  const img = await readBits(join(dir, f));
  const name = f.replace(/^.*\//, '').replace(/\.png$/, '').replace('solid__', 'solid ').replace(/-/g, ' ');
  const bits = promptSprite(model, name);
  let wrong = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i] !== img.bits[i]) wrong++;
  console.log(`${name.padEnd(16)} ${wrong} wrong pixels of ${bits.length}`);
  truth.push(img.bits);
  drawn.push(bits);
}
const names = new Set(listSpriteFiles(dir).map(promptOf));
for (const p of unseen) if (names.has(p)) console.log(`note: "${p}" is an icon name in the set`);
const free = unseen.map((p) => promptSprite(model, p));
console.log(`unseen: ${unseen.join(', ')}`);
writeFileSync(out, encodePng1(spriteSheet([truth, drawn, free], model.arch.grid, 3), { level: 9 }));
console.log(`wrote ${out}`);
