/**
 * docs/sprite-prompts.png: what the prompt model draws. Row 1: training
 * icons (ground truth); row 2: the model for their names; row 3: the same
 * names rephrased ("a picture of …", plurals …: phrasings never used in
 * training); row 4: prompts that are no icon's name (synonyms, new words).
 * Prints per-icon pixel errors, and rephrased-prompt recall for a second
 * model when given (to compare with an older one).
 * Usage: node --import tsx scripts/sprite-prompts.ts <pixelart dir> <out.png> [older-model.png]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng1 } from '../src/image/encode/png.js';
import { listSpriteFiles, loadSprites, promptOf, readBits } from '../src/sprite/data.js';
import { HELD_OUT_PHRASES, loadPromptModel, promptSprite, rephrase, type PromptModel } from '../src/sprite/prompt.js';
import { promptErrors } from '../src/sprite/prompt-train.js';
import { defaultPromptModelPath, spriteSheet } from '../src/sprite/sheet.js';
import { readHoldoutList, spriteKey } from '../src/sprite/split.js';

const [dir = '../shared/data/pixelart', out = 'docs/sprite-prompts.png', older] = process.argv.slice(2);
const model = loadPromptModel(defaultPromptModelPath());
const seen = ['pixelarticons/heart.png', 'pixelarticons/home.png', 'pixelarticons/mail.png', 'pixelarticons/clock.png', 'pixelarticons/camera.png', 'hackernoon24/solid__bookmark.png', 'pixelarticons/trash.png', 'pixelarticons/user.png'];
const phrasings = ['a picture of hearts', 'some homes', 'little mail symbol', 'draw me the clock', 'a picture of cameras', 'some solid bookmarks', 'little trash symbol', 'draw me the user'];
// None of these is an icon name in the set (checked below); some are synonyms of names, some are new words.
const unseen = ['house', 'letter', 'smiley face', 'garbage bin', 'cat', 'rocket', 'ghost', 'fish bowl'];
const truth: Uint8Array[] = [];
const drawn: Uint8Array[] = [];
const rephrased: Uint8Array[] = [];
const wrong = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + (v !== b[i] ? 1 : 0), 0);
for (const [i, f] of seen.entries()) {
  const img = await readBits(join(dir, f));
  const name = promptOf(f);
  const bits = promptSprite(model, name);
  const re = promptSprite(model, phrasings[i]);
  console.log(`${name.padEnd(16)} ${wrong(bits, img.bits)} wrong pixels of ${bits.length}; "${phrasings[i]}": ${wrong(re, img.bits)}`);
  truth.push(img.bits);
  drawn.push(bits);
  rephrased.push(re);
}
const names = new Set(listSpriteFiles(dir).map(promptOf));
for (const p of unseen) if (names.has(p)) console.log(`note: "${p}" is an icon name in the set`);
const free = unseen.map((p) => promptSprite(model, p));
console.log(`unseen: ${unseen.join(', ')}`);
writeFileSync(out, encodePng1(spriteSheet([truth, drawn, rephrased, free], model.arch.grid, 3), { level: 9 }));
console.log(`wrote ${out}`);

// Recall on every training icon: bare names and the held-out phrasings; held-out icons by name.
const sprites = await loadSprites(dir, 24);
const held = new Set(readHoldoutList('models/sprite-heldout.txt'));
const train = sprites.filter((s) => !held.has(spriteKey(s.file, dir)));
const test = sprites.filter((s) => held.has(spriteKey(s.file, dir)));
const report = (label: string, m: PromptModel) => {
  const bare = promptErrors(m, train.map((s) => ({ prompt: s.name, bits: s.bits })));
  const re = HELD_OUT_PHRASES.map((t) => promptErrors(m, train.map((s) => ({ prompt: rephrase(s.name, t), bits: s.bits }))));
  const a = promptErrors(m, train.map((s) => ({ prompt: `a ${s.name}`, bits: s.bits })));
  const h = promptErrors(m, test.map((s) => ({ prompt: s.name, bits: s.bits })));
  const pc = (v: number) => `${(v * 100).toFixed(1)} %`;
  console.log(
    `${label}: bare names ${pc(bare.pixelError)} error, ${pc(bare.within3)} within 3 %; "a <name>" ${pc(a.pixelError)}, ${pc(a.within3)} within 3 %; ` +
      `held-out phrasings ${pc(re.reduce((s, r) => s + r.pixelError, 0) / re.length)}, ${pc(re.reduce((s, r) => s + r.within3, 0) / re.length)} within 3 %; held-out icons (${test.length}) by name ${pc(h.pixelError)}`,
  );
};
const blank = test.reduce((a, s) => a + s.bits.reduce((x, v) => x + v, 0), 0) / (test.length * 576);
console.log(`held-out icons left blank: ${(blank * 100).toFixed(1)} % pixel error`);
report('this model', model);
if (older) report('older model', loadPromptModel(older));
