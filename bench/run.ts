/**
 * npm run bench: speed figures for the README (benchmarks, not tests).
 * Jobs on the 20 images of ../shared/data/devbench, one process, one thread:
 *   - full-resolution Floyd–Steinberg to a 1-bit PNG (decode → gray → FS → PNG)
 *   - the pixel-art job (long side 128, FS, ×8 nearest, PNG)
 *   - where the time goes: decode, each step, encode, in CPU ms per image
 *     (user + system of the process, so libvips' and zlib's threads count;
 *     the stages run one after another, so each is charged its own), for the
 *     pixel-art job on devbench and, on the generated 4032×3024 photos
 *     (bench/workloads.ts), for the pixel-art job and full-resolution FS
 *   - the error-diffusion and ordered kernels alone, ns per pixel on 1024×768,
 *     and the bound on Floyd–Steinberg's speed: its dependency chain alone
 * Prints medians; `--json file` also writes them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../src/config/resolve.js';
import { Engine, FloatBuffers } from '../src/convert.js';
import { buildPipeline } from '../src/pipeline/pipeline.js';
import type { StepConfig } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { diffuse, KERNELS } from '../src/kernels/error-diffusion.js';
import { bayerThresholds, ordered } from '../src/plugins/dither/ordered.js';
import { decodeImage } from '../src/image/decode.js';
import { encodePng1 } from '../src/image/encode/png.js';
import type { BinaryTensor, ImageTensor } from '../src/pipeline/types.js';
import { builtinPresets } from '../presets/index.js';
import { makeWorkloads } from './workloads.js';

const DEVBENCH = resolve(import.meta.dirname, '../../shared/data/devbench');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * What bounds error diffusion's speed: each pixel's decision needs the error
 * of the pixel before it, so per pixel one add (value + carried error), the
 * rounding to 0 or 1 (two adds, as the kernel does it), one subtract (the
 * error) and one multiply (the share carried on) run one after another, in
 * doubles, in this order: the kernel's bits depend on exactly these
 * operations. Nothing else is done here, so this loop's ns/pixel is the floor
 * for a bit-identical Floyd–Steinberg in JavaScript on this machine.
 */
function fsChain(gray: Float32Array, n: number): number {
  const ROUND = 6755399441055744;
  let carry = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = gray[i] + carry;
    const o = v + ROUND - ROUND;
    carry = (v - o) * (7 / 16);
    sum += o;
  }
  return sum;
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

/** CPU ms of the whole process so far (every thread: libvips, zlib, the GC). */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * CPU ms per image of each stage of a pipeline over the files, as the engine
 * runs them (decode at the size and in the space the pipeline asks for, each
 * step, the 1-bit PNG), one stage at a time so each is charged its own CPU.
 * Round 0 warms up and is not counted.
 */
async function stages(steps: StepConfig[], files: Buffer[], rounds: number): Promise<Record<string, number>> {
  const plugins = pluginTable();
  const config = resolveConfig({ presets: builtinPresets, config: { steps }, plugins });
  const pipeline = await buildPipeline(config.steps, plugins);
  const created = await Promise.all(config.steps.map((s) => s.plugin.create(s.options)));
  const total: Record<string, number> = {};
  const floats = new FloatBuffers(); // as the Engine does
  for (let r = 0; r <= rounds; r++)
    for (const f of files) {
      const add = (k: string, t0: number) => r > 0 && (total[k] = (total[k] ?? 0) + cpuMs() - t0);
      let t0 = cpuMs();
      let image: ImageTensor = await decodeImage(f, { gray: pipeline.grayInput, size: (w, h) => pipeline.decodeSize(w, h), floats: floats.take });
      const decoded = image.data;
      add(pipeline.grayInput ? 'decode (to linear gray)' : 'decode', t0);
      for (let i = 0; i < created.length; i++) {
        t0 = cpuMs();
        image = await created[i].run(image, { warn() {} });
        add(config.steps[i].plugin.name, t0);
      }
      t0 = cpuMs();
      encodePng1(image as BinaryTensor);
      add('1-bit PNG encode', t0);
      if (decoded instanceof Float32Array) floats.give(decoded);
    }
  await pipeline.dispose();
  return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / (files.length * rounds)]));
}

function showStages(title: string, parts: Record<string, number>): void {
  const sum = Object.values(parts).reduce((a, b) => a + b, 0);
  console.log(`${title}, CPU ms/image by stage: ${Object.entries(parts).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} (sum ${sum.toFixed(1)})`);
}

const FULL_STEPS: StepConfig[] = [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }];

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
    const full = await job('full-resolution Floyd–Steinberg → 1-bit PNG', FULL_STEPS, files, 3);
    const art = await job(
      'pixel-art job: long side 128, FS, ×8 nearest, PNG',
      ART_STEPS,
      files,
      5,
    );
    for (const r of [full, art]) console.log(`${r.job.padEnd(52)} ${r.medianMs.toFixed(2)} ms/image (median of ${r.images}×${r.rounds})`);
    results.jobs = [full, art];
    const parts = await stages(ART_STEPS, files, 3);
    showStages('devbench → pixel art', parts);
    results.artStages = parts;
    if (!process.argv.includes('--no-photos')) {
      // The photo workload of bench/peers.ts, made once in the temp folder and reused.
      const { photos } = await makeWorkloads(DEVBENCH, join(tmpdir(), 'pixel-bench-workloads'));
      const shots = photos.files.slice(0, 4).map((n) => readFileSync(join(photos.dir, n)));
      const photoArt = await stages(ART_STEPS, shots, 2);
      showStages(`4 of the ${photos.name} → pixel art`, photoArt);
      const photoFull = await stages(FULL_STEPS, shots, 1);
      showStages(`4 of the ${photos.name} → full-resolution FS`, photoFull);
      results.photoStages = { art: photoArt, full: photoFull };
    }
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
    kernel("FS's dependency chain alone (see fsChain)", () => fsChain(gray, w * h), w * h),
  ];
  for (const k of kernels) console.log(`${k.kernel.padEnd(52)} ${k.nsPerPixel.toFixed(2)} ns/pixel (1024×768)`);
  results.kernels = kernels;
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, null, 2) + '\n');
}

await main();
