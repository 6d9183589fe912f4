/**
 * The grid step on fake pixel art: icons of ../shared/data/pixelart (24×24)
 * upscaled ×3–×12, shifted by a random sub-cell offset, blurred (σ = scale/5)
 * and saved as JPEG quality 70, then grid → threshold. Prints how often the
 * cell size is found exactly and the distribution of the share of pixels
 * equal to the original icon.
 *
 *   npx tsx bench/grid.ts [icons per scale, default 40]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeImage } from '../src/image/decode.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import type { BinaryTensor } from '../src/pipeline/types.js';
import { pluginTable } from '../src/plugins/index.js';
import { cellCentres, detectGrid } from '../src/plugins/grid/index.js';
import { rng } from '../test/helpers.js';
import { fakePixelArt, matchShare } from '../test/grid-fake.js';

const ROOT = resolve(import.meta.dirname, '../../shared/data/pixelart');
const perScale = Number(process.argv[2] ?? 40);
if (!existsSync(ROOT)) {
  console.log(`skipped: ${ROOT} not found`);
  process.exit(0);
}
const files = ['pixelarticons', 'hackernoon24'].flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.png')).map((f) => join(ROOT, d, f)));
const random = rng(7);
/** The cell size found is the upscale factor, or a whole multiple of it when the icon itself is coarser (2-px strokes). */
const sameGrid = (size: number, scale: number) => Math.abs(size / scale - Math.round(size / scale)) < 0.02 && Math.round(size / scale) >= 1;
const plugins = pluginTable();
const pipeline = await buildPipeline([{ use: 'grid' }, { use: 'adjust' }, { use: 'threshold', value: 0.5 }], plugins);
const plain = await buildPipeline([{ use: 'adjust' }, { use: 'threshold', value: 0.5 }], plugins);
const shares: number[] = [];
let sizeRight = 0;
let noGrid = 0;
const started = performance.now();
for (let scale = 3; scale <= 12; scale++) {
  for (let k = 0; k < perScale; k++) {
    const file = files[Math.floor(random() * files.length)];
    const icon = (await plain.run(await decodeImage(file), {})) as BinaryTensor;
    const clean = icon.width === 24 ? icon : undefined;
    if (!clean) continue;
    const d = { scale, dx: 1 + Math.floor(random() * (scale - 1)), dy: 1 + Math.floor(random() * (scale - 1)), sigma: scale / 5, quality: 70 };
    const jpeg = await fakePixelArt(clean, d);
    const decoded = await decodeImage(jpeg);
    const fit = detectGrid(decoded);
    if (!fit) noGrid++;
    else if (sameGrid(fit.size, scale)) sizeRight++;
    const out = (await pipeline.run(decoded, {})) as BinaryTensor;
    // Without a grid the image stays full size: every pixel is its own cell.
    const xs = fit ? cellCentres(decoded.width, fit.size, fit.phaseX) : Array.from({ length: decoded.width }, (_, i) => i + 0.5);
    const ys = fit ? cellCentres(decoded.height, fit.size, fit.phaseY) : Array.from({ length: decoded.height }, (_, i) => i + 0.5);
    shares.push(matchShare(clean, d, out, xs, ys));
    if (process.env.VERBOSE && (shares.at(-1)! < 0.98 || !fit || !sameGrid(fit.size, scale))) console.log(file.split('/').slice(-2).join('/'), JSON.stringify(d), fit && [fit.size.toFixed(3), fit.phaseX.toFixed(2), fit.phaseY.toFixed(2), fit.score.toFixed(2)], shares.at(-1)!.toFixed(3));
  }
}
await pipeline.dispose();
await plain.dispose();
shares.sort((a, b) => a - b);
const q = (p: number) => shares[Math.min(shares.length - 1, Math.floor(p * shares.length))];
const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
console.log(`${shares.length} fake icons (×3–×12, σ = scale/5, sub-cell offset, JPEG q70) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`cell size = the scale or the icon's own coarser grid (a multiple): ${sizeRight}/${shares.length}; no grid found: ${noGrid}`);
console.log(`pixels equal to the icon: mean ${(mean * 100).toFixed(2)} %, min ${(q(0) * 100).toFixed(1)} %, p10 ${(q(0.1) * 100).toFixed(1)} %, median ${(q(0.5) * 100).toFixed(1)} %, ≥ 98 %: ${shares.filter((s) => s >= 0.98).length}/${shares.length}, 100 %: ${shares.filter((s) => s === 1).length}`);
