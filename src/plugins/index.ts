/** The built-in plugins, by name. User plugins join this table at load time. */
import type { Plugin } from '../pipeline/types.js';
import { accent } from './accent/index.js';
import { adjust } from './adjust/index.js';
import { complete } from './complete/index.js';
import { dither } from './dither/index.js';
import { grid } from './grid/index.js';
import { orient } from './orient/index.js';
import { palette } from './palette/index.js';
import { pixelArt } from './pixel-art/index.js';
import { resize } from './resize/index.js';
import { threshold } from './threshold/index.js';
import { unet } from './unet/index.js';
import { upscale } from './upscale/index.js';

export const builtinPlugins: readonly Plugin[] = [grid, resize, adjust, threshold, dither, pixelArt, accent, upscale, orient, palette, unet, complete];

export function pluginTable(extra: readonly Plugin[] = []): Map<string, Plugin> {
  const table = new Map<string, Plugin>();
  for (const p of [...builtinPlugins, ...extra]) table.set(p.name, p);
  return table;
}
