/**
 * The benchmark's workloads, generated in code from ../shared/data/devbench
 * (nothing downloaded, nothing committed):
 *   - devbench: the 20 images as they are (PNG, long side ≤ 512);
 *   - assets:   an asset folder of 200 PNGs (the 20, copied 10×);
 *   - photos:   12 phone-sized photos, 4032×3024 JPEG q90, made by upscaling
 *               devbench images (lanczos3) and adding seeded noise, so the
 *               JPEG holds sensor-like detail rather than smooth upscaling.
 * Made once per folder and reused (a marker file records what was made).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export interface Workload {
  name: string;
  dir: string;
  files: string[];
}

const PHOTO_W = 4032;
const PHOTO_H = 3024;

export async function makeWorkloads(devbench: string, root: string, photos = 12): Promise<Record<'devbench' | 'assets' | 'photos', Workload>> {
  const names = readdirSync(devbench)
    .filter((f) => f.endsWith('.png'))
    .sort();
  const assets = join(root, 'assets');
  const photoDir = join(root, 'photos');
  const marker = join(root, `made-${names.length}-${photos}`);
  if (!existsSync(marker)) {
    mkdirSync(assets, { recursive: true });
    mkdirSync(photoDir, { recursive: true });
    for (let copy = 0; copy < 10; copy++) for (const n of names) copyFileSync(join(devbench, n), join(assets, n.replace(/\.png$/, `-${copy}.png`)));
    for (let i = 0; i < photos; i++) {
      const source = join(devbench, names[i % names.length]);
      // Landscape or portrait as the source is.
      const meta = await sharp(source).metadata();
      const [w, h] = (meta.width ?? 1) >= (meta.height ?? 1) ? [PHOTO_W, PHOTO_H] : [PHOTO_H, PHOTO_W];
      const raw = await sharp(source).flatten({ background: '#ffffff' }).removeAlpha().resize(w, h, { fit: 'fill', kernel: 'lanczos3' }).toColourspace('srgb').raw().toBuffer();
      let s = 12345 + i;
      for (let k = 0; k < raw.length; k++) {
        s = (s * 1103515245 + 12345) >>> 0;
        const v = raw[k] + ((s >>> 24) % 17) - 8;
        raw[k] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 90 })
        .toFile(join(photoDir, `photo-${String(i + 1).padStart(2, '0')}.jpg`));
    }
    writeFileSync(marker, '');
  }
  const list = (dir: string) => readdirSync(dir).filter((f) => /\.(png|jpg)$/.test(f)).sort();
  return {
    devbench: { name: 'devbench (20 PNGs, long side ≤ 512)', dir: devbench, files: names },
    assets: { name: `asset folder (${list(assets).length} PNGs, long side ≤ 512)`, dir: assets, files: list(assets) },
    photos: { name: `${photos} photos, ${PHOTO_W}×${PHOTO_H} JPEG q90`, dir: photoDir, files: list(photoDir) },
  };
}
