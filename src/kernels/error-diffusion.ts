/**
 * Error diffusion: threshold each pixel at 0.5 and push the quantisation error
 * onto pixels not yet visited, weighted by a kernel. Kernels are data, so a new
 * one is an entry in KERNELS, not a new loop.
 *
 * Offsets are relative to the current pixel for a left-to-right row: dx > 0 is
 * to the right, dy is rows down. Entries with dy = 0 must have dx > 0 (causal).
 * Weights are integers; the kernel divides them by `divisor`.
 */

export interface KernelEntry {
  readonly dx: number;
  readonly dy: number;
  readonly weight: number;
}

export interface DiffusionKernel {
  readonly name: string;
  readonly divisor: number;
  readonly entries: readonly KernelEntry[];
}

export interface DiffuseOptions {
  /** Alternate the scan direction every row (boustrophedon), mirroring dx on right-to-left rows. */
  serpentine: boolean;
  /** Fraction of the error that is diffused, 0..1. 0 is a plain threshold. */
  strength: number;
}

function kernel(name: string, divisor: number, rows: readonly (readonly number[])[]): DiffusionKernel {
  // `rows` is the textbook picture: row 0 starts right of the current pixel (X),
  // later rows are centred on the current column.
  const entries: KernelEntry[] = [];
  rows.forEach((row, dy) => {
    const half = (row.length - 1) / 2;
    row.forEach((weight, i) => {
      if (weight === 0) return;
      entries.push({ dx: dy === 0 ? i + 1 : i - half, dy, weight });
    });
  });
  return Object.freeze({ name, divisor, entries: Object.freeze(entries) });
}

/**
 * The classic kernels. The pictures below read as in the sources: X is the
 * current pixel, weights are divided by the divisor.
 */
export const KERNELS = {
  /**
   * R. W. Floyd, L. Steinberg, "An adaptive algorithm for spatial greyscale",
   * Proc. SID 17(2):75–77, 1976.        X 7
   *                                   3 5 1   (/16)
   */
  'floyd-steinberg': kernel('floyd-steinberg', 16, [[7], [3, 5, 1]]),
  /**
   * Bill Atkinson's MacPaint/HyperCard dither (Apple, 1984), as documented in
   * T. Helland, "Image Dithering: Eleven Algorithms and Source Code", 2012.
   *      X 1 1
   *    1 1 1        (/8)
   *      1
   * Only 6/8 of the error is passed on by design: highlights and shadows
   * saturate, which gives the high-contrast Mac look.
   */
  atkinson: kernel('atkinson', 8, [[1, 1], [1, 1, 1], [0, 1, 0]]),
  /**
   * J. F. Jarvis, C. N. Judice, W. H. Ninke, "A survey of techniques for the
   * display of continuous tone pictures on bilevel displays", Computer Graphics
   * and Image Processing 5(1):13–40, 1976.
   *          X 7 5
   *      3 5 7 5 3    (/48)
   *      1 3 5 3 1
   */
  'jarvis-judice-ninke': kernel('jarvis-judice-ninke', 48, [
    [7, 5],
    [3, 5, 7, 5, 3],
    [1, 3, 5, 3, 1],
  ]),
  /**
   * P. Stucki, "MECCA: a multiple-error correction computation algorithm for
   * bi-level image hardcopy reproduction", IBM Research Report RZ1060, 1981.
   *          X 8 4
   *      2 4 8 4 2    (/42)
   *      1 2 4 2 1
   */
  stucki: kernel('stucki', 42, [
    [8, 4],
    [2, 4, 8, 4, 2],
    [1, 2, 4, 2, 1],
  ]),
  /**
   * D. Burkes, "Presentation of the Burkes error filter for use with
   * preprocessing", 1988, as collected in L. D. Crocker's DHALF.TXT (1991).
   *          X 8 4
   *      2 4 8 4 2    (/32)
   */
  burkes: kernel('burkes', 32, [
    [8, 4],
    [2, 4, 8, 4, 2],
  ]),
  /**
   * Frankie Sierra's three-row filter (1989), as in L. D. Crocker's DHALF.TXT.
   *          X 5 3
   *      2 4 5 4 2    (/32)
   *        2 3 2
   */
  'sierra-3': kernel('sierra-3', 32, [
    [5, 3],
    [2, 4, 5, 4, 2],
    [0, 2, 3, 2, 0],
  ]),
  /**
   * Frankie Sierra's two-row filter (1990), as in L. D. Crocker's DHALF.TXT.
   *          X 4 3
   *      1 2 3 2 1    (/16)
   */
  'sierra-2': kernel('sierra-2', 16, [
    [4, 3],
    [1, 2, 3, 2, 1],
  ]),
  /**
   * Frankie Sierra's "Filter Lite" (1990), as in L. D. Crocker's DHALF.TXT.
   *      X 2
   *    1 1          (/4)
   */
  'sierra-lite': kernel('sierra-lite', 4, [[2], [1, 1, 0]]),
} as const satisfies Record<string, DiffusionKernel>;

