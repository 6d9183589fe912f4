/**
 * The autoregressive sprite model: a small masked-convolution PixelCNN
 * (van den Oord et al., "Pixel Recurrent Neural Networks", ICML 2016, §3.5
 * and Fig. 4: mask A on the first layer excludes the current pixel, mask B on
 * later layers includes it), one Bernoulli per pixel in raster order:
 * P(x) = Π P(x_i | x_<i).
 *
 * Why a PixelCNN and not a row-recurrent net (PixelRNN's Row LSTM): training
 * evaluates every conditional of a sprite in one parallel pass of ordinary
 * 2-D convolutions, which the tfjs wasm backend runs fast and for which our
 * wasm gradient kernels exist (src/nn/kernels.ts); an RNN needs 24+ sequential
 * steps per sprite in training too. The price is PixelCNN's blind spot (the
 * stacked 3×3 masks never see the upper-right wedge; the wide 7×7 mask-A layer
 * sees 3 full rows above, which covers most of it on 24×24 sprites).
 *
 * Layers: 7×7 mask-A conv over [ink, 1, row, col] → C, ReLU (the constant
 * and coordinate channels are known everywhere, so their taps are unmasked:
 * that gives the net the per-position prior and the border); then `blocks`
 * residual 3×3 mask-B convs h += ReLU(conv(h)); then a 1×1 C→C ReLU and a
 * 1×1 C→1 logit.
 *
 * Inference (sampling, completion, scoring) runs in plain JS, position by
 * position: in a causal net every activation at position p depends only on
 * inputs before p, so it is computed exactly once, right when it is needed:
 * sampling a sprite costs one forward pass, not 576.
 */
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { TF } from '../nn/tf.js';
import { rng } from '../nn/data.js';

export interface ArArchitecture {
  type: 'pixelcnn';
  grid: number;
  channels: number;
  blocks: number;
  firstKernel: number;
  kernel: number;
}

export const AUX = 3; // constant-one, row and column channels

export interface TensorSpec {
  name: string;
  shape: number[];
}

export function arTensorSpecs(a: ArArchitecture): TensorSpec[] {
  const C = a.channels;
  const specs: TensorSpec[] = [
    { name: 'in.w', shape: [a.firstKernel, a.firstKernel, 1 + AUX, C] },
    { name: 'in.b', shape: [C] },
  ];
  for (let l = 0; l < a.blocks; l++) specs.push({ name: `block${l}.w`, shape: [a.kernel, a.kernel, C, C] }, { name: `block${l}.b`, shape: [C] });
  specs.push({ name: 'head.w', shape: [C, C] }, { name: 'head.b', shape: [C] }, { name: 'out.w', shape: [C, 1] }, { name: 'out.b', shape: [1] });
  return specs;
}

const prod = (s: number[]): number => s.reduce((x, y) => x * y, 1);

/** Is kernel tap (i, j) of a k×k kernel visible under mask A (strictly before the centre) or B (up to and including it)? */
export function tapVisible(i: number, j: number, k: number, type: 'A' | 'B'): boolean {
  const r = (k - 1) >> 1;
  return i < r || (i === r && (type === 'A' ? j < r : j <= r));
}

/** A [k, k, cin, cout] 0/1 mask; channels from `fullFrom` on are unmasked (known everywhere). */
export function maskArray(k: number, cin: number, cout: number, type: 'A' | 'B', fullFrom = cin): Float32Array {
  const m = new Float32Array(k * k * cin * cout);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      for (let ci = 0; ci < cin; ci++) {
        const on = ci >= fullFrom || tapVisible(i, j, k, type) ? 1 : 0;
        m.fill(on, ((i * k + j) * cin + ci) * cout, ((i * k + j) * cin + ci + 1) * cout);
      }
  return m;
}

export function arParameterCount(a: ArArchitecture): number {
  return arTensorSpecs(a).reduce((s, t) => s + prod(t.shape), 0);
}

