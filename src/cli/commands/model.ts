/** `pixel model info <file.png>`: prints a model file's header. */
import { readModelFile } from '../../nn/model-file.js';
import { decodeModelPng } from '../../nn/weights-png.js';
import { PixelError } from '../../pipeline/errors.js';
import { resolveModelPath } from '../../plugins/unet/index.js';
import { helpText, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';

const OPTIONS: OptionTable = {
  json: { type: 'boolean', description: 'Print the header as JSON' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

const USAGE = 'Usage: pixel model info [model.png] [--json]\n\nPrints what a model file says about itself: architecture, binarizer, tensors,\ntraining data and command, validation metrics. Without a file: the shipped model; or the name of a\nshipped model (default, icon-style).';

function fmtScores(s: Record<string, number> | undefined): string {
  if (!s) return '';
  return `tone PSNR σ1.5 ${s.tonePsnr15?.toFixed(2)} dB, σ1.0 ${s.tonePsnr10?.toFixed(2)} dB, SSIM ${s.ssim?.toFixed(4)}, bias ${s.toneBias >= 0 ? '+' : ''}${s.toneBias?.toFixed(4)}`;
}

export async function modelCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, 'model');
  if (values.help || positionals.length === 0) {
    io.stdout(helpText(USAGE, OPTIONS));
    return values.help ? 0 : 64;
  }
  const [sub, file, ...rest] = positionals;
  if (sub !== 'info') throw new PixelError('E_USAGE', `Unknown subcommand "${sub}" for pixel model`, { hint: 'pixel model info <model.png>' });
  if (rest.length) throw new PixelError('E_USAGE', `Unexpected argument ${JSON.stringify(rest[0])} for pixel model info`);
  const path = resolveModelPath(file ?? 'default', cwd);
  const bytes = readModelFile(path);
  const { header, tensors } = decodeModelPng(bytes, path);
  if (values.json) {
    io.stdout(`${JSON.stringify(header, null, 2)}\n`);
    return 0;
  }
  const h = header as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const floats = [...tensors.values()].reduce((s, t) => s + t.length, 0);
  const lines = [
    `model        ${path}`,
    `file         ${(bytes.length / 1024).toFixed(1)} KiB PNG, ${floats} float32 values in ${tensors.size} tensors`,
    `architecture ${h.architecture?.type} channels ${[h.architecture?.channels].flat().join('/')}, ${h.parameters} parameters, ${h.macsPerPixel} multiply-adds per pixel`,
    `binarizer    ${h.binarizer}`,
    `input        ${h.input ?? ''}`,
    `output       ${h.output ?? ''}`,
  ];
  const t = h.training;
  if (t) {
    lines.push(`training     ${t.mode}, ${t.step}/${t.steps} steps, batch ${t.batch}, patch ${t.patch}, lr ${t.lr}, seed ${t.seed}, ${t.backend}`);
    lines.push(`             data ${t.data}${t.val ? `, val ${t.val}` : ''}, scales ${t.scales?.join('/')}`);
    lines.push(`             ${t.seconds} s, ${t.stepsPerSecond} steps/s`);
    if (t.command) lines.push(`command      ${t.command}`);
  }
  const v = h.metrics?.val;
  if (v) {
    lines.push(`validation   ${v.job}`);
    lines.push(`  model      ${fmtScores(v.model)}`);
    lines.push(`  FS         ${fmtScores(v.floydSteinberg)}`);
  }
  lines.push(`pixel        ${h.pixelVersion ?? '?'}${h.created ? `, ${h.created}` : ''}`);
  lines.push('tensors');
  for (const e of header.tensors) lines.push(`  ${e.name.padEnd(22)}[${e.shape.join(', ')}] @ ${e.offset}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
