/**
 * The full-context autoregressive sprite model: a gated PixelCNN with a
 * vertical and a horizontal stack (van den Oord et al., "Conditional Image
 * Generation with PixelCNN Decoders", NeurIPS 2016, §2.1–2.2), with dilated
 * taps so that every pixel is conditioned on *all* pixels before it:
 * P(x) = Π P(x_i | x_<i), no blind spot, no limit on how far up it looks.
 *
 * - Vertical stack v (sees only rows strictly above): layer 0 taps the row
 *   above (dx −1, 0, 1); layer l ≥ 1 taps {0, −d}×{−d, 0, d} of the layer
 *   below with dilation d = dilations[l−1]. With dilations 1, 2, 4, 8, 16 it
 *   reaches rows −1…−32 and columns −32…32 with no holes (each offset is a
 *   sum of one tap per layer), which covers the whole 24×24 sprite above.
 * - Horizontal stack h (row y, columns strictly left of x): layer 0 taps
 *   the pixel to the left; layer l taps {0, −d} of the layer below, plus
 *   v_l at the same position (the link that gives it everything above).
 * - Every layer is gated, tanh(a)·σ(b), residual after layer 0.
 * - Position: the input carries a constant-one plane next to the ink (the
 *   zero padding then marks the borders) and layer 0 adds a learned row and
 *   column embedding.
 *
 * Why dilations rather than depth: with 3-wide taps a stack needs 23 layers
 * to span 24 columns; dilations span it in 6, so training (tfjs wasm, one
 * core) stays ~1 s per batch and JS inference stays cheap.
 *
 * Each tapped layer is one matrix product over stacked shifted views (pad +
 * slice + concat, then matMul): ordinary tfjs ops with gradients on every
 * backend (tfjs refuses gradients of dilated conv2d). Inference (sampling,
 * completion) runs in plain JS: the vertical stack once per row, when the
 * row above is known; the horizontal stack once per pixel.
 */
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { TF } from '../nn/tf.js';
import { rng } from '../nn/data.js';

export interface GatedArchitecture {
  type: 'gated-pixelcnn';
  grid: number;
  channels: number;
  /** Dilation of each layer after layer 0 (vertical and horizontal stacks alike). */
  dilations: number[];
  /**
   * Mirror inputs: layer 0 of the horizontal stack also sees the pixel's
   * mirror images across the vertical axis, (y, g−1−x), and across the
   * horizontal axis, (g−1−y, x), wherever that pixel comes earlier in raster
   * order (right half, bottom half). Still causal; it makes left-right and
   * top-bottom symmetry one weight away instead of a long-range copy.
   */
  mirror?: boolean;
}

export const DEFAULT_GATED: GatedArchitecture = { type: 'gated-pixelcnn', grid: 24, channels: 24, dilations: [1, 2, 4, 8, 16], mirror: true };

/** The mirror pixels of (y, x) that come before it in raster order: [(g−1−y, x) when in the bottom half, (y, g−1−x) when in the right half], or −1. */
export function mirrorSources(y: number, x: number, g: number): [number, number] {
  return [g - 1 - y < y ? (g - 1 - y) * g + x : -1, g - 1 - x < x ? y * g + (g - 1 - x) : -1];
}

/** Input planes: ink and a constant one (zero outside the sprite, so shifts reveal the border). */
const CIN = 2;

export type Tap = readonly [dy: number, dx: number];

export function verticalTaps(layer: number, a: GatedArchitecture): Tap[] {
  if (layer === 0) return [[-1, -1], [-1, 0], [-1, 1]];
  const d = a.dilations[layer - 1];
  return [[-d, -d], [-d, 0], [-d, d], [0, -d], [0, 0], [0, d]];
}

export function horizontalTaps(layer: number, a: GatedArchitecture): Tap[] {
  if (layer === 0) return [[0, -1]];
  const d = a.dilations[layer - 1];
  return [[0, -d], [0, 0]];
}

export interface TensorSpec {
  name: string;
  shape: number[];
}

