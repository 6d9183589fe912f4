/**
 * The gated PixelCNN (gated.ts) in plain JS for sampling and completion:
 * the vertical stack once per row, when the row above is known; the
 * horizontal stack once per pixel; every sprite of a batch together.
 */
import { CIN, gatedTensorSpecs, horizontalTaps, mirrorSources, verticalTaps, type GatedArchitecture, type Tap } from './gated.js';
/** W [K, M] (row-major, as stored) transposed to [M, K], so each output is one dot product with a register accumulator. */
function transpose(W: Float32Array, K: number, M: number): Float32Array {
  const t = new Float32Array(K * M);
  for (let k = 0; k < K; k++) for (let m = 0; m < M; m++) t[m * K + k] = W[k * M + m];
  return t;
}

/**
 * out[r·M + m] = Σ_k X[r·K + k] · Wt[m·K + k] for r < R: blocks of
 * four rows × two outputs, so each load serves several multiply-adds and the
 * eight sums stay in registers (about 4× a plain dot-product loop in V8; this
 * loop is where inference spends its time).
 */
function matmul(X: Float32Array, R: number, K: number, Wt: Float32Array, M: number, out: Float32Array): void {
  let r = 0;
  const M2 = M & ~1;
  for (; r + 3 < R; r += 4) {
    const x0 = r * K;
    const x1 = x0 + K;
    const x2 = x1 + K;
    const x3 = x2 + K;
    for (let m = 0; m < M2; m += 2) {
      const o = m * K;
      const q = o + K;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < K; k++) {
        const w = Wt[o + k];
        const u = Wt[q + k];
        const c0 = X[x0 + k];
        const c1 = X[x1 + k];
        const c2 = X[x2 + k];
        const c3 = X[x3 + k];
        a0 += c0 * w;
        a1 += c1 * w;
        a2 += c2 * w;
        a3 += c3 * w;
        b0 += c0 * u;
        b1 += c1 * u;
        b2 += c2 * u;
        b3 += c3 * u;
      }
      const e = r * M + m;
      out[e] = a0;
      out[e + M] = a1;
      out[e + 2 * M] = a2;
      out[e + 3 * M] = a3;
      out[e + 1] = b0;
      out[e + M + 1] = b1;
      out[e + 2 * M + 1] = b2;
      out[e + 3 * M + 1] = b3;
    }
    if (M2 < M) for (let i = r; i < r + 4; i++) out[i * M + M2] = dot(X, i * K, Wt, M2 * K, K);
  }
  for (; r < R; r++)
    for (let m = 0; m < M; m++) out[r * M + m] = dot(X, r * K, Wt, m * K, K);
}

/** Σ_k X[x + k] · Wt[o + k], summed in the same order as the blocked loop (so a sprite's logits do not depend on its batch). */
function dot(X: Float32Array, x: number, Wt: Float32Array, o: number, K: number): number {
  let a = 0;
  for (let k = 0; k < K; k++) a += X[x + k] * Wt[o + k];
  return a;
}

/** One layer's weights for the JS inference: taps (and, for the horizontal stack, the vertical link and mirrors) stacked along K, transposed. */
interface JsLayer {
  vTaps: readonly Tap[];
  hTaps: readonly Tap[];
  cin: number;
  /** [2C, vTaps·cin] */
  vWt: Float32Array;
  /** Bias per position [g², 2C] for layer 0 (bias + row + column embedding), else [2C]. */
  vB: Float32Array;
  /** [2C, hTaps·cin + C (+ 2 mirrors at layer 0)] */
  hWt: Float32Array;
  hB: Float32Array;
  hoWt: Float32Array;
  hoB: Float32Array;
}

/**
 * The gated PixelCNN position by position in plain JS (same interface as
 * ArNet). Every product is a dot product over gathered inputs (the taps,
 * zero outside the sprite), so the inner loop is loads and multiply-adds.
 */
