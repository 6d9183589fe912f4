/** The built-in presets, by name. Each file describes its target. */
import type { Preset } from '../src/config/types.js';
import lowtechWeb from './lowtech-web.js';
import newspaper from './newspaper.js';
import photo from './photo.js';
import pixelArt from './pixel-art.js';
import playdate from './playdate.js';
import sprite from './sprite.js';
// Device presets (one file each: resolution, byte layout, spec source).
import arduboy from './arduboy.js';
import eink2in13 from './eink-2in13.js';
import eink4in2 from './eink-4in2.js';
import eink7in5 from './eink-7in5.js';
import eink2in13Bwr from './eink-2in13-bwr.js';
import eink2in9Bwr from './eink-2in9-bwr.js';
import eink4in2Bwr from './eink-4in2-bwr.js';
import eink7in5Bwr from './eink-7in5-bwr.js';
import macClassic from './mac-classic.js';
import macpaint from './macpaint.js';
import nokia5110 from './nokia-5110.js';
import sh1106128x64 from './sh1106-128x64.js';
import ssd1306128x32 from './ssd1306-128x32.js';
import ssd1306128x64 from './ssd1306-128x64.js';
import thermal58mm from './thermal-58mm.js';
import thermal80mm from './thermal-80mm.js';

export const builtinPresets: Readonly<Record<string, Preset>> = Object.freeze({
  photo,
  'pixel-art': pixelArt,
  sprite,
  playdate,
  newspaper,
  'lowtech-web': lowtechWeb,
  'arduboy': arduboy,
  'eink-2in13': eink2in13,
  'eink-4in2': eink4in2,
  'eink-7in5': eink7in5,
  'eink-2in13-bwr': eink2in13Bwr,
  'eink-2in9-bwr': eink2in9Bwr,
  'eink-4in2-bwr': eink4in2Bwr,
  'eink-7in5-bwr': eink7in5Bwr,
  'mac-classic': macClassic,
  'macpaint': macpaint,
  'nokia-5110': nokia5110,
  'sh1106-128x64': sh1106128x64,
  'ssd1306-128x32': ssd1306128x32,
  'ssd1306-128x64': ssd1306128x64,
  'thermal-58mm': thermal58mm,
  'thermal-80mm': thermal80mm,
});

export { DEFAULT_PRESET } from '../src/config/resolve.js';