export function gatedTensorSpecs(a: GatedArchitecture): TensorSpec[] {
  const C = a.channels;
  const L = a.dilations.length + 1;
  const specs: TensorSpec[] = [
    { name: 'pos.vrow', shape: [a.grid, 2 * C] },
    { name: 'pos.vcol', shape: [a.grid, 2 * C] },
    { name: 'pos.hrow', shape: [a.grid, 2 * C] },
    { name: 'pos.hcol', shape: [a.grid, 2 * C] },
  ];
  for (let l = 0; l < L; l++) {
    const cin = l === 0 ? CIN : C;
    specs.push(
      { name: `v${l}.w`, shape: [verticalTaps(l, a).length * cin, 2 * C] },
      { name: `v${l}.b`, shape: [2 * C] },
      { name: `h${l}.w`, shape: [horizontalTaps(l, a).length * cin, 2 * C] },
      { name: `h${l}.b`, shape: [2 * C] },
      { name: `vh${l}.w`, shape: [C, 2 * C] },
      { name: `ho${l}.w`, shape: [C, C] },
      { name: `ho${l}.b`, shape: [C] },
    );
  }
  if (a.mirror) specs.push({ name: 'mirror.w', shape: [2, 2 * C] });
  specs.push({ name: 'out1.w', shape: [C, C] }, { name: 'out1.b', shape: [C] }, { name: 'out2.w', shape: [C, 1] }, { name: 'out2.b', shape: [1] });
  return specs;
}

const prod = (s: number[]): number => s.reduce((x, y) => x * y, 1);

export function gatedParameterCount(a: GatedArchitecture): number {
  return gatedTensorSpecs(a).reduce((s, t) => s + prod(t.shape), 0);
}

/** Multiply-adds per pixel of the JS inference. */
export function gatedMacsPerPixel(a: GatedArchitecture): number {
  return gatedTensorSpecs(a)
    .filter((t) => t.name.endsWith('.w') && !t.name.startsWith('pos'))
    .reduce((s, t) => s + prod(t.shape), 0);
}

/** Glorot-style initial weights, seeded; residual outputs scaled down, biases zero. */
export function initGatedWeights(a: GatedArchitecture, seed: number): Map<string, Float32Array> {
  const next = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
  const out = new Map<string, Float32Array>();
  for (const s of gatedTensorSpecs(a)) {
    const data = new Float32Array(prod(s.shape));
    if (s.name.endsWith('.w')) {
      const sd = (s.name.startsWith('ho') ? 0.5 : 1) * Math.sqrt(1 / s.shape[0]);
      for (let i = 0; i < data.length; i++) data[i] = sd * gauss();
    } else if (s.name.startsWith('pos')) for (let i = 0; i < data.length; i++) data[i] = 0.1 * gauss();
    out.set(s.name, data);
  }
  return out;
}

// ---------------------------------------------------------------- tfjs (training, scoring)

export interface TfGatedModel {
  arch: GatedArchitecture;
  vars: Map<string, Variable>;
  /** The constant-one plane [1, g, g, 1]. */
  ones: Tensor4D;
  /** Where each mirror plane is causal (1) or zero: [1, g, g, 2]. */
  mirrorKeep: Tensor4D;
}

export function tfGatedModel(tf: TF, arch: GatedArchitecture, weights: Map<string, Float32Array>): TfGatedModel {
  const vars = new Map<string, Variable>();
  for (const spec of gatedTensorSpecs(arch)) {
    const init = tf.tensor(weights.get(spec.name)!, spec.shape);
    vars.set(spec.name, tf.variable(init, true, `sprite.${spec.name}.${Math.random().toString(36).slice(2)}`));
    init.dispose();
  }
  // Saving tensors in a customGrad (denseOp) clones them, which tfjs's IS_TEST
  // leak check counts as a leak; PROD keeps its console hints quiet instead.
  tf.env().set('IS_TEST', false);
  tf.env().set('PROD', true);
  const g = arch.grid;
  const keep = new Float32Array(g * g * 2);
  for (let y = 0; y < g; y++)
    for (let x = 0; x < g; x++) {
      const [v, h] = mirrorSources(y, x, g);
      keep[(y * g + x) * 2] = v >= 0 ? 1 : 0;
      keep[(y * g + x) * 2 + 1] = h >= 0 ? 1 : 0;
    }
  return { arch, vars, ones: tf.ones([1, g, g, 1]), mirrorKeep: tf.tensor4d(keep, [1, g, g, 2]) };
}

