/**
 * npm run bench: speed figures for the README (benchmarks, not tests).
 * Jobs on the 20 images of ../shared/data/devbench, one process, one thread:
 *   - full-resolution Floyd–Steinberg to a 1-bit PNG (decode → gray → FS → PNG)
 *   - the pixel-art job (long side 128, FS, ×8 nearest, PNG)
 *   - where the pixel-art job's time goes: decode, each step, encode (mean ms)
 *   - the error-diffusion and ordered kernels alone, ns per pixel on 1024×768
 * Prints medians; `--json file` also writes them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { Engine } from '../src/convert.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import type { StepConfig } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { diffuse, KERNELS } from '../src/kernels/error-diffusion.js';
import { bayerThresholds, ordered } from '../src/plugins/dither/ordered.js';
import { decodeImage } from '../src/image/decode.js';
import { encodePng1 } from '../src/image/encode/png.js';
import type { BinaryTensor, ImageTensor } from '../src/pipeline/types.js';
import { builtinPresets } from '../presets/index.js';

const DEVBENCH = resolve(import.meta.dirname, '../../shared/data/devbench');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function job(name: string, steps: StepConfig[], files: Buffer[], rounds: number) {
  const plugins = pluginTable();
  const config = resolveConfig({ presets: builtinPresets, config: { steps }, plugins });
  const engine = new Engine(plugins);
  for (const f of files.slice(0, 3)) await engine.convert(f, config); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const f of files) {
      const t0 = performance.now();
      await engine.convert(f, config);
      times.push(performance.now() - t0);
    }
  await engine.dispose();
  return { job: name, medianMs: median(times), images: files.length, rounds };
}

/** Mean time of each stage of a pipeline over the files (decode as the pipeline asks, then each step, then the PNG). */
async function stages(steps: StepConfig[], files: Buffer[], rounds: number): Promise<Record<string, number>> {
  const plugins = pluginTable();
  const config = resolveConfig({ presets: builtinPresets, config: { steps }, plugins });
  const pipeline = await buildPipeline(config.steps, plugins);
  const created = await Promise.all(config.steps.map((s) => s.plugin.create(s.options)));
  const total: Record<string, number> = {};
  const add = (k: string, t0: number) => (total[k] = (total[k] ?? 0) + performance.now() - t0);
  for (let r = 0; r <= rounds; r++)
    for (const f of files) {
      let t0 = performance.now();
      let image: ImageTensor = await decodeImage(f, { gray: pipeline.grayInput });
      if (r > 0) add(pipeline.grayInput ? 'decode (to linear gray)' : 'decode', t0);
      for (let i = 0; i < created.length; i++) {
        t0 = performance.now();
        image = await created[i].run(image, { warn() {} });
        if (r > 0) add(config.steps[i].plugin.name, t0);
      }
      t0 = performance.now();
      encodePng1(image as BinaryTensor);
      if (r > 0) add('1-bit PNG encode', t0);
    }
  await pipeline.dispose();
  return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / (files.length * rounds)]));
}

function kernel(name: string, fn: () => void, pixels: number, reps = 15) {
  fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return { kernel: name, nsPerPixel: (median(times) * 1e6) / pixels };
}

const ART_STEPS: StepConfig[] = [{ use: 'resize', longSide: 128 }, { use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }, { use: 'upscale', scale: 8 }];

async function main() {
  const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString() };
  if (!existsSync(DEVBENCH)) {
    console.log(`devbench not found at ${DEVBENCH}: skipping the image jobs (the kernel figures follow).`);
  } else {
    const names = readdirSync(DEVBENCH).filter((f) => f.endsWith('.png')).sort();
    const files = names.map((n) => readFileSync(join(DEVBENCH, n)));
    console.log(`devbench: ${files.length} images`);
    const full = await job('full-resolution Floyd–Steinberg → 1-bit PNG', [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }], files, 3);
    const art = await job(
      'pixel-art job: long side 128, FS, ×8 nearest, PNG',
      ART_STEPS,
      files,
      5,
    );
    for (const r of [full, art]) console.log(`${r.job.padEnd(52)} ${r.medianMs.toFixed(2)} ms/image (median of ${r.images}×${r.rounds})`);
    results.jobs = [full, art];
    const parts = await stages(ART_STEPS, files, 3);
    console.log(`pixel-art job by stage (mean ms/image): ${Object.entries(parts).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    results.artStages = parts;
  }
  const w = 1024;
  const h = 768;
  const gray = new Float32Array(w * h);
  let s = 1;
  for (let i = 0; i < gray.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    gray[i] = ((i % w) / w) * 0.7 + (s / 2 ** 32) * 0.3;
  }
  const out = new Uint8Array(w * h);
  const kernels = [
    kernel('floyd-steinberg (serpentine)', () => diffuse(gray, w, h, KERNELS['floyd-steinberg'], { serpentine: true, strength: 1 }, out), w * h),
    kernel('jarvis-judice-ninke (serpentine)', () => diffuse(gray, w, h, KERNELS['jarvis-judice-ninke'], { serpentine: true, strength: 1 }, out), w * h),
    kernel('atkinson (serpentine)', () => diffuse(gray, w, h, KERNELS.atkinson, { serpentine: true, strength: 1 }, out), w * h),
    kernel('bayer-8 ordered', () => ordered(gray, w, h, bayerThresholds(8), 8, 1, out), w * h),
  ];
  for (const k of kernels) console.log(`${k.kernel.padEnd(52)} ${k.nsPerPixel.toFixed(2)} ns/pixel (1024×768)`);
  results.kernels = kernels;
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, null, 2) + '\n');
}

await main();
