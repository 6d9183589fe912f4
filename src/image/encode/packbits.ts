/**
 * PackBits run-length coding (Apple Technical Note TN1023; TIFF 6.0 §9):
 * a header byte n in 0..127 copies the next n+1 bytes, n in -127..-1 repeats
 * the next byte 1-n times. Runs of 3 or more equal bytes become repeats
 * (a run of 2 inside a literal costs the same either way).
 */
export function packBitsRle(src: Uint8Array, out: number[] = []): number[] {
  const n = src.length;
  let i = 0;
  while (i < n) {
    // Length of the run starting at i (max 128).
    let run = 1;
    while (i + run < n && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      out.push((257 - run) & 0xff, src[i]);
      i += run;
      continue;
    }
    // A literal: up to the next run of 3 (or 128 bytes).
    const start = i;
    while (i < n && i - start < 128) {
      if (i + 2 < n && src[i] === src[i + 1] && src[i] === src[i + 2]) break;
      i++;
    }
    out.push(i - start - 1);
    for (let j = start; j < i; j++) out.push(src[j]);
  }
  return out;
}

/** Decodes PackBits (for tests and round trips). */
export function unpackBitsRle(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let o = 0;
  for (let i = 0; i < src.length && o < expected; ) {
    const h = src[i++];
    if (h < 128) {
      for (let k = 0; k <= h; k++) out[o++] = src[i++];
    } else if (h > 128) {
      const v = src[i++];
      for (let k = 0; k < 257 - h; k++) out[o++] = v;
    }
  }
  return out;
}
