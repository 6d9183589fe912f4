/**
 * npm run sheet: the README's pictures: example images through several
 * presets (docs/presets-sheet.png), and photos, line art and text scenes
 * through four binarizers at two grids (docs/pixel-art-sheet.png).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { decodeImage } from '../src/image/decode.js';
import { contactSheet, type SheetCell, type SheetRow } from '../src/image/sheet.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { generateTextSet } from './text-set.js';
import { builtinPresets } from '../presets/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const IMAGES = ['examples/images/cat.png', 'examples/images/rocket.png', 'examples/images/sprites/ghost.svg'];
const PRESETS = ['photo', 'pixel-art', 'sprite', 'playdate', 'newspaper', 'lowtech-web'];

const plugins = pluginTable();
const rows: SheetRow[] = [];
for (const file of IMAGES) {
  const bytes = readFileSync(join(ROOT, file));
  const cells: SheetCell[] = [{ image: await decodeImage(bytes, { file }), label: 'source' }];
  for (const preset of PRESETS) {
    const config = resolveConfig({ presets: builtinPresets, config: {}, preset, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    const { image } = await runOne(bytes, config, pipeline, { file });
    cells.push({ image, label: preset });
    await pipeline.dispose();
  }
  rows.push({ cells });
}
const out = join(ROOT, 'docs/presets-sheet.png');
writeFileSync(out, await contactSheet(rows, { cellWidth: 300, cellHeight: 200 }));
console.log(`wrote ${out}`);

/**
 * docs/pixel-art-sheet.png: photos, a line drawing and text scenes through
 * Floyd–Steinberg, Otsu, adaptive and pixel-art at grids 64 and 128, each
 * shown at a whole-number scale (the sheet enlarges by whole factors only).
 */
const LINE_ART =
  '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="384"><rect width="512" height="384" fill="#fbf8ef"/>' +
  '<g fill="none" stroke="#111" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">' +
  '<circle cx="150" cy="190" r="110" fill="#f1d9b5"/><circle cx="110" cy="165" r="14" fill="#fff"/><circle cx="190" cy="165" r="14" fill="#fff"/>' +
  '<circle cx="112" cy="168" r="5" fill="#111"/><circle cx="192" cy="168" r="5" fill="#111"/><path d="M150 180 L140 220 L158 222"/>' +
  '<path d="M100 250 Q150 290 200 250"/><path d="M60 120 Q100 40 150 80 Q190 30 240 120"/>' +
  '<path d="M300 330 L300 200 L390 130 L480 200 L480 330 Z" fill="#c9d7e8"/><rect x="330" y="230" width="40" height="40" fill="#fff"/>' +
  '<rect x="410" y="250" width="40" height="80" fill="#8a6a4a"/><path d="M350 230 L350 270 M330 250 L370 250"/></g></svg>';
const SHEET_METHODS: Array<[string, Record<string, unknown>[]]> = [
  ['floyd-steinberg', [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }]],
  ['otsu', [{ use: 'adjust' }, { use: 'threshold', mode: 'otsu' }]],
  ['adaptive', [{ use: 'adjust' }, { use: 'threshold', mode: 'adaptive' }]],
  ['pixel-art', [{ use: 'pixel-art' }]],
];
const texts = await generateTextSet(join(tmpdir(), `pixel-text-${process.pid}`), 2, 0x5ce7e);
const sources: Array<[string, Buffer]> = [
  ['cat (photo)', readFileSync(join(ROOT, 'examples/images/cat.png'))],
  ['snake (photo)', readFileSync(join(ROOT, 'examples/images/snake.png'))],
  ['line drawing', await sharp(Buffer.from(LINE_ART)).png().toBuffer()],
  ['chalk text', readFileSync(join(ROOT, 'examples/images/chalktext.png'))],
  ...texts.map((f, i): [string, Buffer] => [`text scene ${i + 1}`, readFileSync(f)]),
];
const artRows: SheetRow[] = [];
for (const [label, bytes] of sources) {
  const cells: SheetCell[] = [{ image: await decodeImage(bytes, { file: label }), label }];
  for (const grid of [64, 128]) {
    for (const [name, steps] of SHEET_METHODS) {
      const pipeline = await buildPipeline([{ use: 'resize', longSide: grid }, ...steps] as never, plugins);
      const config = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'resize', longSide: grid }, ...steps] as never }, plugins });
      const { image } = await runOne(bytes, config, pipeline, { file: label });
      cells.push({ image, label: `${name} ${grid}` });
      await pipeline.dispose();
    }
  }
  artRows.push({ cells });
}
const artOut = join(ROOT, 'docs/pixel-art-sheet.png');
writeFileSync(artOut, await contactSheet(artRows, { cellWidth: 256, cellHeight: 192 }));
console.log(`wrote ${artOut}`);
