/**
 * The CLI: argv → command → exit code. Only this file's `run` is allowed to
 * decide the process's exit code; errors are printed as a short message and a
 * hint (no stack) unless they are internal.
 */
import { packageInfo } from '../files/package-root.js';
import { PixelError } from '../pipeline/errors.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { unknownNamed } from '../pipeline/messages.js';
import type { IO } from './reporters/types.js';

export function version(): string {
  return packageInfo().version;
}

type CommandRun = (argv: string[], io: IO, cwd: string, signal?: AbortSignal) => Promise<number>;

/**
 * Commands are imported when run, not at start-up: `pixel staged` with nothing
 * staged (every commit) and `--version` must not pay for sharp, tfjs and Ink.
 */
function lazy<K extends string>(load: () => Promise<Record<K, CommandRun>>, name: K): CommandRun {
  return async (...args) => (await load())[name](...args);
}

const COMMANDS: Record<string, { summary: string; run: (argv: string[], io: IO, cwd: string, signal?: AbortSignal) => Promise<number> }> = {
  convert: { summary: 'Convert images, folders or globs to 1-bit images', run: lazy(() => import('./commands/convert.js'), 'convertCommand') },
  eval: { summary: 'Score methods, presets or configs on images (tone PSNR, SSIM, bias, speed)', run: lazy(() => import('./commands/eval.js'), 'evalCommand') },
  presets: { summary: 'List presets (--details for their steps)', run: lazy(() => import('./commands/presets.js'), 'presetsCommand') },
  init: { summary: 'Write a commented pixel.config.ts', run: lazy(() => import('./commands/init.js'), 'initCommand') },
  staged: { summary: 'Convert staged images by the config rules and stage the outputs (pre-commit)', run: lazy(() => import('./commands/staged.js'), 'stagedCommand') },
  train: { summary: 'Train the unet binarizer on a folder of images', run: lazy(() => import('./commands/train.js'), 'trainCommand') },
  model: { summary: 'Show a model file\'s header (pixel model info model.png)', run: lazy(() => import('./commands/model.js'), 'modelCommand') },
  decode: { summary: 'Read a device file (.h .bin .pdi .pdt .escpos) back to a PNG, to check it', run: lazy(() => import('./commands/decode.js'), 'decodeCommand') },
  pack: { summary: 'Several images into one C header with index arrays', run: lazy(() => import('./commands/pack.js'), 'packCommand') },
  preview: { summary: 'Print the 1-bit result (or a device file) as block characters', run: lazy(() => import('./commands/decode.js'), 'previewCommand') },
  sprite: { summary: 'Generative 1-bit sprites: train, sample, complete, score, prompt', run: lazy(() => import('./commands/sprite.js'), 'spriteCommand') },
};

export function mainHelp(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`);
  return `pixel ${version()}: any image to true 1-bit pixel art\n\nUsage: pixel <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nOptions:\n  -h, --help     Show help (pixel <command> --help for a command)\n  -v, --version  Show the version\n`;
}

export async function main(argv: string[], io: IO, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(mainHelp());
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }
    const entry = COMMANDS[command];
    if (!entry) {
      throw new PixelError('E_USAGE', unknownNamed('command', command, '', Object.keys(COMMANDS)), { hint: 'Run pixel --help for the commands.' });
    }
    return await entry.run(rest, io, cwd, signal);
  } catch (error) {
    const code = exitCodeFor(error);
    if (error instanceof PixelError && error.code !== 'E_INTERNAL') io.stderr(`pixel: ${error.format()}\n`);
    else io.stderr(`pixel: internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug; please report it with the command and files that caused it.\n`);
    return code;
  }
}
