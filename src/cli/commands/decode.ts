/**
 * `pixel decode` and `pixel preview`: check what a device will show.
 * decode reads a device file (C header, bin, pdi, pdt, ESC/POS) back to a
 * PNG (several frames side by side; a three-colour header in its three
 * colours); preview prints an image as block characters: a device file as it
 * is, any other image after the pipeline (config, --preset and the convert
 * flags), as image2cpp's preview does.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { resolveConfig } from '../../config/resolve.js';
import { writeFileAtomic } from '../../files/atomic.js';
import { displayPath } from '../../files/inputs.js';
import { encodePng1, encodeThreeColourPng, LAYOUTS, type Layout } from '../../image/encode/index.js';
import { blockText, deviceKind, readDevice, sideBySide, type ReadOptions } from '../../image/encode/read.js';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { pluginTable } from '../../plugins/index.js';
import { choiceFlag, helpText, intFlag, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';
import { CONVERT_OPTIONS, flagsToLayer } from './convert.js';
import { builtinPresets } from '../../../presets/index.js';

const READ_OPTIONS: OptionTable = {
  width: { type: 'string', short: 'w', value: 'px', description: 'Image width, when the file does not say (bin; headers without <NAME>_WIDTH)' },
  height: { type: 'string', value: 'px', description: 'Image height, when the file does not say' },
  layout: { type: 'string', value: 'name', description: `Byte layout: ${LAYOUTS.join(' | ')} (default: from pixel's header comment, else horizontal-msb)` },
  name: { type: 'string', value: 'id', description: 'The array to read in a C header (default: the first)' },
  'size-prefix': { type: 'boolean', description: 'The bytes start with width and height (Arduboy2 Sprites; pixel headers say so themselves)' },
  'swap-bits': { type: 'boolean', description: 'The bit order inside each byte is reversed' },
  'set-is-paper': { type: 'boolean', description: 'A set bit is paper (white): e-paper buffers and presets with palette invert' },
};

const DECODE_OPTIONS: OptionTable = {
  out: { type: 'string', short: 'o', value: 'file.png', description: 'Output PNG (default: <file>.png beside the input)' },
  ...READ_OPTIONS,
  overwrite: { type: 'boolean', description: 'Replace an existing output' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

function readOptions(values: Record<string, unknown>): ReadOptions {
  const layout = values.layout as string | undefined;
  choiceFlag(layout, 'layout', LAYOUTS, 'e.g. --layout vertical');
  return {
    width: intFlag(values.width, 'width', 1, 65535),
    height: intFlag(values.height, 'height', 1, 65535),
    layout: layout as Layout | undefined,
    name: values.name as string | undefined,
    sizePrefix: values['size-prefix'] === true ? true : undefined,
    swapBits: values['swap-bits'] === true ? true : undefined,
    setIsPaper: values['set-is-paper'] === true,
  };
}

async function readInput(file: string, cwd: string): Promise<{ path: string; bytes: Buffer }> {
  const path = resolve(cwd, file);
  try {
    return { path, bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixelError('E_INPUT', code === 'ENOENT' ? 'File not found' : `Cannot read the file (${code})`, { file, hint: 'Check the path.' });
  }
}

/** One image for the frames read (side by side), in three colours when there is an accent plane. */
function picture(frames: BinaryTensor[], accent?: Uint8Array[]): BinaryTensor {
  if (frames.length === 1 && !accent) return frames[0];
  return sideBySide(frames, accent);
}

export async function decodeCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, DECODE_OPTIONS, 'decode');
  if (values.help || positionals.length !== 1) {
    io.stdout(
      helpText(
        'Usage: pixel decode <file.h|file.bin|file.pdi|file.pdt|file.escpos> [-o out.png]\n\nReads a device file back to a PNG, to check it. Several frames are written side by side; a three-colour header in its three colours.',
        DECODE_OPTIONS,
        'Examples:\n  pixel decode logo.h -o check.png\n  pixel decode screen.bin --width 128 --height 64 --layout vertical\n  pixel decode walk.pdt',
      ),
    );
    return values.help ? 0 : 64;
  }
  const { path, bytes } = await readInput(positionals[0], cwd);
  const read = readDevice(bytes, positionals[0], readOptions(values));
  const out = values.out !== undefined ? resolve(cwd, String(values.out)) : `${path}.png`;
  if (out === path) throw new PixelError('E_USAGE', 'The output would replace the input', { file: positionals[0], hint: 'Give another --out.' });
  const image = picture(read.frames, read.accent);
  const png = image.accent ? encodeThreeColourPng(image) : encodePng1(image);
  await writeFileAtomic(out, png, { overwrite: values.overwrite === true });
  io.stdout(`${positionals[0]}: ${read.what}, ${read.frames[0].width}×${read.frames[0].height} -> ${displayPath(out, cwd)}\n`);
  return 0;
}

const PREVIEW_OPTIONS: OptionTable = {
  ...Object.fromEntries(Object.entries(CONVERT_OPTIONS).filter(([k]) => ['preset', 'config', 'width', 'height', 'fit', 'method', 'invert', 'threshold-level', 'grid', 'rotate', 'flip', 'background'].includes(k))),
  ...Object.fromEntries(Object.entries(READ_OPTIONS).filter(([k]) => k !== 'width' && k !== 'height')),
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export async function previewCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, PREVIEW_OPTIONS, 'preview');
  if (values.help || positionals.length !== 1) {
    io.stdout(
      helpText(
        'Usage: pixel preview <file> [options]\n\nPrints the 1-bit result as block characters (two pixel rows a line; ink drawn, paper blank, a third colour ▒).\nA device file (.h .bin .pdi .pdt .escpos) is shown as it is (--width/--height give a .bin file\'s size); any other image goes through the pipeline first.',
        PREVIEW_OPTIONS,
        'Examples:\n  pixel preview logo.png -p ssd1306-128x32\n  pixel preview logo.h\n  pixel preview icon.png --width 32 --threshold-level 128',
      ),
    );
    return values.help ? 0 : 64;
  }
  const file = positionals[0];
  const { path, bytes } = await readInput(file, cwd);
  let image: BinaryTensor;
  if (deviceKind(path)) {
    const read = readDevice(bytes, file, readOptions(values)); // --width/--height give a bin file's size
    image = picture(read.frames, read.accent);
  } else {
    const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
    const plugins = pluginTable(loaded.plugins);
    const config = resolveConfig({ presets: builtinPresets, config: loaded.config, preset: values.preset as string | undefined, cli: flagsToLayer(values, undefined, plugins), plugins, source: loaded.filepath });
    const { buildPipeline } = await import('../../pipeline/pipeline.js');
    const { runOne } = await import('../../convert.js');
    const pipeline = await buildPipeline(config.steps, plugins, undefined, { baseDir: loaded.filepath ? dirname(loaded.filepath) : cwd });
    try {
      image = (await runOne(bytes, { ...config, output: { ...config.output, format: 'png', mask: 'none' } }, pipeline, { file })).image;
    } finally {
      await pipeline.dispose();
    }
  }
  io.stdout(blockText(image));
  io.stdout(`${image.width}×${image.height}\n`);
  return 0;
}