export type KernelName = keyof typeof KERNELS;

/*
 * Why pure black and white stay pure without clamping the tone: with weights
 * that sum to at most 1 and strength <= 1, every diffused error lies in
 * (-0.5, 0.5] (by induction: value + incoming error is in (-0.5, 1.5], and
 * thresholding at 0.5 leaves at most half a step). So a 0 input sees at most
 * 0 + 0.5, which is not > 0.5, and a 1 input at least 1 - 0.5 + tiny. Only
 * floating-point rounding of the sums can step outside that interval, so the
 * error-adjusted value is clamped to [g + ERR_LO, g + ERR_HI]: a no-op in
 * exact arithmetic (up to 2^-30) that makes the guarantee hold bit for bit.
 * The bounds are computed off the critical path and the branches are almost
 * never taken, so the clamp costs next to nothing.
 */
const ERR_LO = -0.5 + 2 ** -30;
const ERR_HI = 0.5 - 2 ** -30;

/*
 * Thresholding by rounding: (v + ROUND) - ROUND rounds v to the nearest
 * integer, ties to even (IEEE default), for |v| < 2^51. On the clamped range
 * (-0.5, 1.5) that is exactly `v > 0.5 ? 1 : 0` (0.5 rounds to 0), but it is
 * two adds on the loop-carried dependency chain instead of a compare, a flag
 * move and an int-to-float conversion: about 30% faster for Floyd–Steinberg.
 */
const ROUND = 6755399441055744; // 1.5 · 2^52

function isFloydSteinberg(k: DiffusionKernel): boolean {
  const fs = KERNELS['floyd-steinberg'];
  if (k === fs) return true;
  if (k.entries.length !== 4 || k.divisor !== 16) return false;
  return fs.entries.every((e) => k.entries.some((f) => f.dx === e.dx && f.dy === e.dy && f.weight === e.weight));
}

/** Throws a RangeError for a kernel `diffuse` cannot run. */
export function checkKernel(k: DiffusionKernel): void {
  if (!(k.divisor > 0)) throw new RangeError(`kernel ${k.name}: divisor must be > 0`);
  let sum = 0;
  for (const e of k.entries) {
    if (!Number.isInteger(e.dx) || !Number.isInteger(e.dy) || e.dy < 0 || (e.dy === 0 && e.dx !== 1 && e.dx !== 2)) {
      // Same-row error is carried in two locals (see diffuse), so it may go 1 or 2 pixels ahead.
      throw new RangeError(`kernel ${k.name}: entry (${e.dx}, ${e.dy}) must be on a later row, or 1 or 2 pixels ahead on the same row`);
    }
    if (!(e.weight >= 0)) throw new RangeError(`kernel ${k.name}: weights must be >= 0`);
    sum += e.weight;
  }
  // More than 1 would let the error grow without bound.
  if (sum > k.divisor) throw new RangeError(`kernel ${k.name}: weights sum to more than the divisor`);
}

