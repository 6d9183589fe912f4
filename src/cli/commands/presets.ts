/** `pixel presets`: the built-in and the config's presets, with what they are for. */
import { loadConfig } from '../../config/load.js';
import { PresetTable } from '../../config/resolve.js';
import { builtinPresets } from '../../../presets/index.js';
import { helpText, parseCommandLine, type OptionTable } from '../args.js';
import type { IO } from '../reporters/types.js';

const OPTIONS: OptionTable = {
  details: { type: 'boolean', short: 'd', description: 'Show each preset\'s target and steps' },
  config: { type: 'string', short: 'c', value: 'file', description: 'Config file whose presets to include' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export async function presetsCommand(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS, 'presets');
  if (values.help) {
    io.stdout(helpText('Usage: pixel presets [--details]\n\nLists the presets usable with --preset, extends and rules.', OPTIONS));
    return 0;
  }
  const { config } = await loadConfig({ cwd, configPath: values.config as string | undefined });
  const table = new PresetTable(config.presets ?? {}, builtinPresets);
  const names = table.names();
  const width = Math.max(...names.map((n) => n.length)) + 2;
  for (const name of names) {
    const preset = table.get(name)!;
    const origin = Object.hasOwn(config.presets ?? {}, name) ? ' (yours)' : '';
    io.stdout(`${name.padEnd(width)}${preset.description ?? ''}${origin}\n`);
    if (values.details) {
      if (preset.target) io.stdout(`${' '.repeat(width)}for: ${preset.target}\n`);
      if (preset.extends) io.stdout(`${' '.repeat(width)}extends: ${[preset.extends].flat().join(', ')}\n`);
      for (const step of preset.steps ?? []) {
        const { use, ...opts } = step;
        const args = Object.entries(opts).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
        io.stdout(`${' '.repeat(width)}- ${typeof use === 'string' ? use : use.name}${args ? ` ${args}` : ''}\n`);
      }
      if (preset.output) io.stdout(`${' '.repeat(width)}output: ${JSON.stringify(preset.output)}\n`);
      io.stdout('\n');
    }
  }
  if (!values.details) io.stdout(`\n${Object.keys(builtinPresets).length} built-in presets; pixel presets --details shows their steps.\n`);
  return 0;
}
