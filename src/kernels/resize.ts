/**
 * Resampling kernels on interleaved (HWC) Float32Array images.
 *
 * All three kernels are separable: a per-axis table of taps (source index,
 * weight) is built once per call, then one horizontal pass over only the
 * source rows the vertical taps need, then one vertical pass. Weights and
 * accumulators are float64 so a flat image comes back exactly flat.
 *
 * Every kernel takes an optional source `region` (fractional coordinates
 * allowed) that is mapped onto the whole output: `cover` crops with it.
 * Values are clamped to 0..1 on output (lanczos overshoots at edges).
 */

/** A rectangle in source pixel coordinates; x/y/width/height may be fractional. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Taps for one axis: output i reads `index[offset[i] .. offset[i+1])` with `weight`. */
export interface Taps {
  offset: Int32Array;
  index: Int32Array;
  weight: Float64Array;
}

class TapBuilder {
  offset: Int32Array;
  index: number[] = [];
  weight: number[] = [];
  constructor(n: number) {
    this.offset = new Int32Array(n + 1);
  }
  /** Opens output i's taps. */
  start(i: number): void {
    this.offset[i] = this.index.length;
  }
  /** Closes output i's taps: the source pixel `fallback` when none has weight (rounding at a far edge), then weights summing to 1. */
  close(i: number, fallback: number): void {
    if (this.index.length === this.offset[i]) {
      this.index.push(fallback);
      this.weight.push(1);
    }
    normalise(this, this.offset[i]);
  }
  done(): Taps {
    this.offset[this.offset.length - 1] = this.index.length;
    return { offset: this.offset, index: Int32Array.from(this.index), weight: Float64Array.from(this.weight) };
  }
}