/**
 * Dithers a 1-channel unit image to 0/1 (1 where the error-adjusted value is
 * above 0.5). `gray` is already in the working colour space. Returns `out`
 * (allocated if not given).
 */
/**
 * The error ring both generic loops share: `entries` as (dx, dy, weight)
 * arrays, and a ring of maxDy+1 error rows padded so writes past the edges
 * land in columns that are never read (the error there is dropped, as usual).
 * `offs[k]` is filled per row by the caller.
 */
function errorRing(entries: readonly KernelEntry[], divisor: number, strength: number, width: number) {
  const n = entries.length;
  const dxs = new Int32Array(n);
  const dys = new Int32Array(n);
  const ws = new Float64Array(n);
  let maxDy = 0;
  let pad = 0;
  for (let k = 0; k < n; k++) {
    const e = entries[k];
    dxs[k] = e.dx;
    dys[k] = e.dy;
    ws[k] = (e.weight / divisor) * strength;
    if (e.dy > maxDy) maxDy = e.dy;
    if (Math.abs(e.dx) > pad) pad = Math.abs(e.dx);
  }
  const rows = maxDy + 1;
  const stride = width + 2 * pad;
  return { n, dxs, dys, ws, rows, stride, pad, buf: new Float64Array(rows * stride), offs: new Int32Array(n) };
}

export function diffuse(
  gray: Float32Array,
  width: number,
  height: number,
  kernel: DiffusionKernel,
  options: DiffuseOptions,
  out: Uint8Array = new Uint8Array(width * height),
  /** Run the general ring loop even where an unrolled one exists (the reference the tests compare with). */
  general = false,
): Uint8Array {
  if (gray.length < width * height || out.length < width * height) throw new RangeError('diffuse: buffer smaller than width × height');
  if (!(options.strength >= 0 && options.strength <= 1)) throw new RangeError('diffuse: strength must be between 0 and 1');
  checkKernel(kernel);
  if (width === 0 || height === 0) return out;
  const strength = options.strength;
  if (!general && isFloydSteinberg(kernel)) return floydSteinberg(gray, width, height, options.serpentine, strength, out);

  // Same-row weights go to locals; the rest are (dy, dx, weight) triples.
  let r1 = 0;
  let r2 = 0;
  for (const e of kernel.entries) {
    const w = (e.weight / kernel.divisor) * strength;
    if (e.dy === 0) {
      if (e.dx === 1) r1 += w;
      else r2 += w;
    }
  }
  const ring = errorRing(
    kernel.entries.filter((e) => e.dy > 0),
    kernel.divisor,
    strength,
    width,
  );
  const run = !general && ring.n <= UNROLL_MAX ? unrolledLoop(ring.n) : ringLoop;
  run(gray, width, height, options.serpentine, r1, r2, ring, out, ERR_LO, ERR_HI, ROUND);
  return out;
}

/**
 * The general error-diffusion loop over a ring (the entries' weights and
 * offsets read from arrays per pixel): kernels with many entries run it, and
 * the unrolled loops are tested against it bit for bit.
 */
