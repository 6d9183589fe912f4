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
}

/** The kept pixels mirrored into the hole, across both axes at offsets −1, 0, 1; candidates that mirror nothing are left out. */
export function symmetricCandidates(known: Uint8Array, fill: Uint8Array, grid: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const axis of ['rows', 'cols'] as const)
    for (const k of [0, -1, 1]) {
      const c = known.slice();
      let copied = 0;
      for (let y = 0; y < grid; y++)
        for (let x = 0; x < grid; x++) {
          const p = y * grid + x;
          if (!fill[p]) continue;
          const sy = axis === 'rows' ? grid - 1 + k - y : y;
          const sx = axis === 'cols' ? grid - 1 + k - x : x;
          const q = sy * grid + sx;
          const ok = sy >= 0 && sy < grid && sx >= 0 && sx < grid && !fill[q];
          c[p] = ok ? known[q] : 0;
          if (ok) copied++;
        }
      if (copied) out.push(c);
    }
  return out;
}

/** The hole filled from each of the `m` references that differ least from `known` on the kept pixels (ties: first listed). */
export function referenceCandidates(known: Uint8Array, fill: Uint8Array, references: readonly Uint8Array[], m: number): Uint8Array[] {
  const kept: number[] = [];
  for (let p = 0; p < fill.length; p++) if (!fill[p]) kept.push(p);
  const dist = references.map((r, i) => {
    let d = 0;
    for (const p of kept) if (r[p] !== known[p]) d++;
    return [d, i] as const;
  });
  dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return dist.slice(0, m).map(([, i]) => Uint8Array.from(known, (v, p) => (fill[p] ? references[i][p] : v)));
}

const key = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/**
 * Ranked completions for several jobs at once: all candidates of all jobs are
 * scored in one batched pass of `score` (bits per pixel of whole sprites),
 * and each job gets its `count` lowest-scoring distinct candidates, best
 * first, with their scores. Deterministic for a seed.
 */
export function rankCompletions(
  net: ArRunner,
  score: (sprites: readonly Uint8Array[]) => number[],
  jobs: readonly CompletionJob[],
  o: RankOptions,
): { sprites: Uint8Array[]; bpp: number[]; candidates: number }[] {
  const g = net.grid;
  const samples = o.samples ?? 0;
  const drawn = samples > 0 ? completeJobs(net, jobs.map((j) => ({ ...j, count: samples })), o.proposals ?? 1) : jobs.map(() => []);
  const pools = jobs.map((job, j) => {
    const seen = new Set<string>();
    const known = Uint8Array.from(job.known, (v, p) => (job.fill[p] ? 0 : v));
    return [...symmetricCandidates(known, job.fill, g), ...referenceCandidates(known, job.fill, o.references, o.nearest ?? 8), ...drawn[j]].filter((c) => {
      const k = key(c);
      return seen.has(k) ? false : (seen.add(k), true);
    });
  });
  const bpp = score(pools.flat());
  let at = 0;
  return pools.map((pool, j) => {
    const scored = pool.map((c, i) => ({ c, b: bpp[at + i], i }));
    at += pool.length;
    scored.sort((a, b) => a.b - b.b || a.i - b.i);
    const best = scored.slice(0, jobs[j].count);
    return { sprites: best.map((s) => s.c), bpp: best.map((s) => s.b), candidates: pool.length };
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
