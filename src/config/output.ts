/** The `output` settings: merged, defaulted and checked (the values; their types are checked in validate.ts). */
import { FORMATS, LAYOUTS, MASK_MODES, type EncodeContext, type FormatName, type Layout, type MaskMode } from '../image/encode/index.js';
import { expected, expectedOneOf, oneOf } from '../pipeline/messages.js';
import type { OutputConfig } from './types.js';

/**
 * The format options (sizePrefix, prefix, bytesPerLine, swapBits, accentBit,
 * sheet) are the encoders' own (EncodeContext), absent unless set so configs
 * that do not use them resolve (and cache) exactly as before.
 */
export interface ResolvedOutput extends Pick<EncodeContext, 'sizePrefix' | 'prefix' | 'bytesPerLine' | 'swapBits' | 'accentBit' | 'sheet'> {
  dir?: string;
  format: FormatName;
  name: string;
  overwrite: boolean;
  /** Byte layout for formats that have one (c, bin); ignored by the others. */
  layout: Layout;
  /** What to do with the transparency mask (see MaskMode). */
  mask: MaskMode;
}

export const DEFAULT_OUTPUT: ResolvedOutput = Object.freeze({ format: 'png', name: '[dir]/[name].[ext]', overwrite: false, layout: 'horizontal-msb', mask: 'none' });

/** Resolves the output settings, collecting problems. */
export function resolveOutput(output: OutputConfig, problems: string[], path = 'output'): ResolvedOutput {
  const out: ResolvedOutput = { ...DEFAULT_OUTPUT, ...stripUndefined(output) } as ResolvedOutput;
  if (typeof out.format !== 'string' || !Object.hasOwn(FORMATS, out.format)) {
    problems.push(expectedOneOf(Object.keys(FORMATS), `${path}.format`, out.format));
  }
  if (typeof out.name !== 'string' || !out.name.includes('[name]')) problems.push(expected('a pattern containing [name]', `${path}.name`, out.name));
  if (typeof out.overwrite !== 'boolean') problems.push(expected('a boolean', `${path}.overwrite`, out.overwrite));
  if (!LAYOUTS.includes(out.layout)) problems.push(expectedOneOf(LAYOUTS, `${path}.layout`, out.layout));
  if (!MASK_MODES.includes(out.mask)) problems.push(expectedOneOf(MASK_MODES, `${path}.mask`, out.mask));
  else if (Object.hasOwn(FORMATS, out.format)) {
    const masks: readonly string[] = FORMATS[out.format].masks;
    if (!masks.includes(out.mask))
      problems.push(`${expected(`one of ${oneOf(masks)}`, `${path}.mask with format "${out.format}"`, out.mask)} (mask "${out.mask}" needs format ${oneOf(FORMAT_NAMES_WITH(out.mask))})`);
  }
  for (const key of ['sizePrefix', 'swapBits', 'sheet'] as const)
    if (out[key] !== undefined && typeof out[key] !== 'boolean') problems.push(expected('a boolean', `${path}.${key}`, out[key]));
  if (out.prefix !== undefined && (typeof out.prefix !== 'string' || !/^([A-Za-z_][A-Za-z0-9_]*)?$/.test(out.prefix)))
    problems.push(expected('a C identifier start like "epd_"', `${path}.prefix`, out.prefix));
  if (out.bytesPerLine !== undefined && !(Number.isInteger(out.bytesPerLine) && out.bytesPerLine >= 1 && out.bytesPerLine <= 1024))
    problems.push(expected('an integer between 1 and 1024', `${path}.bytesPerLine`, out.bytesPerLine));
  if (out.accentBit !== undefined && out.accentBit !== 0 && out.accentBit !== 1) problems.push(expected('0 or 1', `${path}.accentBit`, out.accentBit));
  if (out.dir !== undefined && typeof out.dir !== 'string') problems.push(expected('a folder path', `${path}.dir`, out.dir));
  return out;
}

/** The formats that can do a mask mode. */
function FORMAT_NAMES_WITH(mask: string): string[] {
  return Object.entries(FORMATS)
    .filter(([, f]) => (f.masks as readonly string[]).includes(mask))
    .map(([name]) => name);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