export function disposeTfGatedModel(m: TfGatedModel): void {
  for (const v of m.vars.values()) v.dispose();
  m.ones.dispose();
  m.mirrorKeep.dispose();
}

/** The shifted views of t ([n, g, g, c]) for each tap, stacked along channels and flattened to [n·g·g, taps·c]. */
function tapped(tf: TF, t: Tensor4D, taps: readonly Tap[]): Tensor2D {
  const [n, g, , c] = t.shape;
  const D = Math.max(...taps.map(([dy, dx]) => Math.max(-dy, Math.abs(dx))));
  const padded = tf.pad(t, [[0, 0], [D, 0], [D, D], [0, 0]]);
  const views = taps.map(([dy, dx]) => tf.slice(padded, [0, D + dy, D + dx, 0], [n, g, g, c]));
  return tf.reshape(views.length === 1 ? views[0] : tf.concat(views, 3), [n * g * g, taps.length * c]);
}

/**
 * x·w with hand-written gradients: the wasm backend runs a matMul with a
 * transposed operand 7–10× slower than a plain one, so the backward pass
 * transposes explicitly (dx = dy·wᵀ, dw = xᵀ·dy).
 */
function denseOp(tf: TF): (x: Tensor2D, w: Tensor2D) => Tensor2D {
  return tf.customGrad(((x: Tensor2D, w: Tensor2D, save: (t: Tensor[]) => void) => {
    save([x, w]);
    return {
      value: tf.matMul(x, w),
      gradFunc: (dy: Tensor2D, [sx, sw]: Tensor[]) => [tf.matMul(dy, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: Tensor2D, w: Tensor2D) => Tensor2D;
}

/** Logits [n, g, g, 1] for ink bits x [n, g, g, 1] (float 0/1). Call inside tidy. */
export function gatedLogits(tf: TF, m: TfGatedModel, x: Tensor4D): Tensor4D {
  const { arch, vars } = m;
  const w = (k: string) => vars.get(k)! as Tensor;
  const dense = denseOp(tf);
  const n = x.shape[0];
  const g = arch.grid;
  const C = arch.channels;
  const L = arch.dilations.length + 1;
  const rows = n * g * g;
  const input = tf.concat([x, tf.tile(m.ones, [n, 1, 1, 1])], 3) as Tensor4D;
  // The tanh and sigmoid halves of a gated layer get separate products (slicing the small weights, not the activations).
  const half = (t: Tensor, k: 0 | 1): Tensor => (t.rank === 1 ? tf.slice(t, [k * C], [C]) : tf.slice(t, [0, k * C], [t.shape[0], C]));
  const pos = (r: string, c: string, k: 0 | 1) => tf.reshape(tf.add(tf.reshape(half(w(r), k), [g, 1, C]), tf.reshape(half(w(c), k), [1, g, C])), [1, g * g, C]);
  const withPos = (t: Tensor2D, r: string, c: string, k: 0 | 1) => tf.reshape(tf.add(tf.reshape(t, [n, g * g, C]), pos(r, c, k)), [rows, C]) as Tensor2D;
  // Mirror planes: x flipped top-bottom and left-right, kept only where the source pixel comes earlier.
  const mirror = arch.mirror ? (tf.reshape(tf.mul(tf.concat([tf.reverse(x, 1), tf.reverse(x, 2)], 3), m.mirrorKeep), [rows, 2]) as Tensor2D) : undefined;
  let v: Tensor2D | undefined;
  let h: Tensor2D | undefined;
  for (let l = 0; l < L; l++) {
    const vIn = tapped(tf, l === 0 ? input : (tf.reshape(v!, [n, g, g, C]) as Tensor4D), verticalTaps(l, arch));
    const hIn = tapped(tf, l === 0 ? input : (tf.reshape(h!, [n, g, g, C]) as Tensor4D), horizontalTaps(l, arch));
    const vPre = ([0, 1] as const).map((k) => {
      const t = tf.add(dense(vIn, half(w(`v${l}.w`), k) as Tensor2D), half(w(`v${l}.b`), k)) as Tensor2D;
      return l === 0 ? withPos(t, 'pos.vrow', 'pos.vcol', k) : t;
    });
    const vGate = tf.mul(tf.tanh(vPre[0]), tf.sigmoid(vPre[1])) as Tensor2D;
    v = l === 0 ? vGate : (tf.add(v!, vGate) as Tensor2D);
    const hPre = ([0, 1] as const).map((k) => {
      const t = tf.add(tf.add(dense(hIn, half(w(`h${l}.w`), k) as Tensor2D), dense(v!, half(w(`vh${l}.w`), k) as Tensor2D)), half(w(`h${l}.b`), k)) as Tensor2D;
      if (l > 0) return t;
      const withP = withPos(t, 'pos.hrow', 'pos.hcol', k);
      return mirror ? (tf.add(withP, dense(mirror, half(w('mirror.w'), k) as Tensor2D)) as Tensor2D) : withP;
    });
    const hOut = tf.add(dense(tf.mul(tf.tanh(hPre[0]), tf.sigmoid(hPre[1])) as Tensor2D, w(`ho${l}.w`) as Tensor2D), w(`ho${l}.b`)) as Tensor2D;
    h = l === 0 ? hOut : (tf.add(h!, hOut) as Tensor2D);
  }
  const z = tf.relu(tf.add(dense(tf.relu(h!) as Tensor2D, w('out1.w') as Tensor2D), w('out1.b'))) as Tensor2D;
  return tf.reshape(tf.add(dense(z, w('out2.w') as Tensor2D), w('out2.b')), [n, g, g, 1]);
}

// ---------------------------------------------------------------- JS (inference)

/** out[o..o+cout) += Σ_ci in[i+ci] · W[wo + ci·cout ..]. */
function accumulate(out: Float64Array, input: Float32Array, i: number, cin: number, W: Float32Array, wo: number, cout: number): void {
  for (let ci = 0; ci < cin; ci++) {
    const v = input[i + ci];
    if (v === 0) continue;
    const r = wo + ci * cout;
    for (let c = 0; c < cout; c++) out[c] += v * W[r + c];
  }
}

/** The gated PixelCNN position by position in plain JS (same interface as ArNet). */
export class GatedNet {
  readonly grid: number;
  private readonly W: Map<string, Float32Array>;

  constructor(readonly arch: GatedArchitecture, weights: Map<string, Float32Array>) {
    this.grid = arch.grid;
    this.W = new Map();
    for (const s of gatedTensorSpecs(arch)) {
      const t = weights.get(s.name);
      if (!t) throw new Error(`sprite model: missing tensor ${s.name}`);
      this.W.set(s.name, t);
    }
  }

  /**
   * Runs `count` sprites in raster order. At each position p ≥ `from`,
   * `decide(p, logits)` gets every sprite's logit for pixel p (computed from
   * pixels < p) and must write each sprite's bit into bits[s·grid² + p].
   */
  run(count: number, bits: Uint8Array, decide: (p: number, logits: Float64Array) => void, from = 0): void {
    const a = this.arch;
    const g = a.grid;
    const n = g * g;
    const C = a.channels;
    const C2 = 2 * C;
    const L = a.dilations.length + 1;
    const W = this.W;
    const vTaps = Array.from({ length: L }, (_, l) => verticalTaps(l, a));
    const hTaps = Array.from({ length: L }, (_, l) => horizontalTaps(l, a));
    const v = Array.from({ length: L }, () => new Float32Array(count * n * C));
    const h = Array.from({ length: L }, () => new Float32Array(count * n * C));
    const inp = new Float32Array(CIN); // [ink, 1] at one position
    const pre = new Float64Array(C2);
    const gated = new Float32Array(C);
    const z = new Float64Array(C);
    const logits = new Float64Array(count);
    const vrow = W.get('pos.vrow')!;
    const vcol = W.get('pos.vcol')!;
    const hrow = W.get('pos.hrow')!;
    const hcol = W.get('pos.hcol')!;
    const out1 = W.get('out1.w')!;
    const out1b = W.get('out1.b')!;
    const out2 = W.get('out2.w')!;
    const out2b = W.get('out2.b')![0];
    const mirrorW = a.mirror ? W.get('mirror.w')! : undefined;
    const doGate = () => {
      for (let c = 0; c < C; c++) gated[c] = Math.tanh(pre[c]) / (1 + Math.exp(-pre[C + c]));
    };
    // Adds the taps of layer l at (y, x) of sprite s: from the input bits (l = 0) or from `src`.
    const addTaps = (taps: readonly Tap[], l: number, src: Float32Array, wName: string, s: number, y: number, x: number) => {
      const w = W.get(wName)!;
      const cin = l === 0 ? CIN : C;
      for (let t = 0; t < taps.length; t++) {
        const yy = y + taps[t][0];
        const xx = x + taps[t][1];
        if (yy < 0 || xx < 0 || xx >= g) continue; // zero padding
        if (l === 0) {
          inp[0] = bits[s * n + yy * g + xx];
          inp[1] = 1;
          accumulate(pre, inp, 0, CIN, w, t * cin * C2, C2);
        } else accumulate(pre, src, (s * n + yy * g + xx) * C, C, w, t * cin * C2, C2);
      }
    };
    for (let y = 0; y < g; y++) {
      // Vertical stack for row y: it depends only on rows above, all known now.
      // Layer by layer: layer l taps its row-y neighbours on both sides in layer l − 1.
      for (let s = 0; s < count; s++)
        for (let l = 0; l < L; l++)
          for (let x = 0; x < g; x++) {
            const o = (s * n + y * g + x) * C;
            pre.set(W.get(`v${l}.b`)!);
            if (l === 0) for (let c = 0; c < C2; c++) pre[c] += vrow[y * C2 + c] + vcol[x * C2 + c];
            addTaps(vTaps[l], l, l === 0 ? v[0] : v[l - 1], `v${l}.w`, s, y, x);
            doGate();
            const out = v[l];
            if (l === 0) out.set(gated, o);
            else for (let c = 0; c < C; c++) out[o + c] = v[l - 1][o + c] + gated[c];
          }
      for (let x = 0; x < g; x++) {
        const p = y * g + x;
        for (let s = 0; s < count; s++) {
          const o = (s * n + p) * C;
          for (let l = 0; l < L; l++) {
            pre.set(W.get(`h${l}.b`)!);
            if (l === 0) {
              for (let c = 0; c < C2; c++) pre[c] += hrow[y * C2 + c] + hcol[x * C2 + c];
              if (mirrorW)
                for (const [i, src] of mirrorSources(y, x, g).entries()) if (src >= 0 && bits[s * n + src]) for (let c = 0; c < C2; c++) pre[c] += mirrorW[i * C2 + c];
            }
            addTaps(hTaps[l], l, l === 0 ? h[0] : h[l - 1], `h${l}.w`, s, y, x);
            accumulate(pre, v[l], o, C, W.get(`vh${l}.w`)!, 0, C2);
            doGate();
            z.set(W.get(`ho${l}.b`)!);
            accumulate(z, gated, 0, C, W.get(`ho${l}.w`)!, 0, C);
            const out = h[l];
            for (let c = 0; c < C; c++) out[o + c] = (l === 0 ? 0 : h[l - 1][o + c]) + z[c];
          }
          // Head: relu → 1×1 → relu → 1×1.
          const hl = h[L - 1];
          z.set(out1b);
          for (let ci = 0; ci < C; ci++) {
            const u = hl[o + ci];
            if (u <= 0) continue;
            for (let c = 0; c < C; c++) z[c] += u * out1[ci * C + c];
          }
          let lg = out2b;
          for (let c = 0; c < C; c++) if (z[c] > 0) lg += z[c] * out2[c];
          logits[s] = lg;
        }
        if (p >= from) decide(p, logits);
      }
    }
  }
}
