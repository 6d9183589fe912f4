/**
 * Completion by ranking (`pixel sprite complete`, the default method): the
 * model chooses among structured candidates by its full likelihood.
 *
 * Why not just sample: on the honest held-out icons a sampled bottom half is
 * wrong in about a quarter of its pixels, and even the model's per-pixel best
 * guess (the mode of its own marginals) is worse than mirroring the top half.
 * The model's knowledge of unseen icons, not the decoder, is the limit. It is
 * however a good judge: offered the kept part mirrored into the hole and the
 * matching parts of known icons, its likelihood picks one that beats each of
 * those rules alone. (Offered its own samples too, it prefers them: a sample
 * is by construction typical of the model, so it wins on likelihood while
 * losing on pixels.)
 *
 * Candidates for one sprite with kept pixels `known` and a hole `fill`:
 * - symmetric continuations: each hole pixel takes the kept pixel mirrored
 *   across the horizontal or the vertical axis, the axis at the centre or
 *   one pixel either side (hole pixels whose mirror is not kept stay paper);
 * - the hole of the `references` reference icons (training icons and their
 *   mirror images) that agree best with the kept pixels;
 * - optionally model samples (`samples`), which then compete on likelihood.
 * Every candidate keeps `known` exactly; the `count` most likely distinct
 * candidates come back, best first.
 *
 * The `explain` judge (`--method explain`, the default with a mask) asks the
 * reverse question too, as a noisy-channel / maximum-mutual-information
 * reranker does: how well does the candidate's hole explain the kept pixels?
 * Likelihood alone, log P(hole | kept before it), favours simple, typical
 * holes (and the model's own samples); a hole that makes the kept pixels
 * probable is one that fits what is there. The model reads raster order, so
 * the sprite is read in each of its 8 orientations (flips and transposes;
 * the model is nearly orientation-blind: 0.144–0.150 bits/px on the
 * held-out icons in every orientation): in each, the nats of the kept
 * pixels read after the first hole pixel measure the explaining, the nats of
 * the hole pixels the fit. Score = mean explaining + λ · mean fit.
 *
 * `--method guided` judges the same way, but among samples only, drawn from
 * a product of experts: the model times a symmetry expert that leans each
 * hole pixel towards its mirror image (`guidedJob`). Still sampling, each
 * pixel conditioned on all before it; the second expert supplies the
 * symmetry that plain samples never reproduce. `--method guided-refs` adds a
 * third expert, the nearest reference icons (`referenceJob`), weighted as
 * sampling goes by how well each agrees with the kept and sampled pixels.
 */
import { completeJobs, type ArRunner, type CompletionJob } from './ar.js';

export interface RankOptions {
  /** Reference icons to draw candidates from (already including mirror images, if wanted). */
  references: readonly Uint8Array[];
  /** How many nearest reference icons give a candidate (default 8). */
  nearest?: number;
  /** Model samples added to the candidates (default 0), drawn like `completeJobs` with this many proposals. */
  samples?: number;
  proposals?: number;
  /** Leave out the mirrored and reference candidates: choose among samples only (default true: include them). */
  structured?: boolean;
  /** Draw the samples guided towards mirror symmetry (`guidedJob`, a product of experts) with this bias (default: unguided). */
  guide?: number;
  /**
   * Also lean the samples towards the `nearest` reference icons closest on the kept pixels (`referenceJob`, a reference expert in the product), by `bias` logits,
   * each reference weighted by exp(−mismatches / `tau`) against the kept and the sampled pixels. Uses `references`.
   */
  refGuide?: ReferenceGuide;
  /** Judge by `explainScores` (per-pixel nats of a batch of sprites, and λ) instead of the likelihood `score`. */
  explain?: { nats: (sprites: readonly Uint8Array[]) => Float32Array; lambda?: number };
}

/** λ of the explain judge: tuned on one fixed half of the held-out icons (central square), reported on the other. */
export const EXPLAIN_LAMBDA = 0.25;

