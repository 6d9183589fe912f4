/**
 * Shape checks for a config object, collecting every problem with its key path
 * (plugin options are checked by each plugin's own parser in resolve).
 */
import { PixelError } from '../pipeline/errors.js';
import { expected, unknownName } from '../pipeline/messages.js';
import { isPlainObject } from '../pipeline/options.js';

const TOP_KEYS = ['extends', 'steps', 'override', 'output', 'presets', 'rules', 'plugins', 'maxPixels', 'description', 'target'];
const PRESET_KEYS = ['description', 'target', 'extends', 'steps', 'override', 'output'];
const RULE_KEYS = ['files', 'preset', 'extends', 'steps', 'override', 'output'];
const OUTPUT_KEYS = ['dir', 'format', 'name', 'overwrite', 'layout', 'mask', 'sizePrefix', 'prefix', 'bytesPerLine', 'swapBits', 'accentBit', 'sheet'];

/** The type of each output key's value (the values themselves are checked in resolve). */
const OUTPUT_TYPES: Record<string, 'string' | 'boolean' | 'number'> = {
  dir: 'string',
  format: 'string',
  name: 'string',
  overwrite: 'boolean',
  layout: 'string',
  mask: 'string',
  sizePrefix: 'boolean',
  prefix: 'string',
  bytesPerLine: 'number',
  swapBits: 'boolean',
  accentBit: 'number',
  sheet: 'boolean',
};

function unknownKeys(obj: Record<string, unknown>, known: string[], path: string, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    problems.push(unknownName('key', path, key, known));
  }
}

function checkLayer(layer: Record<string, unknown>, path: string, problems: string[]): void {
  const ext = layer.extends;
  if (ext !== undefined && typeof ext !== 'string' && !(Array.isArray(ext) && ext.every((e) => typeof e === 'string')))
    problems.push(expected('a preset name or a list of names', `${path}extends`, ext));
  if (layer.steps !== undefined && !Array.isArray(layer.steps)) problems.push(expected('an array of steps', `${path}steps`, layer.steps));
  if (layer.override !== undefined) {
    if (!isPlainObject(layer.override)) problems.push(expected('an object like { resize: { width: 64 } }', `${path}override`, layer.override));
    else
      for (const [k, v] of Object.entries(layer.override))
        if (!isPlainObject(v)) problems.push(expected('an object of options', `${path}override.${k}`, v));
  }
  if (layer.output !== undefined) {
    if (!isPlainObject(layer.output)) problems.push(expected('an object', `${path}output`, layer.output));
    else {
      unknownKeys(layer.output, OUTPUT_KEYS, `${path}output.`, problems);
      for (const [key, type] of Object.entries(OUTPUT_TYPES)) {
        const v = layer.output[key];
        if (v !== undefined && typeof v !== type) problems.push(expected(`a ${type}`, `${path}output.${key}`, v));
      }
    }
  }
}

/** Returns the list of shape problems in a user config (empty when fine). */
export function validateShape(config: unknown): string[] {
  const problems: string[] = [];
  if (!isPlainObject(config)) return [expected('an object (export default defineConfig({ ... }))', 'the config', config)];
  unknownKeys(config, TOP_KEYS, '', problems);
  checkLayer(config, '', problems);
  if (config.presets !== undefined) {
    if (!isPlainObject(config.presets)) problems.push(expected('an object of named presets', 'presets', config.presets));
    else
      for (const [name, preset] of Object.entries(config.presets)) {
        if (!isPlainObject(preset)) {
          problems.push(expected('an object', `presets.${name}`, preset));
          continue;
        }
        unknownKeys(preset, PRESET_KEYS, `presets.${name}.`, problems);
        checkLayer(preset, `presets.${name}.`, problems);
      }
  }
  if (config.rules !== undefined) {
    if (!Array.isArray(config.rules)) problems.push(expected('an array', 'rules', config.rules));
    else
      config.rules.forEach((rule, i) => {
        const path = `rules[${i}].`;
        if (!isPlainObject(rule)) return problems.push(expected("an object like { files: 'sprites/**', preset: 'sprite' }", `rules[${i}]`, rule));
        unknownKeys(rule, RULE_KEYS, path, problems);
        const files = rule.files;
        if (!(typeof files === 'string' || (Array.isArray(files) && files.length > 0 && files.every((f) => typeof f === 'string'))))
          problems.push(expected('a glob or a list of globs', `${path}files`, files));
        if (rule.preset !== undefined && typeof rule.preset !== 'string') problems.push(expected('a preset name', `${path}preset`, rule.preset));
        checkLayer(rule, path, problems);
      });
  }
  if (config.maxPixels !== undefined && !(typeof config.maxPixels === 'number' && config.maxPixels > 0))
    problems.push(expected('a positive number', 'maxPixels', config.maxPixels));
  if (config.plugins !== undefined && !Array.isArray(config.plugins)) problems.push(expected('an array of plugins or package names', 'plugins', config.plugins));
  return problems;
}

/**
 * Throws one E_CONFIG error listing every shape problem. Called when the
 * config is loaded, before anything reads its keys (output folders, rule
 * globs), so a wrong type is a config error naming the key, never a crash.
 */
export function assertShape(config: unknown, source?: string, options: { typesOnly?: boolean } = {}): void {
  // typesOnly (at load time): unknown keys wait for resolve, which reports them with every other problem.
  const problems = validateShape(config).filter((p) => !options.typesOnly || !p.startsWith('Unknown key'));
  if (problems.length > 0)
    throw new PixelError('E_CONFIG', `Invalid configuration${source ? ` in ${source}` : ''} (${problems.length} problem${problems.length > 1 ? 's' : ''}):`, {
      problems,
      hint: 'Fix the keys above; `pixel presets` lists presets, `pixel convert --help` lists methods and options.',
    });
}
