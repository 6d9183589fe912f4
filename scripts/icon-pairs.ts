/**
 * The icon-style pair set for `pixel train --pairs`: the 24×24 icons of
 * ../shared/data/pixelart that are NOT held out (models/sprite-heldout.txt:
 * no held-out icon has a near-twin, mirror twin or regular/solid sibling in
 * training), laid out 4×4 to a mosaic (96×96 cells, so 48-px patches fit),
 * each mosaic rendered as a scan / anti-aliased render would be
 * (src/nn/icon-render.ts) at 2×, 2.5×, 3×, 3.5× or 4×: name.png is the
 * render, name.target.png the icons themselves (1-bit, black = ink).
 * `pixel train` box-averages each render to the 96-px grid in linear light,
 * exactly as the convert pipeline's resize step does.
 * Usage: node --import tsx scripts/icon-pairs.ts [pixelart dir] [out dir] [renditions]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { rng } from '../src/nn/data.js';
import { mosaic, randomDegradation, renderIcon, RENDER_SCALES } from '../src/nn/icon-render.js';
import { loadSprites } from '../src/sprite/data.js';
import { readHoldoutList, spriteKey } from '../src/sprite/split.js';

const [dir = '../shared/data/pixelart', out = '/tmp/pixel-icon-pairs', renditions = '6'] = process.argv.slice(2);
const GRID = 24;
const SIDE = 4;
const held = new Set(readHoldoutList('models/sprite-heldout.txt'));
const train = (await loadSprites(dir, GRID)).filter((s) => !held.has(spriteKey(s.file, dir)));
mkdirSync(out, { recursive: true });
let files = 0;
for (let r = 0; r < Number(renditions); r++) {
  // Each rendition: a fresh shuffle into mosaics, a fresh degradation per mosaic.
  const next = rng(0x1c0 + r);
  const order = train.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let m = 0; m * SIDE * SIDE < order.length; m++) {
    const icons = order.slice(m * SIDE * SIDE, (m + 1) * SIDE * SIDE).map((i) => train[i].bits);
    const bits = mosaic(icons, GRID, SIDE, SIDE);
    const d = randomDegradation(next, RENDER_SCALES[(r * 7 + m) % RENDER_SCALES.length]);
    const img = renderIcon(bits, GRID * SIDE, GRID * SIDE, d, Math.floor(next() * 2 ** 31));
    const name = join(out, `r${r}-m${String(m).padStart(3, '0')}`);
    await sharp(Buffer.from(img.gray), { raw: { width: img.width, height: img.height, channels: 1 } }).png().toFile(`${name}.png`);
    const target = Buffer.from(bits.map((b) => (b ? 0 : 255)));
    await sharp(target, { raw: { width: GRID * SIDE, height: GRID * SIDE, channels: 1 } }).png().toFile(`${name}.target.png`);
    files++;
  }
}
console.log(`${train.length} training icons (${held.size} held out), ${files} pairs → ${out}`);
