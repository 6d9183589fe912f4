/**
 * The text-in-scene set for `pixel eval --ocr`, generated in code (seeded,
 * so the same everywhere the same fonts are installed): lines of words on
 * shaded and textured backgrounds, in several free fonts (DejaVu, Liberation;
 * Debian fonts-dejavu-core and fonts-liberation2), dark text on light scenes
 * and light text on dark ones. Each image gets a `.txt` sidecar with its text.
 *
 *   node --import tsx scripts/text-set.ts [folder] [count] [seed]
 *   pixel eval <folder> --grid 256 --ocr --methods adaptive,threshold,floyd-steinberg,pixel-art
 *
 * Images are 1024 × 384 (long side 1024; the eval grid 256 is a 4× reduction);
 * letters are 44–80 px at the source, 11–20 px at the grid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { mulberry32 } from '../src/pipeline/random.js';

const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'Liberation Sans', 'Liberation Serif', 'Liberation Mono'];
const WORDS = (
  'open daily fresh bread coffee market street north station platform exit garden hotel river view cafe books music ' +
  'sale today only welcome home park closed sunday bakery pharmacy museum gallery harbour bridge road tickets ' +
  'library school office bank post city centre west east south lane hill field house green black white orange'
).split(' ');
const W = 1024;
const H = 384;
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Writes `count` scenes (`text-01.png` …) and their `.txt` sidecars to `out`; returns the file paths. */
export async function generateTextSet(out: string, count = 24, seed = 0x7e47): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const between = (a: number, b: number) => a + (b - a) * rand();
  const gray = (v: number) => {
    const c = Math.round(Math.min(1, Math.max(0, v)) * 255);
    const tint = () => Math.min(255, Math.max(0, c + Math.round(between(-30, 30))));
    return `rgb(${tint()},${tint()},${tint()})`;
  };
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const dark = i % 2 === 0; // dark text on a light scene, or light text on a dark one
    const font = FONTS[i % FONTS.length];
    const size = Math.round(between(44, 80));
    const lines = size > 64 ? 2 : pick([2, 3]);
    const text: string[] = [];
    for (let l = 0; l < lines; l++) {
      const words: string[] = [];
      while (words.join(' ').length < between(10, 18)) words.push(rand() < 0.3 ? pick(WORDS).toUpperCase() : pick(WORDS));
      text.push(words.join(' '));
    }
    // Scene: a shaded background (linear or radial), a texture (turbulence or
    // stripes) and a few soft shapes, all within a tone band away from the text's.
    // The band crosses the middle (shadows, lit patches), so no single level separates text from scene.
    const [lo, hi] = dark ? [0.4, 1] : [0, 0.6];
    let a = gray(between(lo, (lo + hi) / 2));
    let b = gray(between((lo + hi) / 2, hi));
    if (rand() < 0.5) [a, b] = [b, a];
    const shade = rand() < 0.5
      ? `<linearGradient id="g" x1="0" y1="0" x2="${between(0.3, 1).toFixed(2)}" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient>`
      : `<radialGradient id="g" cx="${between(0.2, 0.8).toFixed(2)}" cy="${between(0.2, 0.8).toFixed(2)}" r="0.8"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></radialGradient>`;
    const texture = rand() < 0.6
      ? `<filter id="t"><feTurbulence type="fractalNoise" baseFrequency="${between(0.01, 0.08).toFixed(3)}" numOctaves="3" seed="${i + 1}"/><feColorMatrix type="saturate" values="0"/></filter><rect width="${W}" height="${H}" filter="url(#t)" opacity="${between(0.15, 0.35).toFixed(2)}"/>`
      : `<pattern id="p" width="${Math.round(between(12, 40))}" height="${H}" patternUnits="userSpaceOnUse" patternTransform="rotate(${Math.round(between(-40, 40))})"><rect width="6" height="${H}" fill="${gray(dark ? hi + 0.05 : lo - 0.05)}" opacity="0.5"/></pattern><rect width="${W}" height="${H}" fill="url(#p)"/>`;
    let shapes = '';
    for (let s = 0; s < 3; s++) shapes += `<circle cx="${Math.round(between(0, W))}" cy="${Math.round(between(0, H))}" r="${Math.round(between(40, 160))}" fill="${gray(between(lo, hi))}" opacity="0.5"/>`;
    const ink = dark ? gray(between(0, 0.12)) : gray(between(0.88, 1));
    const lineHeight = size * 1.25;
    const top = (H - lineHeight * lines) / 2 + size * 0.95;
    const tspans = text.map((t, l) => `<tspan x="${Math.round(between(24, 120))}" y="${Math.round(top + l * lineHeight)}">${esc(t)}</tspan>`).join('');
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>${shade}</defs>` +
      `<rect width="${W}" height="${H}" fill="url(#g)"/>${shapes}${texture}` +
      `<text font-family="${font}" font-size="${size}" fill="${ink}">${tspans}</text></svg>`;
    const name = `text-${String(i + 1).padStart(2, '0')}`;
    writeFileSync(join(out, `${name}.png`), await sharp(Buffer.from(svg)).png().toBuffer());
    files.push(join(out, `${name}.png`));
    writeFileSync(join(out, `${name}.txt`), `${text.join('\n')}\n`);
  }

  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = resolve(process.argv[2] ?? 'bench/text-set');
  const count = Number(process.argv[3] ?? 24);
  await generateTextSet(out, count, Number(process.argv[4] ?? 0x7e47));
  console.log(`wrote ${count} images with their .txt to ${out}`);
}
