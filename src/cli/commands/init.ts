/** `pixel init`: writes a commented pixel.config.ts to start from. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { PixelError } from '../../pipeline/errors.js';
import { helpText, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';

const OPTIONS: OptionTable = {
  force: { type: 'boolean', description: 'Replace an existing pixel.config.ts' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export const CONFIG_TEMPLATE = `// pixel.config.ts: how \`pixel convert\` turns your images into 1-bit images.
// Reference: the README's "Config reference". Flags on the command line win over this file.
import { defineConfig } from 'pixel-1bit';

export default defineConfig({
  // Start from a preset: photo, pixel-art, sprite, playdate, newspaper, lowtech-web (\`pixel presets\`).
  extends: 'pixel-art',

  // Change options of the preset's steps without rewriting them.
  override: {
    resize: { longSide: 128 },
    'pixel-art': { pattern: 'diagonal' }, // fills: diagonal, dots, bayer-4, solid; --method swaps the binarizer
  },

  // Or write the whole pipeline yourself (replaces the preset's steps):
  // steps: [
  //   { use: 'resize', width: 128, height: 64, fit: 'cover' },
  //   { use: 'adjust', contrast: 0.2, sharpen: 0.5 },
  //   { use: 'dither', method: 'atkinson' },
  //   { use: 'upscale', scale: 4 },
  //   { use: 'palette', ink: '#312f28', paper: '#b1afa8' },
  // ],

  // Where outputs go: [dir] mirrors the input folders, [name] is the file name.
  output: { dir: 'dist/1bit', format: 'png', name: '[dir]/[name].[ext]' },

  // Your own presets, usable in extends, rules and --preset.
  presets: {
    icon: { description: 'Icons: 24-px grid, clean threshold', steps: [{ use: 'resize', longSide: 24 }, { use: 'adjust' }, { use: 'threshold', mode: 'otsu' }] },
  },

  // Which files \`pixel staged\` converts, and different settings for some (globs relative to
  // this file; later rules win). Outputs mirror the tree below the first matching glob's folder,
  // so the commit hook writes what \`pixel convert assets\` writes.
  rules: [{ files: 'assets/**' }, { files: 'assets/icons/**', preset: 'icon' }],
});
`;

export async function initCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS, 'init');
  if (values.help) {
    io.stdout(helpText('Usage: pixel init [--force]\n\nWrites a commented pixel.config.ts in the current folder.', OPTIONS));
    return 0;
  }
  const path = join(cwd, 'pixel.config.ts');
  if (existsSync(path) && !values.force) throw new PixelError('E_USAGE', 'pixel.config.ts already exists', { file: path, hint: 'Pass --force to replace it.' });
  await writeFileAtomic(path, Buffer.from(CONFIG_TEMPLATE), { overwrite: true });
  io.stdout(`Wrote pixel.config.ts. Try: pixel convert <folder> (outputs go to dist/1bit)\n`);
  return 0;
}