function clampIndex(j: number, n: number): number {
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

/** Normalises the taps of output i so they sum to exactly 1 (in float64). */
function normalise(b: TapBuilder, from: number): void {
  let sum = 0;
  for (let k = from; k < b.weight.length; k++) sum += b.weight[k];
  if (sum === 0) return;
  for (let k = from; k < b.weight.length; k++) b.weight[k] /= sum;
}

/**
 * Exact area averaging: output pixel i covers the source interval
 * [start + i·s, start + (i+1)·s) with s = length / dstN, and each source pixel
 * is weighted by the length of its overlap with that interval (fractional
 * coverage at both ends), so non-integer ratios are handled exactly.
 */
export function boxTaps(srcN: number, dstN: number, start = 0, length = srcN): Taps {
  const b = new TapBuilder(dstN);
  const s = length / dstN;
  for (let i = 0; i < dstN; i++) {
    b.start(i);
    const a = start + i * s;
    const e = i === dstN - 1 ? start + length : start + (i + 1) * s;
    const j0 = Math.max(0, Math.floor(a));
    const j1 = Math.min(srcN - 1, Math.ceil(e) - 1);
    for (let j = j0; j <= j1; j++) {
      const w = Math.min(e, j + 1) - Math.max(a, j);
      if (w > 0) {
        b.index.push(j);
        b.weight.push(w);
      }
    }
    b.close(i, clampIndex(Math.floor(a), srcN));
  }
  return b.done();
}

/** Lanczos-3 window: sinc(x)·sinc(x/3) for |x| < 3 (Duchon 1979; Turkowski, "Filters for common resampling tasks", Graphics Gems 1990). */
export function lanczos3(x: number): number {
  if (x === 0) return 1;
  if (x <= -3 || x >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

/**
 * Lanczos-3 taps. When downsampling the kernel is stretched by the scale
 * factor (support 3·s source pixels) so it low-passes instead of aliasing, as
 * libvips, Pillow and ImageMagick do. Edge pixels are replicated.
 */
export function lanczosTaps(srcN: number, dstN: number, start = 0, length = srcN): Taps {
  const b = new TapBuilder(dstN);
  const s = length / dstN;
  const f = Math.max(s, 1);
  const support = 3 * f;
  for (let i = 0; i < dstN; i++) {
    b.start(i);
    // Source pixel centres sit at integer + 0.5; shift so they sit at integers.
    const centre = start + (i + 0.5) * s - 0.5;
    const j0 = Math.ceil(centre - support);
    const j1 = Math.floor(centre + support);
    for (let j = j0; j <= j1; j++) {
      const w = lanczos3((j - centre) / f);
      if (w !== 0) {
        b.index.push(clampIndex(j, srcN));
        b.weight.push(w);
      }
    }
    b.close(i, clampIndex(Math.round(centre), srcN));
  }
  return b.done();
}

/** Nearest neighbour: output i takes the source pixel under its centre. */
export function nearestTaps(srcN: number, dstN: number, start = 0, length = srcN): Taps {
  const b = new TapBuilder(dstN);
  const s = length / dstN;
  for (let i = 0; i < dstN; i++) {
    b.start(i);
    b.index.push(clampIndex(Math.floor(start + (i + 0.5) * s), srcN));
    b.weight.push(1);
  }
  return b.done();
}

/** Scratch sizes up to this many doubles (4 MB) are kept between calls; larger ones are freed. */
const SCRATCH_KEEP = 2 ** 19;
let kept: Float64Array | undefined;

/**
 * The horizontal pass's buffer: reused between calls when small (a batch of
 * icons then allocates nothing here), so fewer large allocations push the
 * garbage collector. Every element read is written first.
 */
function scratch(n: number): Float64Array {
  if (n > SCRATCH_KEEP) return new Float64Array(n);
  if (!kept || kept.length < n) kept = new Float64Array(Math.max(n, 2 ** 16));
  return kept;
}

/** Applies per-axis taps: horizontal pass over the needed rows, then vertical pass. */
export function applyTaps(
  src: Float32Array,
  srcW: number,
  srcH: number,
  channels: number,
  tx: Taps,
  ty: Taps,
  dstW: number,
  dstH: number,
): Float32Array {
  if (src.length !== srcW * srcH * channels) throw new RangeError(`resize: data length ${src.length} is not ${srcW}×${srcH}×${channels}`);
  const c = channels;
  let r0 = srcH;
  let r1 = -1;
  for (let k = 0; k < ty.index.length; k++) {
    const j = ty.index[k];
    if (j < r0) r0 = j;
    if (j > r1) r1 = j;
  }
  const rows = r1 - r0 + 1;
  const rowLen = dstW * c;
  const tmp = scratch(rows * rowLen);
  const xo = tx.offset;
  const xi = tx.index;
  const xw = tx.weight;

  // Horizontal pass (specialised for 1 and 3 channels: the common cases).
  for (let r = 0; r < rows; r++) {
    const so = (r0 + r) * srcW * c;
    const to = r * rowLen;
    if (c === 1) {
      for (let x = 0; x < dstW; x++) {
        let acc = 0;
        for (let k = xo[x], e = xo[x + 1]; k < e; k++) acc += xw[k] * src[so + xi[k]];
        tmp[to + x] = acc;
      }
    } else if (c === 3) {
      for (let x = 0; x < dstW; x++) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        for (let k = xo[x], e = xo[x + 1]; k < e; k++) {
          const w = xw[k];
          const p = so + xi[k] * 3;
          a0 += w * src[p];
          a1 += w * src[p + 1];
          a2 += w * src[p + 2];
        }
        const q = to + x * 3;
        tmp[q] = a0;
        tmp[q + 1] = a1;
        tmp[q + 2] = a2;
      }
    } else {
      for (let x = 0; x < dstW; x++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let k = xo[x], e = xo[x + 1]; k < e; k++) acc += xw[k] * src[so + xi[k] * c + ch];
          tmp[to + x * c + ch] = acc;
        }
      }
    }
  }

  // Vertical pass: accumulate whole rows (sequential memory access).
  const out = new Float32Array(dstW * dstH * c);
  const acc = new Float64Array(rowLen);
  const yo = ty.offset;
  const yi = ty.index;
  const yw = ty.weight;
  for (let y = 0; y < dstH; y++) {
    acc.fill(0);
    for (let k = yo[y], e = yo[y + 1]; k < e; k++) {
      const w = yw[k];
      const to = (yi[k] - r0) * rowLen;
      for (let q = 0; q < rowLen; q++) acc[q] += w * tmp[to + q];
    }
    const oo = y * rowLen;
    for (let q = 0; q < rowLen; q++) {
      const v = acc[q];
      out[oo + q] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

type TapFn = (srcN: number, dstN: number, start?: number, length?: number) => Taps;

function resizeWith(taps: TapFn, src: Float32Array, srcW: number, srcH: number, channels: number, dstW: number, dstH: number, region?: Region): Float32Array {
  const r = region ?? { x: 0, y: 0, width: srcW, height: srcH };
  return applyTaps(src, srcW, srcH, channels, taps(srcW, dstW, r.x, r.width), taps(srcH, dstH, r.y, r.height), dstW, dstH);
}

/** Exact area-average resize (the default; best for downscaling to a pixel grid). */
export function resizeBox(src: Float32Array, srcW: number, srcH: number, channels: number, dstW: number, dstH: number, region?: Region): Float32Array {
  return resizeWith(boxTaps, src, srcW, srcH, channels, dstW, dstH, region);
}

/** Separable Lanczos-3 resize (support scaled by the ratio when downsampling). */
export function resizeLanczos(src: Float32Array, srcW: number, srcH: number, channels: number, dstW: number, dstH: number, region?: Region): Float32Array {
  return resizeWith(lanczosTaps, src, srcW, srcH, channels, dstW, dstH, region);
}

/** Nearest-neighbour resize (pixel centres). */
export function resizeNearest(src: Float32Array, srcW: number, srcH: number, channels: number, dstW: number, dstH: number, region?: Region): Float32Array {
  return resizeWith(nearestTaps, src, srcW, srcH, channels, dstW, dstH, region);
}
