/** The built-in presets, by name. Each file describes its target. */
import type { Preset } from '../src/config/types.js';
import lowtechWeb from './lowtech-web.js';
import newspaper from './newspaper.js';
import photo from './photo.js';
import pixelArt from './pixel-art.js';
import playdate from './playdate.js';
import sprite from './sprite.js';

export const builtinPresets: Readonly<Record<string, Preset>> = Object.freeze({
  photo,
  'pixel-art': pixelArt,
  sprite,
  playdate,
  newspaper,
  'lowtech-web': lowtechWeb,
});

/** Used when neither the config nor the command line names a preset or steps. */
export const DEFAULT_PRESET = 'photo';
