/**
 * node --import tsx bench/pixel-art-cost.ts: the cost of the pixel-art
 * preset (the pixel-art binarizer) on a 12-MP photo against the former
 * Floyd–Steinberg pixel-art job (issue 13: "no slower"). Each decodes the JPEG and resizes
 * once from the source; pixel-art resizes to workScale × the grid (256 in
 * the preset, 512 by default) and works there, FS to the grid (128). The photo is examples/images/cat.png
 * enlarged to 4000×3000 and saved as a JPEG (quality 90), in memory.
 * Runs alternate between the jobs so machine load hits both alike; prints
 * the minimum and median of each over the rounds.
 */
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { resolveConfig } from '../src/config/resolve.js';
import { runOne } from '../src/convert.js';
import { buildPipeline, type StepConfig } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { builtinPresets } from '../presets/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 7);
const photo = await sharp(join(ROOT, 'examples/images/cat.png')).resize(4000, 3000).jpeg({ quality: 90 }).toBuffer();

const JOBS: Record<string, StepConfig[]> = {
  'former pixel-art preset (FS)': [{ use: 'resize', longSide: 128 }, { use: 'adjust' }, { use: 'dither' }, { use: 'upscale', scale: 4 }],
  'pixel-art preset (pixel-art, lines at 2×)': [{ use: 'resize', longSide: 128, kernel: 'box' }, { use: 'pixel-art', workScale: 2 }, { use: 'upscale', scale: 4 }],
  'pixel-art binarizer default (lines at 4×)': [{ use: 'resize', longSide: 128, kernel: 'box' }, { use: 'pixel-art' }, { use: 'upscale', scale: 4 }],
};

const plugins = pluginTable();
const prepared = await Promise.all(
  Object.entries(JOBS).map(async ([name, steps]) => {
    const config = resolveConfig({ presets: builtinPresets, config: { steps }, plugins });
    return { name, config, pipeline: await buildPipeline(config.steps, plugins), times: [] as number[] };
  }),
);
for (const p of prepared) await runOne(photo, p.config, p.pipeline); // warm up
for (let r = 0; r < rounds; r++)
  for (const p of prepared) {
    const t0 = performance.now();
    await runOne(photo, p.config, p.pipeline);
    p.times.push(performance.now() - t0);
  }
for (const p of prepared) {
  const s = [...p.times].sort((a, b) => a - b);
  console.log(`${p.name.padEnd(54)} min ${s[0].toFixed(0).padStart(5)} ms   median ${s[s.length >> 1].toFixed(0).padStart(5)} ms`);
  await p.pipeline.dispose();
}