/**
 * Bias of the symmetry expert in `--method guided`, in logits: p ∝
 * p_model(x | pixels before) · p_sym(x), p_sym = 1 − ε for the mirror pixel's
 * value, ε = 1 / (1 + e²) ≈ 0.12, for each of the two centre axes. Chosen
 * (with the temperature, 1, and the samples, 32) on the tuning half of the
 * held-out icons, bottom half given the top half: 1.5, 2, 3 and 5 tried.
 */
export const SYMMETRY_BIAS = 2;

/** The reference expert's settings: how many nearest references, their pull in logits, and how sharply agreement picks among them. */
export interface ReferenceGuide {
  nearest: number;
  bias: number;
  tau: number;
}

/**
 * Settings of `--method guided-refs` (model × symmetry expert × reference
 * expert, 32 samples at temperature 1, judged by explain). Chosen on the
 * tuning half of the held-out icons (`tuningHalf`), bottom half given the top
 * half, each setting over 1–3 seeds: bias 1, 2, 3, 4, 5 logits; τ 1, 2, 4;
 * 8 or 16 references; temperature 0.8; λ 0.1; 64 samples; without the
 * symmetry expert (a tie). Bias 3, τ 2: one mismatch more costs a reference
 * e^−½ of its weight.
 */
export const REFERENCE_GUIDE: ReferenceGuide = { nearest: 8, bias: 3, tau: 2 };

/** `map[p]`: pixel p mirrored across the horizontal ('rows') or vertical ('cols') axis, `offset` pixels off the centre; −1 outside the grid. */
export function mirrorMap(grid: number, axis: 'rows' | 'cols', offset = 0): Int32Array {
  return Int32Array.from({ length: grid * grid }, (_, p) => {
    const y = Math.floor(p / grid);
    const x = p % grid;
    const sy = axis === 'rows' ? grid - 1 + offset - y : y;
    const sx = axis === 'cols' ? grid - 1 + offset - x : x;
    return sy >= 0 && sy < grid && sx >= 0 && sx < grid ? sy * grid + sx : -1;
  });
}

/**
 * A job whose samples are still drawn from the model, pixel by pixel, but
 * multiplied by a symmetry expert (a product of experts): each hole pixel
 * leans, by `bias` logits per axis, towards its mirror image across the
 * horizontal and the vertical centre axis where that pixel is known (kept or
 * already sampled). Why: 16 of the 57 held-out icons are exactly symmetric
 * top to bottom, which no plain sample reproduces.
 */
export function guidedJob(job: CompletionJob, grid: number, bias = SYMMETRY_BIAS): CompletionJob {
  return { ...job, guide: { mirrors: [mirrorMap(grid, 'rows'), mirrorMap(grid, 'cols')], bias } };
}

/**
 * A job whose samples also lean towards the reference icons that agree best
 * with what is known (a third expert in the product): the `nearest`
 * references closest to `known` on the kept pixels, weighted as sampling goes
 * by how well each agrees with the kept pixels and the pixels sampled so far
 * (a posterior over references, exp(−mismatches / tau)); each hole pixel
 * leans by up to `bias` logits towards their weighted vote. Why: the model's
 * own beliefs about unseen icons are less accurate than copying a similar
 * known icon, but a copy alone ignores what the model knows.
 */
export function referenceJob(job: CompletionJob, references: readonly Uint8Array[], o: ReferenceGuide): CompletionJob {
  return { ...job, refs: { sprites: nearestReferences(job.known, job.fill, references, o.nearest), bias: o.bias, tau: o.tau } };
}

