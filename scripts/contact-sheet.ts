/**
 * npm run sheet: the README's picture: example images through several presets.
 * Writes docs/presets-sheet.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { decodeImage } from '../src/image/decode.js';
import { contactSheet, type SheetCell, type SheetRow } from '../src/image/sheet.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const IMAGES = ['examples/images/cat.png', 'examples/images/rocket.png', 'examples/images/sprites/ghost.svg'];
const PRESETS = ['photo', 'pixel-art', 'sprite', 'playdate', 'newspaper', 'lowtech-web'];

const plugins = pluginTable();
const rows: SheetRow[] = [];
for (const file of IMAGES) {
  const bytes = readFileSync(join(ROOT, file));
  const cells: SheetCell[] = [{ image: await decodeImage(bytes, { file }), label: 'source' }];
  for (const preset of PRESETS) {
    const config = resolveConfig({ config: {}, preset, plugins });
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