function ringLoop(gray: Float32Array, width: number, height: number, serpentine: boolean, r1: number, r2: number, ring: Ring, out: Uint8Array, lo: number, hi: number, round: number): void {
  const { n, dxs, dys, ws, rows, stride, pad, buf, offs } = ring;

  for (let y = 0; y < height; y++) {
    const reverse = serpentine && (y & 1) === 1;
    const dir = reverse ? -1 : 1;
    for (let k = 0; k < n; k++) offs[k] = ((y + dys[k]) % rows) * stride + pad + dxs[k] * dir;
    const rowStart = (y % rows) * stride;
    const cur = rowStart + pad;
    const line = y * width;
    let c1 = 0; // error arriving at the next pixel on this row
    let c2 = 0; // error arriving two pixels ahead
    const end = reverse ? -1 : width;
    for (let x = reverse ? width - 1 : 0; x !== end; x += dir) {
      const g = gray[line + x];
      let v = g + buf[cur + x] + c1;
      if (v > g + hi) v = g + hi;
      else if (v < g + lo) v = g + lo;
      const o = v + round - round;
      out[line + x] = o;
      const err = v - o;
      c1 = c2 + err * r1;
      c2 = err * r2;
      for (let k = 0; k < n; k++) buf[offs[k] + x] += err * ws[k];
    }
    buf.fill(0, rowStart, rowStart + stride);
  }
}


/** Kernels with at most this many later-row entries get an unrolled loop (Jarvis, Stucki and Sierra-3 have 10). */
const UNROLL_MAX = 12;

type Ring = ReturnType<typeof errorRing>;
type Loop = (gray: Float32Array, width: number, height: number, serpentine: boolean, r1: number, r2: number, ring: Ring, out: Uint8Array, lo: number, hi: number, round: number) => void;
const unrolled = new Map<number, Loop>();

/**
 * The generic loop with its per-pixel `for k` unrolled for n entries: each
 * entry's weight and ring offset live in locals, so a pixel is n
 * multiply-adds into the ring and nothing else. The source is generated once
 * per entry count (the weights are arguments, not code). The operations and
 * their order are the generic loop's, so the bits are identical (tested).
 */
function unrolledLoop(n: number): Loop {
  let loop = unrolled.get(n);
  if (loop) return loop;
  const ks = Array.from({ length: n }, (_, k) => k);
  const body = `
    const { dxs, dys, ws, rows, stride, pad, buf } = ring;
    ${ks.map((k) => `const w${k} = ws[${k}];`).join(' ')}
    for (let y = 0; y < height; y++) {
      const reverse = serpentine && (y & 1) === 1;
      const dir = reverse ? -1 : 1;
      ${ks.map((k) => `const o${k} = ((y + dys[${k}]) % rows) * stride + pad + dxs[${k}] * dir;`).join('\n      ')}
      const rowStart = (y % rows) * stride;
      const cur = rowStart + pad;
      const line = y * width;
      let c1 = 0;
      let c2 = 0;
      const end = reverse ? -1 : width;
      for (let x = reverse ? width - 1 : 0; x !== end; x += dir) {
        const g = gray[line + x];
        let v = g + buf[cur + x] + c1;
        if (v > g + hi) v = g + hi;
        else if (v < g + lo) v = g + lo;
        const o = v + round - round;
        out[line + x] = o;
        const err = v - o;
        c1 = c2 + err * r1;
        c2 = err * r2;
        ${ks.map((k) => `buf[o${k} + x] += err * w${k};`).join('\n        ')}
      }
      buf.fill(0, rowStart, rowStart + stride);
    }`;
  loop = new Function('gray', 'width', 'height', 'serpentine', 'r1', 'r2', 'ring', 'out', 'lo', 'hi', 'round', body) as Loop;
  unrolled.set(n, loop);
  return loop;
}

/**
 * Floyd–Steinberg with the kernel unrolled: one row buffer, the error to the
 * right carried in a local and the three below-row contributions held in two
 * locals until their column is complete, so each pixel costs one buffer load
 * and one store. Sums are formed in the same order and precision as the
 * generic loop, so the two give identical bits (tested).
 */
