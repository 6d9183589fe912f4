/**
 * The README's device picture: one image through every device preset, each
 * shown at its exact size in its panel colours (the contact sheet scales each
 * cell by nearest neighbour). Writes docs/devices-sheet.png.
 *
 *   npx tsx scripts/device-sheet.ts [image]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { decodeImage } from '../src/image/decode.js';
import { contactSheet, type SheetCell } from '../src/image/sheet.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { builtinPresets } from '../presets/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const file = process.argv[2] ?? join(ROOT, 'examples/images/cat.png');
const DEVICES = [
  ['source', 'playdate', 'mac-classic', 'macpaint', 'thermal-58mm'],
  ['eink-2in13', 'eink-4in2', 'eink-7in5', 'nokia-5110', 'thermal-80mm'],
  ['ssd1306-128x64', 'ssd1306-128x32', 'sh1106-128x64', 'arduboy'],
];

const plugins = pluginTable();
const bytes = readFileSync(file);
const rows = [];
for (const names of DEVICES) {
  const cells: SheetCell[] = [];
  for (const preset of names) {
    if (preset === 'source') {
      cells.push({ image: await decodeImage(bytes, { file }), label: 'source' });
      continue;
    }
    const config = resolveConfig({ presets: builtinPresets, config: {}, preset, plugins });
    const pipeline = await buildPipeline(config.steps, plugins);
    const { image } = await runOne(bytes, config, pipeline, { file });
    await pipeline.dispose();
    cells.push({ image, label: `${preset} ${image.width}×${image.height}` });
  }
  rows.push({ cells });
}
const out = join(ROOT, 'docs/devices-sheet.png');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, await contactSheet(rows, { cellWidth: 280, cellHeight: 200, labelHeight: 20 }));
console.log(`wrote ${out}`);
