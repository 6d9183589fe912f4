/**
 * `pixel pack`: several images into one C header with index arrays
 * (image2cpp's "all images in one array"), each through the same pipeline
 * (config, --preset and the convert flags; per-glob rules are not applied).
 * An animated input becomes a frame array. Written atomically; refuses to
 * replace an input or, without --overwrite, an existing file.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { resolveConfig } from '../../config/resolve.js';
import { writeFileAtomic } from '../../files/atomic.js';
import { displayPath, findInputs } from '../../files/inputs.js';
import { encodeCHeaderSet } from '../../image/encode/index.js';
import { PixelError } from '../../pipeline/errors.js';
import type { BinaryTensor } from '../../pipeline/types.js';
import { pluginTable } from '../../plugins/index.js';
import { helpText, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';
import { CONVERT_OPTIONS, flagsToLayer } from './convert.js';
import { builtinPresets } from '../../../presets/index.js';

const PACK_OPTIONS: OptionTable = {
  out: { type: 'string', short: 'o', value: 'file.h', description: 'The header to write (required)' },
  name: { type: 'string', value: 'id', description: 'Name of the index arrays (default: the output file name)' },
  ...Object.fromEntries(
    Object.entries(CONVERT_OPTIONS).filter(([k]) =>
      ['preset', 'config', 'width', 'height', 'fit', 'method', 'scale', 'invert', 'threshold-level', 'grid', 'rotate', 'flip', 'background', 'layout', 'mask', 'overwrite'].includes(k),
    ),
  ),
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export async function packCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, PACK_OPTIONS, 'pack');
  if (values.help) {
    io.stdout(
      helpText(
        'Usage: pixel pack <files|folders|globs...> -o images.h [options]\n\nConverts several images through one pipeline into one C header: each image\'s arrays, then\n<name>[] (pointers), <name>_width[], <name>_height[] and <NAME>_COUNT, in input order.',
        PACK_OPTIONS,
        'Examples:\n  pixel pack icons/*.png -o icons.h -p ssd1306-128x64 --width 16 --height 16\n  pixel pack a.png b.png -o sprites.h --layout vertical --threshold-level 128',
      ),
    );
    return 0;
  }
  if (values.out === undefined) throw new PixelError('E_USAGE', 'pixel pack needs --out', { hint: 'pixel pack icons/*.png -o icons.h' });
  const out = resolve(cwd, String(values.out));
  const { files } = await findInputs(positionals, cwd);
  if (files.some((f) => f.path === out)) throw new PixelError('E_USAGE', `--out ${values.out} is one of the inputs`, { hint: 'Write the header somewhere else.' });
  const loaded = await loadConfig({ cwd, configPath: values.config as string | undefined });
  const plugins = pluginTable(loaded.plugins);
  const cli = flagsToLayer({ ...values, format: 'c' }, undefined, plugins);
  const config = resolveConfig({ presets: builtinPresets, config: loaded.config, preset: values.preset as string | undefined, cli, plugins, source: loaded.filepath });
  const [{ buildPipeline }, { runOne }] = await Promise.all([import('../../pipeline/pipeline.js'), import('../../convert.js')]);
  const pipeline = await buildPipeline(config.steps, plugins, undefined, { baseDir: loaded.filepath ? dirname(loaded.filepath) : cwd });
  const items: Array<{ name: string; frames: BinaryTensor[] }> = [];
  try {
    for (const file of files) {
      const result = await runOne(await readFile(file.path), config, pipeline, { file: file.display, warn: (m) => io.stderr(`pixel: ${file.display}: ${m}\n`) });
      items.push({ name: basename(file.path, extname(file.path)), frames: result.frames ?? [result.image] });
    }
  } finally {
    await pipeline.dispose();
  }
  const { layout, mask, sizePrefix, prefix, bytesPerLine, swapBits, accentBit } = config.output;
  const name = (values.name as string | undefined) ?? basename(out, extname(out));
  const header = encodeCHeaderSet(items, { name, layout, maskArray: mask === 'array', sizePrefix, prefix, bytesPerLine, swapBits, accentBit });
  await writeFileAtomic(out, header, { overwrite: values.overwrite === true });
  io.stdout(`${items.length} images -> ${displayPath(out, cwd)} (${header.length} B)\n`);
  return 0;
}