function floydSteinberg(gray: Float32Array, width: number, height: number, serpentine: boolean, strength: number, out: Uint8Array): Uint8Array {
  const w7 = (7 / 16) * strength;
  const w3 = (3 / 16) * strength;
  const w5 = (5 / 16) * strength;
  const w1 = (1 / 16) * strength;
  // buf[c + 1] holds column c; buf[0] and buf[width + 1] are write-only padding.
  const buf = new Float64Array(width + 2);
  for (let y = 0; y < height; y++) {
    const line = y * width;
    let carry = 0; // error pushed to the next pixel on this row (7/16)
    let pa = 0; // pending sum for the column just behind the current pixel
    let pb = 0; // pending sum for the current column
    if (serpentine && (y & 1) === 1) {
      for (let x = width - 1; x >= 0; x--) {
        const g = gray[line + x];
        // g + buf is off the dependency chain; only `+ carry` is on it.
        let v = g + buf[x + 1] + carry;
        if (v > g + ERR_HI) v = g + ERR_HI;
        else if (v < g + ERR_LO) v = g + ERR_LO;
        const o = v + ROUND - ROUND;
        out[line + x] = o;
        const err = v - o;
        carry = err * w7;
        // Mirrored: 3/16 goes to x+1 (now complete), 5/16 to x, 1/16 to x-1.
        buf[x + 2] = pa + err * w3;
        pa = pb + err * w5;
        pb = err * w1;
      }
      buf[1] = pa;
      buf[0] = 0;
    } else {
      for (let x = 0; x < width; x++) {
        const g = gray[line + x];
        let v = g + buf[x + 1] + carry;
        if (v > g + ERR_HI) v = g + ERR_HI;
        else if (v < g + ERR_LO) v = g + ERR_LO;
        const o = v + ROUND - ROUND;
        out[line + x] = o;
        const err = v - o;
        carry = err * w7;
        buf[x] = pa + err * w3;
        pa = pb + err * w5;
        pb = err * w1;
      }
      buf[width] = pa;
      buf[width + 1] = 0;
    }
  }
  return out;
}

/**
 * Error diffusion with a per-pixel decision offset (edge-aware mode, see
 * edges.ts): a pixel is paper when value + error + offset > 0.5, and the
 * error passed on is value + error − output, without the offset, so the
 * offset moves ink around edges but not the average tone. Decisions are no
 * longer made at 0.5, so the error is not confined to (−0.5, 0.5]; pure 0 and
 * 1 inputs are therefore written as themselves (their error still passes on)
 * instead of relying on that bound. A zero offset gives the same output as
 * `diffuse` except in floating-point corner cases.
 */
export function diffuseWithOffset(
  gray: Float32Array,
  width: number,
  height: number,
  kernel: DiffusionKernel,
  options: DiffuseOptions,
  offset: Float32Array,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  if (gray.length < width * height || out.length < width * height || offset.length < width * height) {
    throw new RangeError('diffuseWithOffset: buffer smaller than width × height');
  }
  checkKernel(kernel);
  const strength = options.strength;
  const { n, dxs, dys, ws, rows, stride, pad, buf, offs } = errorRing(kernel.entries, kernel.divisor, strength, width);
  for (let y = 0; y < height; y++) {
    const reverse = options.serpentine && (y & 1) === 1;
    const dir = reverse ? -1 : 1;
    for (let k = 0; k < n; k++) offs[k] = ((y + dys[k]) % rows) * stride + pad + dxs[k] * dir;
    const rowStart = (y % rows) * stride;
    const cur = rowStart + pad;
    const line = y * width;
    const end = reverse ? -1 : width;
    for (let x = reverse ? width - 1 : 0; x !== end; x += dir) {
      const g = gray[line + x];
      const v = g + buf[cur + x];
      const o = g <= 0 ? 0 : g >= 1 ? 1 : v + offset[line + x] > 0.5 ? 1 : 0;
      out[line + x] = o;
      const err = v - o;
      // Same-row entries land in this row's slot of the ring, ahead of x.
      for (let k = 0; k < n; k++) buf[offs[k] + x] += err * ws[k];
    }
    buf.fill(0, rowStart, rowStart + stride);
  }
  return out;
}