export class GatedNet {
  readonly grid: number;
  private readonly layers: JsLayer[];
  private readonly out1t: Float32Array;
  private readonly out1b: Float32Array;
  private readonly out2: Float32Array;
  private readonly out2b: number;

  constructor(readonly arch: GatedArchitecture, weights: Map<string, Float32Array>) {
    this.grid = arch.grid;
    for (const s of gatedTensorSpecs(arch)) if (!weights.get(s.name)) throw new Error(`sprite model: missing tensor ${s.name}`);
    const W = (k: string) => weights.get(k)!;
    const g = arch.grid;
    const C = arch.channels;
    const C2 = 2 * C;
    const L = arch.dilations.length + 1;
    const posBias = (b: Float32Array, row: Float32Array, col: Float32Array) => {
      const out = new Float32Array(g * g * C2);
      for (let y = 0; y < g; y++) for (let x = 0; x < g; x++) for (let c = 0; c < C2; c++) out[(y * g + x) * C2 + c] = b[c] + row[y * C2 + c] + col[x * C2 + c];
      return out;
    };
    this.layers = Array.from({ length: L }, (_, l) => {
      const vTaps = verticalTaps(l, arch);
      const hTaps = horizontalTaps(l, arch);
      const cin = l === 0 ? CIN : C;
      const hK = hTaps.length * cin;
      const extra = l === 0 && arch.mirror ? 2 : 0;
      const hW = new Float32Array((hK + C + extra) * C2);
      hW.set(W(`h${l}.w`));
      hW.set(W(`vh${l}.w`), hK * C2);
      if (extra) hW.set(W('mirror.w'), (hK + C) * C2);
      return {
        vTaps,
        hTaps,
        cin,
        vWt: transpose(W(`v${l}.w`), vTaps.length * cin, C2),
        vB: l === 0 ? posBias(W('v0.b'), W('pos.vrow'), W('pos.vcol')) : W(`v${l}.b`),
        hWt: transpose(hW, hK + C + extra, C2),
        hB: l === 0 ? posBias(W('h0.b'), W('pos.hrow'), W('pos.hcol')) : W(`h${l}.b`),
        hoWt: transpose(W(`ho${l}.w`), C, C),
        hoB: W(`ho${l}.b`),
      };
    });
    this.out1t = transpose(W('out1.w'), C, C);
    this.out1b = W('out1.b');
    this.out2 = W('out2.w');
    this.out2b = W('out2.b')[0];
  }

