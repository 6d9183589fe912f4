/**
 * Command-line options as data: one table drives parsing, validation and --help.
 */
import { parseArgs } from 'node:util';
import { PixelError } from '../pipeline/errors.js';
import { didYouMean, invalidFlag, oneOf } from '../pipeline/messages.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  value?: string;
  description: string;
  multiple?: boolean;
}

export type OptionTable = Record<string, OptionSpec>;

export function parseCommandLine(argv: string[], table: OptionTable, command: string): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(table).map(([k, v]) => [k, { type: v.type, ...(v.short ? { short: v.short } : {}), ...(v.multiple ? { multiple: true } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    const message = (error as Error).message;
    const m = /Unknown option '(-{1,2})([^']+)'/.exec(message);
    if (m) {
      const guess = didYouMean(m[2], Object.keys(table));
      throw new PixelError('E_USAGE', `Unknown option ${m[1]}${m[2]} for pixel ${command}${guess ? ` (did you mean --${guess}?)` : ''}`, { hint: `See pixel ${command} --help` });
    }
    const missing = /Option '(.+?)' argument missing/.exec(message);
    if (missing) throw new PixelError('E_USAGE', `Option ${missing[1]} needs a value`, { hint: `See pixel ${command} --help` });
    throw new PixelError('E_USAGE', message.replace(/\. To specify.*$/s, ''), { hint: `See pixel ${command} --help` });
  }
}

export function helpText(usage: string, table: OptionTable, footer = ''): string {
  const rows = Object.entries(table).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [usage, '', 'Options:', ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`), footer ? `\n${footer}` : ''].join('\n').trimEnd() + '\n';
}

/** A flag that must be a number in a range. */
export function numberFlag(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw invalidFlag(flag, `a number between ${min} and ${max}`, value);
  return n;
}

/** A flag that must be one of a few names. */
export function choiceFlag<T extends string>(value: unknown, flag: string, known: readonly T[], hint?: string): T | undefined {
  if (value === undefined) return undefined;
  if (!known.includes(value as T)) throw invalidFlag(flag, `one of ${oneOf(known)}`, value, hint, known);
  return value as T;
}

/** A flag that must be a whole number in a range. */
export function intFlag(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidFlag(flag, `a whole number between ${min} and ${max}`, value, `e.g. --${flag} ${Math.max(min, Math.min(max, 128))}`);
  return n;
}
