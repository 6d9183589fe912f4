/** 0 ↔ 1 for every pixel, into a new array (or `out`). Any non-zero input counts as paper. */
export function invertBits(data: Uint8Array, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  for (let i = 0; i < data.length; i++) out[i] = data[i] === 0 ? 1 : 0;
  return out;
}
