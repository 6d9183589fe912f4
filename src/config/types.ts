import type { StepConfig } from '../pipeline/pipeline.js';
import type { Plugin } from '../pipeline/types.js';

export type OutputFormat = string; // checked against the encoder table

export interface OutputConfig {
  /** Output directory for folder/glob inputs (the input tree is mirrored below it). */
  dir?: string;
  /** Encoder: 'png' (1-bit, default), 'pbm', 'bmp', 'gif', 'tiff', 'xbm', 'c' (.h), 'bin', 'pdi', 'pdt' (Playdate) or 'escpos'. */
  format?: OutputFormat;
  /** File name pattern: [dir] (relative folder), [name] (base name), [ext] (format's extension), [preset]. */
  name?: string;
  /** Replace existing outputs (default false: skip them and say so). */
  overwrite?: boolean;
  /** Byte layout for 'c' and 'bin': 'horizontal-msb' (default, Adafruit GFX), 'horizontal-lsb' (XBM, u8g2) or 'vertical' (SSD1306 pages). */
  layout?: string;
  /** Transparency mask: 'none' (default), 'palette' (PNG/GIF: paper transparent), 'file' (separate .mask file) or 'array' (C header mask array, Playdate alpha plane). */
  mask?: string;
  /** 'c', 'bin': start the image with width and height bytes (Arduboy2 Sprites format). Default false. */
  sizePrefix?: boolean;
  /** 'c': prepended to the array names, e.g. 'epd_'. Default ''. */
  prefix?: string;
  /** 'c': hex values per line. Default 16. */
  bytesPerLine?: number;
  /** 'c', 'bin': reverse the bit order inside every byte (image2cpp's "swap bits"). Default false. */
  swapBits?: boolean;
  /** 'c', 'bin': the bit value of second-colour pixels in the plane of a three-colour image (accent step). Default 1. */
  accentBit?: number;
  /** 'pdt': also write the SDK's source sheet `<name>-table-<w>-<h>.png`. Default false. */
  sheet?: boolean;
}

/** A named, reusable set of steps and output settings. */
export interface Preset {
  /** One line shown by `pixel presets`. */
  description?: string;
  /** What the preset is for (device, size, look), shown by `pixel presets --details`. */
  target?: string;
  extends?: string | string[];
  /** The pipeline, in order. Replaces any inherited list. */
  steps?: StepConfig[];
  /** Option changes for the step using each plugin, e.g. { resize: { width: 64 } }. */
  override?: Record<string, Record<string, unknown>>;
  output?: OutputConfig;
}

export interface Rule extends Omit<Preset, 'description' | 'target'> {
  /** Glob(s) matched against the input path relative to the working directory. */
  files: string | string[];
  /** A preset for the matching files (same as extends). */
  preset?: string;
}

export interface PixelConfig extends Preset {
  /** Your own presets, usable by name in extends, rules and --preset. */
  presets?: Record<string, Preset>;
  /** Per-glob settings, applied in order after the top level. */
  rules?: Rule[];
  /** Extra plugins: plugin objects, or package names ('pixel-plugin-<name>' or '<name>'). */
  plugins?: (Plugin | string)[];
  /** Refuse images with more pixels than this (decompression bombs). Default 268402689 (16383²). */
  maxPixels?: number;
}

/** Typed identity helper for `pixel.config.ts`. */
export function defineConfig(config: PixelConfig): PixelConfig {
  return config;
}

export function definePreset(preset: Preset): Preset {
  return preset;
}
