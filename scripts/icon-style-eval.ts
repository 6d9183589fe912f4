/**
 * The icon-style model against the other binarizers on the held-out icons
 * (models/sprite-heldout.txt): each icon rendered degraded at 2×–4×
 * (src/nn/icon-render.ts testRenders), converted at a 24×24 grid (box resize
 * in linear light, then the method), compared pixel by pixel with the icon.
 * Prints the README's markdown table (and --json <file> for the numbers).
 * Usage: node --import tsx scripts/icon-style-eval.ts [pixelart dir] [--json file]
 */
import { writeFileSync } from 'node:fs';
import { iconStyleScores, ICON_METHODS } from './icon-style-scores.js';
import { loadSprites } from '../src/sprite/data.js';
import { readHoldoutList, spriteKey } from '../src/sprite/split.js';
import { RENDER_SCALES } from '../src/nn/icon-render.js';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const json = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const dir = args[0] ?? '../shared/data/pixelart';
const held = new Set(readHoldoutList('models/sprite-heldout.txt'));
const icons = (await loadSprites(dir, 24)).filter((s) => held.has(spriteKey(s.file, dir))).map((s) => s.bits);
const rows = await iconStyleScores(icons, ICON_METHODS);
const pct = (v: number) => (100 * v).toFixed(2);
console.log(`| method | pixel accuracy % | icons exact % | ${RENDER_SCALES.map((s) => `${s}×`).join(' | ')} |`);
console.log(`|---|---:|---:|${RENDER_SCALES.map(() => '---:').join('|')}|`);
for (const r of rows) console.log(`| ${r.label} | ${pct(r.accuracy)} | ${pct(r.exact)} | ${r.byScale.map(pct).join(' | ')} |`);
console.log(`\n${icons.length} held-out icons × ${RENDER_SCALES.length} scales = ${icons.length * RENDER_SCALES.length} renders`);
if (json) writeFileSync(json, JSON.stringify({ icons: icons.length, scales: RENDER_SCALES, rows }, null, 2));