/** Multiply-adds per pixel actually used (masked taps skipped), as the JS inference runs it. */
export function arMacsPerPixel(a: ArArchitecture): number {
  const C = a.channels;
  let taps = 0;
  for (let i = 0; i < a.kernel; i++) for (let j = 0; j < a.kernel; j++) if (tapVisible(i, j, a.kernel, 'B')) taps++;
  let tapsA = 0;
  for (let i = 0; i < a.firstKernel; i++) for (let j = 0; j < a.firstKernel; j++) if (tapVisible(i, j, a.firstKernel, 'A')) tapsA++;
  return tapsA * C + a.blocks * taps * C * C + C * C + C;
}

function gaussian(next: () => number): number {
  // Box–Muller.
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** He-normal initial weights (fan-in counts only visible taps), seeded; residual branches scaled down, biases zero. */
export function initArWeights(a: ArArchitecture, seed: number): Map<string, Float32Array> {
  const next = rng(seed);
  const out = new Map<string, Float32Array>();
  const C = a.channels;
  const visible = (k: number, t: 'A' | 'B') => {
    let n = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (tapVisible(i, j, k, t)) n++;
    return n;
  };
  for (const spec of arTensorSpecs(a)) {
    const data = new Float32Array(prod(spec.shape));
    if (spec.name.endsWith('.w')) {
      let fanIn: number;
      let scale = 1;
      if (spec.name === 'in.w') fanIn = visible(a.firstKernel, 'A') + AUX * a.firstKernel * a.firstKernel;
      else if (spec.name.startsWith('block')) {
        fanIn = visible(a.kernel, 'B') * C;
        scale = 0.5;
      } else fanIn = C;
      const sd = scale * Math.sqrt(2 / fanIn);
      for (let i = 0; i < data.length; i++) data[i] = sd * gaussian(next);
      if (spec.name.startsWith('in.') || spec.name.startsWith('block')) {
        const k = spec.shape[0];
        const mask = maskArray(k, spec.shape[2], spec.shape[3], spec.name === 'in.w' ? 'A' : 'B', spec.name === 'in.w' ? 1 : spec.shape[2]);
        for (let i = 0; i < data.length; i++) data[i] *= mask[i];
      }
    }
    out.set(spec.name, data);
  }
  return out;
}

/** The auxiliary input planes [grid, grid, 3]: 1, row and column scaled to −1..1. */
export function auxPlanes(grid: number): Float32Array {
  const out = new Float32Array(grid * grid * AUX);
  const s = grid > 1 ? 2 / (grid - 1) : 0;
  for (let y = 0; y < grid; y++)
    for (let x = 0; x < grid; x++) {
      const o = (y * grid + x) * AUX;
      out[o] = 1;
      out[o + 1] = y * s - 1;
      out[o + 2] = x * s - 1;
    }
  return out;
}

// ---------------------------------------------------------------- tfjs (training)

export interface TfArModel {
  arch: ArArchitecture;
  vars: Map<string, Variable>;
  masks: Map<string, Tensor4D>;
  aux: Tensor4D;
}

export function tfArModel(tf: TF, arch: ArArchitecture, weights: Map<string, Float32Array>): TfArModel {
  const vars = new Map<string, Variable>();
  for (const spec of arTensorSpecs(arch)) {
    const init = tf.tensor(weights.get(spec.name)!, spec.shape);
    vars.set(spec.name, tf.variable(init, true, `sprite.${spec.name}.${Math.random().toString(36).slice(2)}`));
    init.dispose(); // the variable keeps its own reference to the data
  }
  const masks = new Map<string, Tensor4D>();
  masks.set('in.w', tf.tensor4d(maskArray(arch.firstKernel, 1 + AUX, arch.channels, 'A', 1), [arch.firstKernel, arch.firstKernel, 1 + AUX, arch.channels]));
  const mb = tf.tensor4d(maskArray(arch.kernel, arch.channels, arch.channels, 'B'), [arch.kernel, arch.kernel, arch.channels, arch.channels]);
  masks.set('block', mb);
  const aux = tf.tensor4d(auxPlanes(arch.grid), [1, arch.grid, arch.grid, AUX]);
  return { arch, vars, masks, aux };
}

export function disposeTfArModel(m: TfArModel): void {
  for (const v of m.vars.values()) v.dispose();
  for (const t of m.masks.values()) t.dispose();
  m.aux.dispose();
}

/** Logits [n, grid, grid, 1] for ink bits x [n, grid, grid, 1] (float 0/1). Call inside tidy. */
export function arLogits(tf: TF, m: TfArModel, x: Tensor4D): Tensor4D {
  const { arch, vars, masks } = m;
  const n = x.shape[0];
  const g = arch.grid;
  const C = arch.channels;
  const input = tf.concat([x, tf.tile(m.aux, [n, 1, 1, 1])], 3) as Tensor4D;
  const w0 = tf.mul(vars.get('in.w')!, masks.get('in.w')!) as Tensor4D;
  let h = tf.relu(tf.add(tf.conv2d(input, w0, 1, 'same'), vars.get('in.b')!)) as Tensor4D;
  const mb = masks.get('block')!;
  for (let l = 0; l < arch.blocks; l++) {
    const w = tf.mul(vars.get(`block${l}.w`)!, mb) as Tensor4D;
    h = tf.add(h, tf.relu(tf.add(tf.conv2d(h, w, 1, 'same'), vars.get(`block${l}.b`)!))) as Tensor4D;
  }
  const flat = tf.reshape(h, [n * g * g, C]) as Tensor2D;
  const z = tf.relu(tf.add(tf.matMul(flat, vars.get('head.w') as Tensor2D), vars.get('head.b')!)) as Tensor2D;
  const logit = tf.add(tf.matMul(z, vars.get('out.w') as Tensor2D), vars.get('out.b')!);
  return tf.reshape(logit, [n, g, g, 1]);
}

/** Mean binary cross-entropy in nats per pixel: softplus(z) − x·z (stable for any z). */
export function bceWithLogits(tf: TF, logits: Tensor, x: Tensor): Tensor {
  // softplus(z) = max(z, 0) + log1p(exp(−|z|))
  const sp = tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(tf.sub(sp, tf.mul(x, logits)));
}

// ---------------------------------------------------------------- JS (inference)

/** Weights unpacked for the position-by-position JS forward pass. */
export class ArNet {
  readonly grid: number;
  readonly C: number;
  readonly blocks: number;
  /** b0 + the unmasked auxiliary taps, per position: [grid², C]. */
  private readonly pre: Float32Array;
  /** Mask-A ink taps: dy, dx and the C weights each. */
  private readonly inkTaps: { dy: number; dx: number; w: Float32Array }[];
  private readonly blockTaps: { dy: number; dx: number; w: Float32Array }[][];
  private readonly blockB: Float32Array[];
  private readonly headW: Float32Array;
  private readonly headB: Float32Array;
  private readonly outW: Float32Array;
  private readonly outB: number;

  constructor(readonly arch: ArArchitecture, weights: Map<string, Float32Array>) {
    const g = (this.grid = arch.grid);
    const C = (this.C = arch.channels);
    this.blocks = arch.blocks;
    const get = (name: string): Float32Array => {
      const t = weights.get(name);
      if (!t) throw new Error(`sprite model: missing tensor ${name}`);
      return t;
    };
    const k0 = arch.firstKernel;
    const r0 = (k0 - 1) >> 1;
    const w0 = get('in.w');
    const cin = 1 + AUX;
    const aux = auxPlanes(g);
    this.pre = new Float32Array(g * g * C);
    const b0 = get('in.b');
    for (let y = 0; y < g; y++)
      for (let x = 0; x < g; x++) {
        const o = (y * g + x) * C;
        for (let c = 0; c < C; c++) this.pre[o + c] = b0[c];
        for (let i = 0; i < k0; i++)
          for (let j = 0; j < k0; j++) {
            const yy = y + i - r0;
            const xx = x + j - r0;
            if (yy < 0 || yy >= g || xx < 0 || xx >= g) continue; // zero padding
            for (let a = 0; a < AUX; a++) {
              const v = aux[(yy * g + xx) * AUX + a];
              const wo = ((i * k0 + j) * cin + 1 + a) * C;
              for (let c = 0; c < C; c++) this.pre[o + c] += v * w0[wo + c];
            }
          }
      }
    this.inkTaps = [];
    for (let i = 0; i < k0; i++)
      for (let j = 0; j < k0; j++)
        if (tapVisible(i, j, k0, 'A')) this.inkTaps.push({ dy: i - r0, dx: j - r0, w: w0.slice(((i * k0 + j) * cin) * C, ((i * k0 + j) * cin + 1) * C) });
    const k = arch.kernel;
    const r = (k - 1) >> 1;
    this.blockTaps = [];
    this.blockB = [];
    for (let l = 0; l < arch.blocks; l++) {
      const w = get(`block${l}.w`);
      const taps = [];
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) if (tapVisible(i, j, k, 'B')) taps.push({ dy: i - r, dx: j - r, w: w.slice((i * k + j) * C * C, (i * k + j + 1) * C * C) });
      this.blockTaps.push(taps);
      this.blockB.push(get(`block${l}.b`));
    }
    this.headW = get('head.w');
    this.headB = get('head.b');
    this.outW = get('out.w');
    this.outB = get('out.b')[0];
  }

  /**
   * Runs `count` sprites through the net in raster order. At each position
   * `decide(p, logits)` gets the logits of all sprites for pixel p (already
   * computed from pixels < p) and must write each sprite's bit into
   * `bits[s·grid² + p]` (sampled, or the known value).
   */
  run(count: number, bits: Uint8Array, decide: (p: number, logits: Float64Array) => void, from = 0): void {
    const { grid: g, C } = this;
    const n = g * g;
    const acts: Float32Array[] = [];
    for (let l = 0; l <= this.blocks; l++) acts.push(new Float32Array(count * n * C));
    const v = new Float64Array(C);
    const z = new Float64Array(C);
    const logits = new Float64Array(count);
    // Positions before `from` have known bits: compute their activations without calling decide.
    for (let p = 0; p < n; p++) {
      const y = (p / g) | 0;
      const x = p - y * g;
      for (let s = 0; s < count; s++) {
        const sb = s * n;
        // Layer 0: precomputed aux part + ink taps (ink is 0/1: add the tap's weights).
        for (let c = 0; c < C; c++) v[c] = this.pre[p * C + c];
        for (const t of this.inkTaps) {
          const yy = y + t.dy;
          const xx = x + t.dx;
          if (yy < 0 || xx < 0 || xx >= g) continue;
          if (bits[sb + yy * g + xx]) for (let c = 0; c < C; c++) v[c] += t.w[c];
        }
        let a = acts[0];
        const o = (sb + p) * C;
        for (let c = 0; c < C; c++) a[o + c] = v[c] > 0 ? v[c] : 0;
        for (let l = 0; l < this.blocks; l++) {
          const prev = acts[l];
          const b = this.blockB[l];
          for (let c = 0; c < C; c++) v[c] = b[c];
          for (const t of this.blockTaps[l]) {
            const yy = y + t.dy;
            const xx = x + t.dx;
            if (yy < 0 || xx < 0 || xx >= g) continue;
            const q = (sb + yy * g + xx) * C;
            const w = t.w;
            for (let ci = 0; ci < C; ci++) {
              const h = prev[q + ci];
              if (h === 0) continue; // ReLU outputs are often exactly 0
              const wo = ci * C;
              for (let c = 0; c < C; c++) v[c] += h * w[wo + c];
            }
          }
          a = acts[l + 1];
          for (let c = 0; c < C; c++) a[o + c] = prev[o + c] + (v[c] > 0 ? v[c] : 0);
        }
        for (let c = 0; c < C; c++) z[c] = this.headB[c];
        for (let ci = 0; ci < C; ci++) {
          const h = a[o + ci];
          if (h === 0) continue;
          const wo = ci * C;
          for (let c = 0; c < C; c++) z[c] += h * this.headW[wo + c];
        }
        let lg = this.outB;
        for (let c = 0; c < C; c++) if (z[c] > 0) lg += z[c] * this.outW[c];
        logits[s] = lg;
      }
      if (p >= from) decide(p, logits);
    }
  }
}
