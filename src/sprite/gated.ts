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
 * completion) runs in plain JS (gated-net.ts): the vertical stack once per row, when the
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
export const CIN = 2;

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

/**
 * The same logits as gatedLogits for scoring (no gradients): each tapped
 * layer is one dilated conv2d (taps {0, −d}×{−d, 0, d} are a 2×3 kernel
 * with dilation d; {0, −d} a 1×2 one) on the padded layer below, instead of
 * stacked shifted copies and a matMul. Call inside tidy.
 */
export function gatedLogitsConv(tf: TF, m: TfGatedModel, x: Tensor4D): Tensor4D {
  const { arch, vars } = m;
  const n = x.shape[0];
  const g = arch.grid;
  const C = arch.channels;
  const L = arch.dilations.length + 1;
  // Each gated layer is two products (tanh half k = 0, sigmoid half k = 1) with sliced weights, never sliced activations.
  const w = (k: string, half?: 0 | 1): Tensor => {
    const t = vars.get(k)! as Tensor;
    if (half === undefined) return t;
    return t.rank === 1 ? tf.slice(t, [half * C], [C]) : tf.slice(t, [0, half * C], [t.shape[0], C]);
  };
  const input = tf.concat([x, tf.tile(m.ones, [n, 1, 1, 1])], 3) as Tensor4D;
  const pos = (r: string, c: string, k: 0 | 1) => tf.reshape(tf.add(tf.reshape(w(r, k), [g, 1, C]), tf.reshape(w(c, k), [1, g, C])), [1, g, g, C]);
  const conv = (t: Tensor4D, wk: string, k: 0 | 1, kh: number, kw: number, cin: number, pad: [[number, number], [number, number]], d: number) =>
    tf.conv2d(tf.pad(t, [[0, 0], pad[0], pad[1], [0, 0]]) as Tensor4D, tf.reshape(w(wk, k), [kh, kw, cin, C]) as Tensor4D, 1, 'valid', 'NHWC', [d, d]) as Tensor4D;
  // tanh(a) = 2σ(2a) − 1: the wasm backend's tanh is several times slower than its sigmoid.
  const gate = (a: Tensor, b: Tensor) => tf.mul(tf.sub(tf.mul(tf.sigmoid(tf.mul(a, 2)), 2), 1), tf.sigmoid(b)) as Tensor4D;
  const dense = (t: Tensor4D, wk: string, k?: 0 | 1) => {
    const wt = w(wk, k) as Tensor2D;
    return tf.reshape(tf.matMul(tf.reshape(t, [n * g * g, t.shape[3]]), wt), [n, g, g, wt.shape[1]]) as Tensor4D;
  };
  const mirror = arch.mirror ? (tf.mul(tf.concat([tf.reverse(x, 1), tf.reverse(x, 2)], 3), m.mirrorKeep) as Tensor4D) : undefined;
  const shiftedDown = tf.slice(tf.pad(input, [[0, 0], [1, 0], [1, 1], [0, 0]]), [0, 0, 0, 0], [n, g, g + 2, CIN]) as Tensor4D;
  const shiftedRight = tf.slice(tf.pad(input, [[0, 0], [0, 0], [1, 0], [0, 0]]), [0, 0, 0, 0], [n, g, g, CIN]) as Tensor4D;
  let v: Tensor4D | undefined;
  let h: Tensor4D | undefined;
  for (let l = 0; l < L; l++) {
    const d = l === 0 ? 1 : arch.dilations[l - 1];
    // Vertical: layer 0 is the row above (1×3 kernel on the input shifted down a row); then 2×3 dilated.
    const vPre = ([0, 1] as const).map((k) =>
      l === 0
        ? tf.add(tf.add(conv(shiftedDown, 'v0.w', k, 1, 3, CIN, [[0, 0], [0, 0]], 1), w('v0.b', k)), pos('pos.vrow', 'pos.vcol', k))
        : tf.add(conv(v!, `v${l}.w`, k, 2, 3, C, [[d, 0], [d, d]], d), w(`v${l}.b`, k)),
    );
    const vGate = gate(vPre[0], vPre[1]);
    v = l === 0 ? vGate : (tf.add(v!, vGate) as Tensor4D);
    // Horizontal: layer 0 is the pixel to the left (1×1 on the input shifted right a column); then 1×2 dilated.
    const hPre = ([0, 1] as const).map((k) => {
      let t: Tensor =
        l === 0
          ? tf.add(tf.add(dense(shiftedRight, 'h0.w', k), w('h0.b', k)), pos('pos.hrow', 'pos.hcol', k))
          : tf.add(conv(h!, `h${l}.w`, k, 1, 2, C, [[0, 0], [d, 0]], d), w(`h${l}.b`, k));
      t = tf.add(t, dense(v!, `vh${l}.w`, k));
      return l === 0 && mirror ? tf.add(t, dense(mirror, 'mirror.w', k)) : t;
    });
    const hOut = tf.add(dense(gate(hPre[0], hPre[1]), `ho${l}.w`), w(`ho${l}.b`)) as Tensor4D;
    h = l === 0 ? hOut : (tf.add(h!, hOut) as Tensor4D);
  }
  const z = tf.relu(tf.add(dense(tf.relu(h!) as Tensor4D, 'out1.w'), w('out1.b'))) as Tensor4D;
  return tf.add(dense(z, 'out2.w'), w('out2.b')) as Tensor4D;
}
