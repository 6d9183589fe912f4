/**
 * Options as data (as Prettier's option table): each field knows its default,
 * how to check a value and how to describe itself, so one table drives
 * validation, `--help` and the README. Messages come from the catalogue
 * (messages.ts).
 */
import { PixelError } from './errors.js';
import { describeValue, expectedOneOf, invalid, oneOf, unknownName } from './messages.js';

export interface Field<T> {
  /** What a valid value is, in words: "a number between 0 and 1". */
  expected: string;
  description: string;
  default: T;
  /** Returns the parsed value or throws via `invalid`. */
  parse(value: unknown, path: string): T;
}

export type Schema<O> = { [K in keyof O]: Field<O[K]> };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function unknownKey(path: string, key: string, known: Iterable<string>): PixelError {
  const list = [...known];
  return new PixelError('E_OPTION', unknownName('option', path ? `${path}.` : '', key, list), { hint: `Known options: ${list.join(', ')}` });
}

/**
 * Parses an options object against a schema: unknown keys are rejected with a
 * suggestion, missing keys take their defaults, every value is checked.
 * `ignore` lists keys owned by the caller (e.g. `use`).
 */
export function parseWithSchema<O>(schema: Schema<O>, input: unknown, path: string, ignore: readonly string[] = []): O {
  if (input === undefined || input === null) input = {};
  if (!isPlainObject(input)) throw invalid(path, 'an object of options', input);
  const known = Object.keys(schema);
  for (const key of Object.keys(input)) {
    if (!known.includes(key) && !ignore.includes(key)) throw unknownKey(path, key, known);
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const field = (schema as Record<string, Field<unknown>>)[key];
    const value = (input as Record<string, unknown>)[key];
    out[key] = value === undefined ? field.default : field.parse(value, path ? `${path}.${key}` : key);
  }
  return out as O;
}

export function defaultsOf<O>(schema: Schema<O>): O {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(schema)) out[k] = (f as Field<unknown>).default;
  return out as O;
}

// ---- field builders -------------------------------------------------------

export function numberField(
  description: string,
  def: number,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): Field<number> {
  const { min, max, integer, exclusiveMin } = opts;
  const kind = integer ? 'an integer' : 'a number';
  let expected = kind;
  if (min !== undefined && max !== undefined) expected = `${kind} between ${min} and ${max}`;
  else if (min !== undefined) expected = exclusiveMin ? `${kind} greater than ${min}` : `${kind} >= ${min}`;
  else if (max !== undefined) expected = `${kind} <= ${max}`;
  return {
    expected,
    description,
    default: def,
    parse(value, path) {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!integer || Number.isInteger(value)) &&
        (min === undefined || (exclusiveMin ? value > min : value >= min)) &&
        (max === undefined || value <= max);
      if (!ok) throw invalid(path, expected, value);
      return value as number;
    },
  };
}

/** A number field that may also be absent (undefined means "not set"). */
export function optionalNumberField(
  description: string,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): Field<number | undefined> {
  const inner = numberField(description, 0, opts);
  return { expected: inner.expected, description, default: undefined, parse: (v, p) => inner.parse(v, p) };
}

export function booleanField(description: string, def: boolean): Field<boolean> {
  return {
    expected: 'a boolean',
    description,
    default: def,
    parse(value, path) {
      if (typeof value !== 'boolean') throw invalid(path, 'a boolean', value);
      return value;
    },
  };
}

export function enumField<T extends string>(description: string, def: T, values: readonly T[]): Field<T> {
  const expected = `one of ${oneOf(values)}`;
  return {
    expected,
    description,
    default: def,
    parse(value, path) {
      if (typeof value !== 'string' || !values.includes(value as T)) throw new PixelError('E_OPTION', expectedOneOf(values, path, value));
      return value as T;
    },
  };
}

export function stringField(description: string, def: string): Field<string> {
  return {
    expected: 'a string',
    description,
    default: def,
    parse(value, path) {
      if (typeof value !== 'string') throw invalid(path, 'a string', value);
      return value;
    },
  };
}

/** Any field with a custom parser. */
export function customField<T>(description: string, def: T, expected: string, check: (value: unknown) => T | undefined): Field<T> {
  return {
    expected,
    description,
    default: def,
    parse(value, path) {
      const parsed = check(value);
      if (parsed === undefined) throw invalid(path, expected, value);
      return parsed;
    },
  };
}
