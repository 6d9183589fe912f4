import { describe, expect, it } from 'vitest';
import { didYouMean } from './messages.js';
import { booleanField, enumField, numberField, parseWithSchema } from './options.js';

const schema = {
  size: numberField('size', 8, { min: 1, max: 64, integer: true }),
  mode: enumField('mode', 'a', ['alpha', 'beta', 'a'] as const),
  on: booleanField('on', false),
};

describe('option vocabulary', () => {
  it.each([
    [{}, { size: 8, mode: 'a', on: false }],
    [{ size: 64, mode: 'beta', on: true }, { size: 64, mode: 'beta', on: true }],
    [undefined, { size: 8, mode: 'a', on: false }],
  ])('accepts %j', (input, expected) => {
    expect(parseWithSchema(schema, input, 'x')).toEqual(expected);
  });

  it.each([
    [{ size: 0 }, 'Expected an integer between 1 and 64 for x.size but received 0'],
    [{ size: 2.5 }, 'Expected an integer between 1 and 64 for x.size but received 2.5'],
    [{ size: '8' }, 'Expected an integer between 1 and 64 for x.size but received "8"'],
    [{ size: NaN }, 'Expected an integer between 1 and 64 for x.size but received NaN'],
    [{ mode: 'gamma' }, 'Expected one of "alpha", "beta", "a" for x.mode but received "gamma"'],
    [{ on: 'yes' }, 'Expected a boolean for x.on but received "yes"'],
    [{ sise: 3 }, 'Unknown option x.sise (did you mean "size"?)'],
    [[1], 'Expected an object of options for x but received an array ([1])'],
  ])('rejects %j', (input, message) => {
    expect(() => parseWithSchema(schema, input, 'x')).toThrow(message);
  });

  it('suggests only close names', () => {
    expect(didYouMean('floyd', ['floyd-steinberg', 'atkinson'])).toBeUndefined();
    expect(didYouMean('atkinsn', ['floyd-steinberg', 'atkinson'])).toBe('atkinson');
  });
});
