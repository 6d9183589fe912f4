/**
 * `pixel sprite eval`: how well the autoregressive model knows icons it never
 * saw (the held-out list next to the model), in two ways:
 *
 * - likelihood: bits per pixel, against an independent per-position
 *   Bernoulli fitted on the training icons;
 * - completion: pixel error of what it draws where part of an icon is hidden
 *   (the bottom half given the top half; a central square given the rest),
 *   against three baselines that need no model: leave it blank, mirror the
 *   top half downwards, and copy the same region of the training icon
 *   (or its mirror image) that agrees best with the visible pixels.
 *
 * Errors are the fraction of hidden pixels drawn wrong. Model figures: the
 * ranked completion (the candidate the model finds most likely, complete.ts),
 * the explain judge (complete.ts) over `explainSamples` samples plus those
 * candidates, and over the samples alone, the same judge over as many
 * samples guided towards mirror symmetry (`--method guided`) and over as
 * many guided by symmetry and by the nearest reference icons
 * (`--method guided-refs`), the mean over `samples` sampled
 * completions per icon (temperature 1), and the per-pixel majority of those
 * samples (the estimate that minimises expected pixel error under the
 * samples, though it is not itself a sample). Per-icon errors come with the
 * report (`perIcon`), so a figure can be checked on any subset.
 */
import { completeJobs, keptAfterFill, scoreSprites, type ArRunner } from './ar.js';
import { EXPLAIN_LAMBDA, REFERENCE_GUIDE, SYMMETRY_BIAS, rankCompletions, referenceCandidates } from './complete.js';
import { fitPositionBaseline, positionBaselineBpp } from './baseline.js';
import { mirrorBits } from './split.js';

export interface CompletionFigures {
  /** Pixel error of the ranked completion (the model's most likely candidate). */
  ranked: number;
  /** The explain judge's choice among samples, mirrored and nearest-icon candidates. */
  explain: number;
  /** The explain judge's choice among samples only (a pure sampled completion). */
  explainSamples: number;
  /** The explain judge's choice among samples guided towards mirror symmetry (`--method guided`). */
  guided: number;
  /** The same judge among samples guided by symmetry and by the nearest reference icons (`--method guided-refs`). */
  guidedRefs: number;
  /** Mean pixel error of single samples. */
  sample: number;
  /** Pixel error of the per-pixel majority of the samples. */
  majority: number;
  blank: number;
  /** Only for the bottom-half task. */
  mirror?: number;
  nearest: number;
  /** Each figure per held-out icon, in order. */
  perIcon: Record<string, number[]>;
}

/** What the explain judge needs: per-pixel nats of a batch of sprites, how many samples, λ. */
export interface ExplainSetup {
  nats: (sprites: readonly Uint8Array[]) => Float32Array;
  samples: number;
  lambda?: number;
}

export interface EvalReport {
  heldOut: number;
  trainIcons: number;
  bpp: number;
  bernoulliBpp: number;
  bottomHalf: CompletionFigures;
  centre: CompletionFigures & { proposals: number; samplePlain: number };
  samples: number;
  explainSamples: number;
  lambda: number;
}

/**
 * The tuning half of the held-out icons: the first ⌈n/2⌉ by a seeded FNV-1a
 * hash of their keys (paths relative to the data folder). Settings are chosen
 * on this half and reported on the other as well, so a figure on the report
 * half was not fitted to it.
 */