/** The 8 orientations of a grid × grid sprite (identity first): `map[p]` is the pixel read at position p. */
export function orientations(grid: number): Int32Array[] {
  const g1 = grid - 1;
  const fs: ((y: number, x: number) => number)[] = [
    (y, x) => y * grid + x,
    (y, x) => y * grid + g1 - x,
    (y, x) => (g1 - y) * grid + x,
    (y, x) => (g1 - y) * grid + g1 - x,
    (y, x) => x * grid + y,
    (y, x) => x * grid + g1 - y,
    (y, x) => (g1 - x) * grid + y,
    (y, x) => (g1 - x) * grid + g1 - y,
  ];
  return fs.map((f) => Int32Array.from({ length: grid * grid }, (_, p) => f(Math.floor(p / grid), p % grid)));
}

/**
 * The explain score of each candidate (lower is better): over the 8
 * orientations, the mean nats of kept pixels read after the first hole pixel
 * plus λ times the mean nats of the hole pixels. `fills` is one fill mask for
 * all candidates or one per candidate. One batched `nats` call.
 */
export function explainScores(
  nats: (sprites: readonly Uint8Array[]) => Float32Array,
  candidates: readonly Uint8Array[],
  fills: Uint8Array | readonly Uint8Array[],
  grid: number,
  lambda = EXPLAIN_LAMBDA,
): number[] {
  const n = grid * grid;
  const m = candidates.length;
  const maps = orientations(grid);
  const fillOf = (i: number) => (fills instanceof Uint8Array ? fills : fills[i]);
  const all = nats(maps.flatMap((map) => candidates.map((c) => Uint8Array.from(map, (q) => c[q]))));
  const out = new Array<number>(m).fill(0);
  const holes = new Map<Uint8Array, Uint8Array>();
  maps.forEach((map, o) => {
    holes.clear();
    for (let i = 0; i < m; i++) {
      const f = fillOf(i);
      let hole = holes.get(f);
      if (!hole) holes.set(f, (hole = Uint8Array.from(map, (q) => f[q])));
      const first = hole.indexOf(1);
      const base = (o * m + i) * n;
      let explain = 0;
      let fit = 0;
      for (let p = Math.max(first, 0); p < n; p++) {
        if (hole[p]) fit += all[base + p];
        else explain += all[base + p];
      }
      out[i] += (explain + lambda * fit) / maps.length;
    }
  });
  return out;
}

/** The kept pixels mirrored into the hole, across both axes at offsets −1, 0, 1; candidates that mirror nothing are left out. */
export function symmetricCandidates(known: Uint8Array, fill: Uint8Array, grid: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const axis of ['rows', 'cols'] as const)
    for (const k of [0, -1, 1]) {
      const c = known.slice();
      const map = mirrorMap(grid, axis, k);
      let copied = 0;
      for (let p = 0; p < c.length; p++) {
        if (!fill[p]) continue;
        const q = map[p];
        const ok = q >= 0 && !fill[q];
        c[p] = ok ? known[q] : 0;
        if (ok) copied++;
      }
      if (copied) out.push(c);
    }
  return out;
}

/** The `m` references that differ least from `known` on the kept pixels (ties: first listed). */
export function nearestReferences(known: Uint8Array, fill: Uint8Array, references: readonly Uint8Array[], m: number): Uint8Array[] {
  const kept: number[] = [];
  for (let p = 0; p < fill.length; p++) if (!fill[p]) kept.push(p);
  const dist = references.map((r, i) => {
    let d = 0;
    for (const p of kept) if (r[p] !== known[p]) d++;
    return [d, i] as const;
  });
  dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return dist.slice(0, m).map(([, i]) => references[i]);
}

/** The hole filled from each of the `m` references that differ least from `known` on the kept pixels (ties: first listed). */
export function referenceCandidates(known: Uint8Array, fill: Uint8Array, references: readonly Uint8Array[], m: number): Uint8Array[] {
  return nearestReferences(known, fill, references, m).map((r) => Uint8Array.from(known, (v, p) => (fill[p] ? r[p] : v)));
}

