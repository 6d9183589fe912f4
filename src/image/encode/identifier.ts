/** C identifiers from file names (XBM and C headers embed one). */

const C_KEYWORDS = new Set(
  'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while bool true false alignas alignof asm class delete new namespace operator private protected public template this throw try virtual'.split(
    ' ',
  ),
);

/**
 * `name` as a C identifier: characters outside [A-Za-z0-9_] become `_`, a
 * leading digit gets a `_` prefix, a keyword gets an `_img` suffix; empty
 * names become `image`. "my sprite-2.png" → "my_sprite_2_png".
 */
export function cIdentifier(name: string | undefined): string {
  let id = (name ?? '').replace(/[^A-Za-z0-9_]/g, '_');
  if (id === '' || /^_+$/.test(id)) return 'image';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (C_KEYWORDS.has(id)) id += '_img';
  return id;
}

/** Bytes as C hex literals, `perLine` to a line, each line indented. */
export function hexLines(bytes: Uint8Array, perLine = 16, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    let line = indent;
    const end = Math.min(i + perLine, bytes.length);
    for (let j = i; j < end; j++) line += j === i ? HEX[bytes[j]] : ', ' + HEX[bytes[j]];
    lines.push(line);
  }
  return lines.join(',\n');
}

/** "0x00".."0xff", built once. */
const HEX = Array.from({ length: 256 }, (_, v) => '0x' + v.toString(16).padStart(2, '0'));