export function tuningHalf(keys: readonly string[]): boolean[] {
  const hash = (s: string) => {
    let h = 0x811c9dc5;
    for (const ch of `pixel-tune:${s}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return h;
  };
  const order = keys.map((k, i) => ({ h: hash(k), i })).sort((a, b) => a.h - b.h || a.i - b.i);
  const out = keys.map(() => false);
  for (const { i } of order.slice(0, Math.ceil(keys.length / 2))) out[i] = true;
  return out;
}

/** Fill mask of the bottom half (the first half of the rows kept). */
export function bottomHalfFill(grid: number): Uint8Array {
  const f = new Uint8Array(grid * grid);
  f.fill(1, (grid >> 1) * grid);
  return f;
}

/** Fill mask of the central square of side grid/2. */
export function centreFill(grid: number): Uint8Array {
  const f = new Uint8Array(grid * grid);
  const a = grid >> 2;
  for (let y = a; y < a + (grid >> 1); y++) f.fill(1, y * grid + a, y * grid + a + (grid >> 1));
  return f;
}

/** Fraction of the filled pixels where `a` and `truth` differ. */
export function fillError(a: Uint8Array, truth: Uint8Array, fill: Uint8Array): number {
  let wrong = 0;
  let n = 0;
  for (let i = 0; i < fill.length; i++)
    if (fill[i]) {
      n++;
      if (a[i] !== truth[i]) wrong++;
    }
  return n ? wrong / n : 0;
}

/** The top half mirrored downwards into the bottom half. */
export function mirrorCompletion(bits: Uint8Array, grid: number): Uint8Array {
  const out = bits.slice();
  for (let y = grid >> 1; y < grid; y++) for (let x = 0; x < grid; x++) out[y * grid + x] = bits[(grid - 1 - y) * grid + x];
  return out;
}

/** The filled region copied from the reference icon that agrees best with the kept pixels. */
export function nearestCompletion(bits: Uint8Array, fill: Uint8Array, references: readonly Uint8Array[]): Uint8Array {
  return referenceCandidates(bits, fill, references, 1)[0];
}

function majority(samples: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(samples[0].length);
  for (let i = 0; i < out.length; i++) {
    let ink = 0;
    for (const s of samples) ink += s[i];
    out[i] = 2 * ink > samples.length ? 1 : 0;
  }
  return out;
}

const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);

/** What one held-out icon's completions look like (for `pixel sprite eval --sheet`). */
export interface DrawnCompletions {
  /** The explain judge's choice among samples and structured candidates. */
  explain: Uint8Array;
  /** The explain judge's choice among the plain samples alone. */
  explainSample: Uint8Array;
  ranked: Uint8Array;
  /** What `pixel sprite complete` draws by default (`--method guided-refs`). */
  guidedRefs: Uint8Array;
  /** The plain samples. */
  samples: Uint8Array[];
}

function completionFigures(net: ArRunner, heldOut: readonly Uint8Array[], refs: readonly Uint8Array[], fill: Uint8Array, samples: number, proposals: number, seed: number, explain: ExplainSetup): { figures: CompletionFigures; drawn: DrawnCompletions[] } {
  const g = net.grid;
  const jobs = heldOut.map((known, i) => ({ known: Uint8Array.from(known, (v, p) => (fill[p] ? 0 : v)), fill, count: samples, temperature: 1, seed: seed + i }));
  const drawn = completeJobs(net, jobs, proposals);
  const ranked = rankCompletions(net, (s) => scoreSprites(net, s), jobs.map((j) => ({ ...j, count: 1 })), { references: refs });
  // Every candidate, best first by the explain judge: the first is the pool's choice, the first sample the samples-only choice.
  const judged = rankCompletions(net, () => [], jobs.map((j) => ({ ...j, count: Infinity })), { references: refs, samples: explain.samples, explain });
  const explained = judged.map((r) => r.sprites[0]);
  const explainedSample = judged.map((r) => r.sprites[r.sampled.indexOf(true)]);
  const guided = rankCompletions(net, () => [], jobs.map((j) => ({ ...j, count: 1 })), { references: [], structured: false, samples: explain.samples, explain, guide: SYMMETRY_BIAS });
  const guidedRefs = rankCompletions(net, () => [], jobs.map((j) => ({ ...j, count: 1 })), { references: refs, structured: false, samples: explain.samples, explain, guide: SYMMETRY_BIAS, refGuide: REFERENCE_GUIDE });
  const blank = new Uint8Array(g * g);
  const err = (pick: (t: Uint8Array, i: number) => Uint8Array) => heldOut.map((t, i) => fillError(pick(t, i), t, fill));
  const perIcon: Record<string, number[]> = {
    ranked: err((_, i) => ranked[i].sprites[0]),
    explain: err((_, i) => explained[i]),
    explainSamples: err((_, i) => explainedSample[i]),
    guided: err((_, i) => guided[i].sprites[0]),
    guidedRefs: err((_, i) => guidedRefs[i].sprites[0]),
    sample: heldOut.map((t, i) => mean(drawn[i].map((d) => fillError(d, t, fill)))),
    majority: err((_, i) => majority(drawn[i])),
    blank: err(() => blank),
    nearest: err((t) => nearestCompletion(t, fill, refs)),
  };
  return {
    drawn: drawn.map((d, i) => ({ explain: explained[i], explainSample: explainedSample[i], ranked: ranked[i].sprites[0], guidedRefs: guidedRefs[i].sprites[0], samples: d })),
    figures: {
      ranked: mean(perIcon.ranked),
      explain: mean(perIcon.explain),
      explainSamples: mean(perIcon.explainSamples),
      guided: mean(perIcon.guided),
      guidedRefs: mean(perIcon.guidedRefs),
      sample: mean(perIcon.sample),
      majority: mean(perIcon.majority),
      blank: mean(perIcon.blank),
      nearest: mean(perIcon.nearest),
      perIcon,
    },
  };
}

/**
 * The whole report. `score` gives bits per pixel of the held-out icons (the
 * CLI passes the batched tfjs scorer).
 */
export function evaluate(
  net: ArRunner,
  heldOut: readonly Uint8Array[],
  train: readonly Uint8Array[],
  bpp: number,
  o: { samples: number; proposals: number; seed: number; explain: ExplainSetup },
): { report: EvalReport; bottom: DrawnCompletions[]; centre: DrawnCompletions[] } {
  const g = net.grid;
  const n = g * g;
  const refs = [...train, ...train.map((t) => mirrorBits(t, g))];
  const bottomFill = bottomHalfFill(g);
  const bottom = completionFigures(net, heldOut, refs, bottomFill, o.samples, 1, o.seed, o.explain);
  bottom.figures.perIcon.mirror = heldOut.map((t) => fillError(mirrorCompletion(t, g), t, bottomFill));
  bottom.figures.mirror = mean(bottom.figures.perIcon.mirror);
  const cFill = centreFill(g);
  const proposals = keptAfterFill(cFill) ? o.proposals : 1;
  const centre = completionFigures(net, heldOut, refs, cFill, o.samples, proposals, o.seed, o.explain);
  const plain = completeJobs(net, heldOut.map((known, i) => ({ known: Uint8Array.from(known, (v, p) => (cFill[p] ? 0 : v)), fill: cFill, count: o.samples, temperature: 1, seed: o.seed + i })), 1);
  return {
    report: {
      heldOut: heldOut.length,
      trainIcons: train.length,
      bpp,
      bernoulliBpp: positionBaselineBpp(fitPositionBaseline(train, n), heldOut),
      bottomHalf: bottom.figures,
      centre: { ...centre.figures, proposals, samplePlain: mean(heldOut.map((t, i) => mean(plain[i].map((d) => fillError(d, t, cFill))))) },
      samples: o.samples,
      explainSamples: o.explain.samples,
      lambda: o.explain.lambda ?? EXPLAIN_LAMBDA,
    },
    bottom: bottom.drawn,
    centre: centre.drawn,
  };
}
