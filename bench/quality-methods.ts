/**
 * Quality of every dither method on ../shared/data/devbench, pixel-art job:
 * decode → linear luminance → box-resize to long side 128 (or --long N) →
 * dither in linear light → score against the linear reference with
 * src/metrics (QUALITY.md). Prints mean ± sd of tone PSNR σ1.0 / σ1.5, SSIM,
 * tone bias, and ms per image (dither only, mean after one warm-up image).
 *
 *   npx tsx bench/quality-methods.ts [--long 128] [--json out.json] [spec ...]
 *
 * A spec is a method name with optional dither options after colons:
 *   floyd-steinberg   dbs:dbsSigma=1.2:dbsIterations=8   atkinson:edgeAware=true:edgeStrength=0.5
 * Without specs: every method, plus the edge-aware variants of the diffusion ones.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeImage } from '../src/image/decode.js';
import { referenceFrom, scoreBinary, type Scores } from '../src/metrics/index.js';
import { dither, DITHER_METHODS, METHODS, prepare, type DitherOptions } from '../src/plugins/dither/index.js';
import { targetSize } from '../src/plugins/resize/index.js';
import { resizeBox } from '../src/kernels/resize.js';

const DEVBENCH = resolve(import.meta.dirname, '../../shared/data/devbench');

function parseSpec(spec: string): { label: string; options: DitherOptions } {
  const [method, ...pairs] = spec.split(':');
  const input: Record<string, unknown> = { method };
  for (const p of pairs) {
    const [k, v] = p.split('=');
    input[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return { label: spec, options: dither.parseOptions(input, 'spec') };
}

function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, sd };
}

async function main() {
  const args = process.argv.slice(2);
  let long = 128;
  let json: string | undefined;
  const specs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--long') long = Number(args[++i]);
    else if (args[i] === '--json') json = args[++i];
    else specs.push(args[i]);
  }
  if (specs.length === 0) {
    for (const m of DITHER_METHODS) specs.push(m);
    for (const m of DITHER_METHODS) {
      const kind = METHODS[m].kind;
      if (kind === 'diffusion' || (kind === 'custom' && m !== 'dbs')) specs.push(`${m}:edgeAware=true`);
    }
  }
  const names = readdirSync(DEVBENCH).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort();
  const refs: { name: string; y: Float32Array; w: number; h: number }[] = [];
  for (const name of names) {
    const tone = await decodeImage(join(DEVBENCH, name));
    const lum = referenceFrom(tone, 'linear');
    const { width: w, height: h } = targetSize(tone.width, tone.height, { longSide: long, fit: 'inside' });
    refs.push({ name, y: resizeBox(lum, tone.width, tone.height, 1, w, h), w, h });
  }
  console.log(`devbench: ${refs.length} images, long side ${long}, linear light`);
  console.log('method                                   | PSNR σ1.0    | PSNR σ1.5    | SSIM          | bias     | ms/img');
  const results: Record<string, unknown>[] = [];
  for (const spec of specs) {
    const { label, options } = parseSpec(spec);
    const run = prepare(options);
    const rows: (Scores & { ms: number })[] = [];
    const warm = refs[0];
    run(warm.y, warm.w, warm.h, new Uint8Array(warm.w * warm.h));
    for (const r of refs) {
      const out = new Uint8Array(r.w * r.h);
      const t0 = performance.now();
      run(r.y, r.w, r.h, out);
      const ms = performance.now() - t0;
      rows.push({ ...scoreBinary(r.y, out, r.w, r.h), ms });
    }
    const p10 = stats(rows.map((r) => r.tonePsnr10));
    const p15 = stats(rows.map((r) => r.tonePsnr15));
    const ss = stats(rows.map((r) => r.ssim));
    const bias = stats(rows.map((r) => r.toneBias));
    const ms = stats(rows.map((r) => r.ms));
    console.log(
      `${label.padEnd(40)} | ${p10.mean.toFixed(2)} ± ${p10.sd.toFixed(2)} | ${p15.mean.toFixed(2)} ± ${p15.sd.toFixed(2)} | ${ss.mean.toFixed(4)} ± ${ss.sd.toFixed(3)} | ${bias.mean >= 0 ? '+' : ''}${bias.mean.toFixed(4)} | ${ms.mean.toFixed(2)}`,
    );
    results.push({ spec: label, psnr10: p10, psnr15: p15, ssim: ss, bias, ms });
  }
  if (json) writeFileSync(json, JSON.stringify({ node: process.version, long, images: refs.length, results }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
