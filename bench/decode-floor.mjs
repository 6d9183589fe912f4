/**
 * The floor of any sharp-based batch (bench/peers.ts runs it beside pixel and
 * PIL): Node's start-up, sharp's import, then every file of a folder decoded
 * to raw pixels, two at a time (both cores), and nothing else: no gray
 * conversion, no steps, no encoding, no writing. A job cannot run faster than
 * this with sharp as its decoder.
 *
 *   node bench/decode-floor.mjs <folder> [long side | 1/8]
 *
 * With a long side, JPEGs are shrunk on load (libjpeg's DCT scaling, as
 * PIL's draft() does) to that long side; sharp picks its 1/2, 1/4 or 1/8
 * scale from the size asked for (the rest is one small libvips reduce).
 * `1/8` asks for the smallest size sharp decodes at 1/8 (a 9× reduction:
 * sharp takes 1/4 for exactly 8×).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const { default: sharp } = await import('sharp');

const [dir, side] = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).map((f) => join(dir, f));
let next = 0;
async function lane() {
  while (next < files.length) {
    const file = files[next++];
    let image = sharp(file);
    if (side && /\.jpe?g$/i.test(file)) {
      let long = Number(side);
      if (side === '1/8') {
        const { width = 0, height = 0 } = await image.metadata();
        long = Math.floor(Math.max(width, height) / 9);
      }
      image = image.resize({ width: long, height: long, fit: 'inside', kernel: 'linear', fastShrinkOnLoad: true });
    }
    await image.toColourspace('srgb').raw().toBuffer();
  }
}
await Promise.all([lane(), lane()]);
