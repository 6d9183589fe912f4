/**
 * Pixel accuracy of binarizers on degraded icon renders: each render (an
 * 8-bit gray PNG, as a user would give it) is converted at a 24×24 grid by
 * the pipeline itself (box resize in linear light, then the method) and
 * compared with its icon. Shared by scripts/icon-style-eval.ts (the README
 * table) and test/icon-style.test.ts.
 */
import { builtinPresets } from '../presets/index.js';
import sharp from 'sharp';
import { Engine } from '../src/convert.js';
import { resolveConfig } from '../src/config/resolve.js';
import type { StepConfig } from '../src/pipeline/pipeline.js';
import { pluginTable } from '../src/plugins/index.js';
import { pixelAccuracy, RENDER_SCALES, testRenders } from '../src/nn/icon-render.js';

export interface IconMethod {
  label: string;
  /** The steps after the 24×24 box resize. */
  steps: StepConfig[];
}

export const ICON_METHODS: readonly IconMethod[] = [
  { label: 'threshold', steps: [{ use: 'adjust' }, { use: 'threshold', mode: 'fixed' }] },
  { label: 'otsu', steps: [{ use: 'adjust' }, { use: 'threshold', mode: 'otsu' }] },
  { label: 'adaptive', steps: [{ use: 'adjust' }, { use: 'threshold', mode: 'adaptive' }] },
  // (as the sprite preset: pixel-art right after the resize, which then makes 4× the grid for its lines)
  { label: 'pixel-art', steps: [{ use: 'pixel-art' }] },
  { label: 'floyd-steinberg', steps: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }] },
  { label: 'unet:model=icon-style', steps: [{ use: 'adjust' }, { use: 'unet', model: 'icon-style' }] },
];

export interface IconScores {
  label: string;
  /** Mean fraction of the 576 pixels right. */
  accuracy: number;
  /** Fraction of renders with every pixel right. */
  exact: number;
  /** Mean accuracy per render scale (RENDER_SCALES order). */
  byScale: number[];
  /** Accuracy of each render, in testRenders order. */
  perRender: number[];
}

const GRID = 24;

export async function iconStyleScores(icons: readonly Uint8Array[], methods: readonly IconMethod[] = ICON_METHODS): Promise<IconScores[]> {
  const renders = testRenders(icons, GRID);
  const pngs = await Promise.all(renders.map((r) => sharp(Buffer.from(r.gray), { raw: { width: r.width, height: r.height, channels: 1 } }).png().toBuffer()));
  const plugins = pluginTable();
  const engine = new Engine(plugins);
  const rows: IconScores[] = [];
  try {
    for (const m of methods) {
      const config = resolveConfig({ presets: builtinPresets, config: { steps: [{ use: 'resize', width: GRID, height: GRID, fit: 'fill', kernel: 'box' }, ...m.steps] }, plugins });
      const perRender: number[] = [];
      for (let i = 0; i < renders.length; i++) {
        const { image } = await engine.convert(pngs[i], config, { file: `icon ${renders[i].icon} at ${renders[i].scale}×` });
        const ink = new Uint8Array(GRID * GRID);
        for (let k = 0; k < ink.length; k++) ink[k] = image.data[k] ? 0 : 1;
        perRender.push(pixelAccuracy(ink, icons[renders[i].icon]));
      }
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
      rows.push({
        label: m.label,
        accuracy: mean(perRender),
        exact: mean(perRender.map((a) => (a === 1 ? 1 : 0))),
        byScale: RENDER_SCALES.map((s) => mean(perRender.filter((_, i) => renders[i].scale === s))),
        perRender,
      });
    }
  } finally {
    await engine.dispose();
  }
  return rows;
}
