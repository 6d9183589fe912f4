/**
 * The message catalogue: every problem with a value the user wrote (a plugin
 * option, a config key, a command-line flag) is worded here, in one grammar
 * (sharp's): `Expected <what> for <where> but received <value>`, with one
 * "did you mean". `where` is what the user wrote: `--format` for a flag,
 * `output.format` or `override.dither.method` for a config key (the file is
 * named by the error's header), `steps[2].method` for a step's option.
 * Which exit code a problem gets is the CLI's business (a flag 64, a config
 * 78), decided from the error's code, never here.
 */
import { PixelError } from './errors.js';

/** A value as the message shows it: strings quoted, objects abbreviated. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 40)})`;
  if (typeof value === 'function') return 'a function';
  return `an object (${JSON.stringify(value)?.slice(0, 40)})`;
}

/** Damerau-free Levenshtein distance; short strings only. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest known name, if it is close enough to be a typo. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)` when `value` is a string close to a known name, else ''. */
export function guessSuffix(value: unknown, known: Iterable<string>): string {
  const guess = typeof value === 'string' ? didYouMean(value, known) : undefined;
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/** `"a", "b", "c"`: the choices of a one-of. */
export function oneOf(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

/**
 * `Expected <what> for <where> but received <value>`; with `choices`, a
 * "did you mean" for a string close to one of them.
 */
export function expected(what: string, where: string, value: unknown, choices?: Iterable<string>): string {
  return `Expected ${what} for ${where} but received ${describeValue(value)}${choices ? guessSuffix(value, choices) : ''}`;
}

/** `Expected one of "a", "b" for <where> but received "c" (did you mean "a"?)`. */
export function expectedOneOf(choices: readonly string[], where: string, value: unknown): string {
  return expected(`one of ${oneOf(choices)}`, where, value, choices);
}

/** `Unknown <kind> <where><name> (did you mean "x"?)`: a key or option name nobody knows. */
export function unknownName(kind: 'key' | 'option', where: string, name: string, known: Iterable<string>): string {
  return `Unknown ${kind} ${where}${name}${guessSuffix(name, known)}`;
}

/** `Expected either <a> or <b> but received both <a> and <other>`: options that exclude each other. */
export function bothGiven(a: string, b: string, received: string): string {
  return `Expected either ${a} or ${b} but received both ${received}`;
}

/** A bad option value (E_OPTION): the one error factory plugins use. */
export function invalid(path: string, what: string, value: unknown, hint?: string): PixelError {
  return new PixelError('E_OPTION', expected(what, path, value), { hint });
}

/** A bad command-line flag value (E_USAGE, exit 64): names the flag. */
export function invalidFlag(flag: string, what: string, value: unknown, hint?: string, choices?: Iterable<string>): PixelError {
  return new PixelError('E_USAGE', expected(what, `--${flag}`, value, choices), { hint });
}

/** `Unknown <kind> "<name>" <where> (did you mean "x"?)`: a name that is not in a table (preset, plugin, method, command). */
export function unknownNamed(kind: string, name: string, where: string, known: Iterable<string>): string {
  return `Unknown ${kind} "${name}"${where ? ` ${where}` : ''}${guessSuffix(name, known)}`;
}

/** A flag value outside a list of names (`--format jpeg`, `--preset pixl-art`): exit 64, with the list as the hint. */
export function unknownFlagValue(flag: string, value: string, known: readonly string[], label: string): PixelError {
  return new PixelError('E_USAGE', unknownNamed(flag, value, `for --${flag}`, known), { hint: `${label}: ${known.join(', ')}` });
}
