/**
 * Nearest-neighbour enlargement on interleaved typed arrays of any channel
 * count and element type (binary Uint8Array or tone Float32Array).
 */
type Pixels = Float32Array | Uint8Array;

function like<T extends Pixels>(src: T, length: number): T {
  return (src instanceof Uint8Array ? new Uint8Array(length) : new Float32Array(length)) as T;
}

/** Integer scale: every pixel becomes a scale×scale block (rows built once, then copied). */
export function upscaleInteger<T extends Pixels>(src: T, width: number, height: number, channels: number, scale: number): T {
  const ow = width * scale;
  const rowLen = ow * channels;
  const out = like(src, rowLen * height * scale);
  for (let y = 0; y < height; y++) {
    const first = y * scale * rowLen;
    const so = y * width * channels;
    let o = first;
    for (let x = 0; x < width; x++) {
      const p = so + x * channels;
      for (let s = 0; s < scale; s++) for (let c = 0; c < channels; c++) out[o++] = src[p + c];
    }
    for (let s = 1; s < scale; s++) out.copyWithin(first + s * rowLen, first, first + rowLen);
  }
  return out;
}

/**
 * Source index for each output index (pixel centres), in integer arithmetic:
 * floor((2i+1)·src / (2·dst)), so an integer ratio gives exactly i / scale.
 */
export function nearestMap(src: number, dst: number): Int32Array {
  const map = new Int32Array(dst);
  for (let i = 0; i < dst; i++) map[i] = Math.min(src - 1, Math.floor(((2 * i + 1) * src) / (2 * dst)));
  return map;
}

/** Nearest neighbour to an exact size (any ratio, up or down). */
export function upscaleNearest<T extends Pixels>(src: T, width: number, height: number, channels: number, outW: number, outH: number): T {
  if (outW % width === 0 && outH % height === 0 && outW / width === outH / height) return upscaleInteger(src, width, height, channels, outW / width);
  const mx = nearestMap(width, outW);
  const my = nearestMap(height, outH);
  const rowLen = outW * channels;
  const out = like(src, rowLen * outH);
  for (let y = 0; y < outH; y++) {
    const o = y * rowLen;
    if (y > 0 && my[y] === my[y - 1]) {
      out.copyWithin(o, o - rowLen, o);
      continue;
    }
    const so = my[y] * width * channels;
    for (let x = 0; x < outW; x++) {
      const p = so + mx[x] * channels;
      const q = o + x * channels;
      for (let c = 0; c < channels; c++) out[q + c] = src[p + c];
    }
  }
  return out;
}
