/**
 * An option field for an opaque CSS hex colour. Parsed values are normalised
 * to lower-case "#rrggbb" so configs stay plain, printable data; convert with
 * parseHexColor where the RGB is needed.
 */
import { parseHexColor, toHex } from '../../image/color.js';
import { invalid } from '../../pipeline/messages.js';
import type { Field } from '../../pipeline/options.js';

export const HEX_COLOUR_EXPECTED = 'a CSS hex colour like "#1a1a1a"';

/** The 16 CSS basic colour keywords (CSS Color Module Level 4, §6.1), offered as hints. */
const NAMED: Record<string, string> = {
  black: '#000000',
  silver: '#c0c0c0',
  gray: '#808080',
  grey: '#808080',
  white: '#ffffff',
  maroon: '#800000',
  red: '#ff0000',
  purple: '#800080',
  fuchsia: '#ff00ff',
  green: '#008000',
  lime: '#00ff00',
  olive: '#808000',
  yellow: '#ffff00',
  navy: '#000080',
  blue: '#0000ff',
  teal: '#008080',
  aqua: '#00ffff',
};

export function colorField(description: string, def: string): Field<string> {
  return {
    expected: HEX_COLOUR_EXPECTED,
    description,
    default: def,
    parse(value, path) {
      const rgb = parseHexColor(value);
      if (rgb) return toHex(rgb);
      let hint: string | undefined;
      if (typeof value === 'string') {
        const key = value.trim().toLowerCase();
        if (NAMED[key]) hint = `Use "${NAMED[key]}" for ${key}`;
        else if (/^[0-9a-f]{3}([0-9a-f]{3})?$/i.test(key)) hint = `Add the "#": "#${key}"`;
      }
      throw invalid(path, HEX_COLOUR_EXPECTED, value, hint);
    },
  };
}