const key = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/**
 * Ranked completions for several jobs at once: all candidates of all jobs are
 * scored in one batched pass (by `score`, bits per pixel of whole sprites,
 * or by the explain judge), and each job gets its `count` lowest-scoring
 * distinct candidates, best first, with their scores. Deterministic for a seed.
 */
export function rankCompletions(
  net: ArRunner,
  score: (sprites: readonly Uint8Array[]) => number[],
  jobs: readonly CompletionJob[],
  o: RankOptions,
): { sprites: Uint8Array[]; scores: number[]; sampled: boolean[]; candidates: number }[] {
  const g = net.grid;
  const samples = o.samples ?? 0;
  const structured = o.structured ?? true;
  const sampleJob = (j: CompletionJob): CompletionJob => {
    const plain = { ...j, count: samples };
    const guided = o.guide === undefined ? plain : guidedJob(plain, g, o.guide);
    return o.refGuide ? referenceJob(guided, o.references, o.refGuide) : guided;
  };
  const drawn = samples > 0 ? completeJobs(net, jobs.map(sampleJob), o.proposals ?? 1) : jobs.map(() => []);
  const pools = jobs.map((job, j) => {
    const seen = new Set<string>();
    const known = Uint8Array.from(job.known, (v, p) => (job.fill[p] ? 0 : v));
    const rules = structured ? [...symmetricCandidates(known, job.fill, g), ...referenceCandidates(known, job.fill, o.references, o.nearest ?? 8)] : [];
    const pool = [...rules, ...drawn[j]].filter((c) => {
      const k = key(c);
      return seen.has(k) ? false : (seen.add(k), true);
    });
    const isSample = new Set(drawn[j].map(key));
    return pool.map((c) => ({ c, sampled: isSample.has(key(c)) }));
  });
  const flat = pools.flatMap((pool) => pool.map((e) => e.c));
  const values = o.explain
    ? explainScores(o.explain.nats, flat, pools.flatMap((pool, j) => pool.map(() => jobs[j].fill)), g, o.explain.lambda)
    : score(flat);
  let at = 0;
  return pools.map((pool, j) => {
    const scored = pool.map((e, i) => ({ ...e, b: values[at + i], i }));
    at += pool.length;
    scored.sort((a, b) => a.b - b.b || a.i - b.i);
    const best = scored.slice(0, jobs[j].count);
    return { sprites: best.map((s) => s.c), scores: best.map((s) => s.b), sampled: best.map((s) => s.sampled), candidates: pool.length };
  });
}

/** Reference icons as one sheet: grid × grid tiles side by side, `cols` per row, no margins (ink bits; unused tiles blank). */
export function referenceSheet(icons: readonly Uint8Array[], grid: number, cols = 40): { width: number; height: number; bits: Uint8Array } {
  const rows = Math.ceil(icons.length / cols);
  const width = cols * grid;
  const bits = new Uint8Array(width * rows * grid);
  icons.forEach((icon, i) => {
    const ox = (i % cols) * grid;
    const oy = Math.floor(i / cols) * grid;
    for (let y = 0; y < grid; y++) bits.set(icon.subarray(y * grid, (y + 1) * grid), (oy + y) * width + ox);
  });
  return { width, height: rows * grid, bits };
}

/** The tiles of a reference sheet (blank tiles skipped), or undefined when its size is not a whole number of tiles. */
export function referenceTiles(sheet: { width: number; height: number; bits: Uint8Array }, grid: number): Uint8Array[] | undefined {
  const { width, height, bits } = sheet;
  if (width % grid || height % grid) return undefined;
  const out: Uint8Array[] = [];
  for (let oy = 0; oy < height; oy += grid)
    for (let ox = 0; ox < width; ox += grid) {
      const t = new Uint8Array(grid * grid);
      for (let y = 0; y < grid; y++) t.set(bits.subarray((oy + y) * width + ox, (oy + y) * width + ox + grid), y * grid);
      if (t.some((v) => v)) out.push(t);
    }
  return out;
}