  /**
   * Runs `count` sprites in raster order. At each position p ≥ `from`,
   * `decide(p, logits)` gets every sprite's logit for pixel p (computed from
   * pixels < p) and must write each sprite's bit into bits[s·grid² + p].
   * The vertical stack runs once per row (it sees only rows above), the
   * horizontal stack once per pixel.
   */
  run(count: number, bits: Uint8Array, decide: (p: number, logits: Float64Array) => void, from = 0): void {
    const a = this.arch;
    const g = a.grid;
    const n = g * g;
    const C = a.channels;
    const C2 = 2 * C;
    const L = this.layers.length;
    const v = Array.from({ length: L }, () => new Float32Array(count * n * C));
    const h = Array.from({ length: L }, () => new Float32Array(count * n * C));
    // Scratch for one batch of rows (a whole row of every sprite for the vertical stack, one pixel of every sprite for the horizontal).
    const R = count * g;
    const X = new Float32Array(R * (8 * C + 2 * C));
    const pre = new Float32Array(R * C2);
    const gated = new Float32Array(R * C);
    const z = new Float32Array(R * C);
    const logits = new Float64Array(count);
    // Writes the taps of layer l at (y, x) of sprite s into X from k on: from `src` (layer l − 1), or the input bits at l = 0; zero outside the sprite.
    const gather = (taps: readonly Tap[], l: number, src: Float32Array, s: number, y: number, x: number, k: number): number => {
      for (let t = 0; t < taps.length; t++) {
        const yy = y + taps[t][0];
        const xx = x + taps[t][1];
        const inside = yy >= 0 && xx >= 0 && xx < g;
        if (l === 0) {
          X[k++] = inside ? bits[s * n + yy * g + xx] : 0;
          X[k++] = inside ? 1 : 0;
        } else if (inside) {
          const o = (s * n + yy * g + xx) * C;
          for (let c = 0; c < C; c++) X[k++] = src[o + c];
        } else for (let c = 0; c < C; c++) X[k++] = 0;
      }
      return k;
    };
    // pre + bias (per position at layer 0) → gated, for `rows` rows whose positions are pos(r).
    const gate = (rows: number, bias: Float32Array, l: number, pos: (r: number) => number) => {
      for (let r = 0; r < rows; r++) {
        const bo = l === 0 ? pos(r) * C2 : 0;
        const o = r * C2;
        for (let c = 0; c < C; c++) gated[r * C + c] = Math.tanh(pre[o + c] + bias[bo + c]) / (1 + Math.exp(-(pre[o + C + c] + bias[bo + C + c])));
      }
    };
    const mirrorSrc = Array.from({ length: n }, (_, p) => mirrorSources(Math.floor(p / g), p % g, g));
    for (let y = 0; y < g; y++) {
      // Vertical stack for row y of every sprite: it depends only on rows above, all known now.
      // Layer by layer: layer l taps its row-y neighbours on both sides in layer l − 1.
      for (let l = 0; l < L; l++) {
        const ly = this.layers[l];
        const K = ly.vTaps.length * ly.cin;
        for (let s = 0; s < count; s++) for (let x = 0; x < g; x++) gather(ly.vTaps, l, l === 0 ? X : v[l - 1], s, y, x, (s * g + x) * K);
        matmul(X, R, K, ly.vWt, C2, pre);
        gate(R, ly.vB, l, (r) => y * g + (r % g));
        const out = v[l];
        for (let s = 0; s < count; s++)
          for (let x = 0; x < g; x++) {
            const o = (s * n + y * g + x) * C;
            const r = (s * g + x) * C;
            if (l === 0) for (let c = 0; c < C; c++) out[o + c] = gated[r + c];
            else for (let c = 0; c < C; c++) out[o + c] = v[l - 1][o + c] + gated[r + c];
          }
      }
      for (let x = 0; x < g; x++) {
        const p = y * g + x;
        for (let l = 0; l < L; l++) {
          const ly = this.layers[l];
          const K = ly.hTaps.length * ly.cin + C + (l === 0 && a.mirror ? 2 : 0);
          for (let s = 0; s < count; s++) {
            let k = gather(ly.hTaps, l, l === 0 ? X : h[l - 1], s, y, x, s * K);
            const o = (s * n + p) * C;
            const vl = v[l];
            for (let c = 0; c < C; c++) X[k++] = vl[o + c];
            if (l === 0 && a.mirror) for (const src of mirrorSrc[p]) X[k++] = src >= 0 ? bits[s * n + src] : 0;
          }
          matmul(X, count, K, ly.hWt, C2, pre);
          gate(count, ly.hB, l, () => p);
          matmul(gated, count, C, ly.hoWt, C, z);
          const out = h[l];
          for (let s = 0; s < count; s++) {
            const o = (s * n + p) * C;
            for (let c = 0; c < C; c++) out[o + c] = (l === 0 ? 0 : h[l - 1][o + c]) + z[s * C + c] + ly.hoB[c];
          }
        }
        // Head: relu → 1×1 → relu → 1×1.
        const hl = h[L - 1];
        for (let s = 0; s < count; s++) for (let c = 0; c < C; c++) X[s * C + c] = Math.max(hl[(s * n + p) * C + c], 0);
        matmul(X, count, C, this.out1t, C, z);
        for (let s = 0; s < count; s++) {
          let lg = this.out2b;
          for (let c = 0; c < C; c++) {
            const u = z[s * C + c] + this.out1b[c];
            if (u > 0) lg += u * this.out2[c];
          }
          logits[s] = lg;
        }
        if (p >= from) decide(p, logits);
      }
    }
  }
}
