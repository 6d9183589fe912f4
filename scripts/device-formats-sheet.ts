/**
 * The README's picture of the three-colour and byte formats: the B/W/R
 * e-paper presets in their three colours, and files read back with the same
 * reader `pixel decode` uses (Playdate pdi and pdt frames, ESC/POS raster, an
 * Arduboy Sprites header), so what is shown is what the bytes hold; and a
 * fake pixel-art icon before and after `--grid auto`.
 * Writes docs/devices-formats.png.
 *
 *   npx tsx scripts/device-formats-sheet.ts [image]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { readDevice, sideBySide } from '../src/image/encode/read.js';
import { contactSheet, type SheetCell } from '../src/image/sheet.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { decodeImage } from '../src/image/decode.js';
import type { BinaryTensor } from '../src/pipeline/types.js';
import { fakePixelArt } from '../test/grid-fake.js';
import { builtinPresets } from '../presets/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const file = process.argv[2] ?? join(ROOT, 'examples/images/rocket.png');
const plugins = pluginTable();
const bytes = readFileSync(file);

async function run(preset: string | undefined, output: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const resolved = resolveConfig({ presets: builtinPresets, config, preset, cli: { output }, plugins });
  const pipeline = await buildPipeline(resolved.steps, plugins);
  try {
    return await runOne(bytes, resolved, pipeline, { file, name: 'image' });
  } finally {
    await pipeline.dispose();
  }
}

const cell = async (preset: string) => {
  const { image } = await run(preset, { format: 'png' });
  return { image, label: `${preset} ${image.width}×${image.height}` };
};
const readBack = async (label: string, ext: string, preset: string | undefined, output: Record<string, unknown>, config = {}, options = {}): Promise<SheetCell> => {
  const { data } = await run(preset, output, config);
  const read = readDevice(data, `x.${ext}`, options);
  const image = read.frames.length > 1 || read.accent ? sideBySide(read.frames, read.accent) : read.frames[0];
  return { image, label: `${label}: ${data.length} B read back` };
};

const rows = [
  { cells: await Promise.all(['eink-2in13-bwr', 'eink-2in9-bwr', 'eink-4in2-bwr', 'eink-7in5-bwr'].map(cell)) },
  {
    cells: [
      await readBack('playdate .pdi', 'pdi', 'playdate', { format: 'pdi' }),
      await readBack('thermal-58mm .escpos', 'escpos', 'thermal-58mm', { format: 'escpos' }),
      await readBack('arduboy .h (Sprites)', 'h', 'arduboy', {}, {}, { setIsPaper: true }),
      await readBack('c header, --rotate 90', 'h', undefined, { format: 'c' }, { steps: [{ use: 'resize', width: 96, height: 64, fit: 'cover' }, { use: 'adjust' }, { use: 'dither', method: 'atkinson' }, { use: 'orient', rotate: 90 }] }),
    ],
  },
];
// Fake pixel art: an icon ×7, offset, blurred, JPEG q70; then --grid auto (shown ×7 again).
const iconFile = join(ROOT, '../shared/data/pixelart/pixelarticons/airplay.png');
if (existsSync(iconFile)) {
  const clean = (await (await buildPipeline([{ use: 'adjust' }, { use: 'threshold' }], plugins)).run(await decodeImage(iconFile), {})) as BinaryTensor;
  const fake = await fakePixelArt(clean, { scale: 7, dx: 3, dy: 5, sigma: 1.4, quality: 70 });
  const recover = await buildPipeline([{ use: 'grid' }, { use: 'adjust' }, { use: 'threshold' }, { use: 'upscale', scale: 7 }], plugins);
  rows.push({
    cells: [
      { image: await decodeImage(fake), label: 'fake pixel art: ×7, blur, JPEG q70' },
      { image: (await recover.run(await decodeImage(fake), {})) as BinaryTensor, label: '--grid auto: 7 px cells → 25×25 (×7)' },
    ],
  });
}
const out = join(ROOT, 'docs/devices-formats.png');
writeFileSync(out, await contactSheet(rows, { cellWidth: 300, cellHeight: 200, labelHeight: 20 }));
console.log(`wrote ${out}`);
