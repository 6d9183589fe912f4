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
 * ranked completion (what `pixel sprite complete` draws: the candidate the
 * model finds most likely, complete.ts), the mean over `samples` sampled
 * completions per icon (temperature 1), and the per-pixel majority of those
 * samples (the estimate that minimises expected pixel error under the
 * samples, though it is not itself a sample).
 */
import { completeJobs, keptAfterFill, scoreSprites, type ArRunner } from './ar.js';
import { rankCompletions, referenceCandidates } from './complete.js';
import { fitPositionBaseline, positionBaselineBpp } from './baseline.js';
import { mirrorBits } from './split.js';

export interface CompletionFigures {
  /** Pixel error of the ranked completion (the model's most likely candidate). */
  ranked: number;
  /** Mean pixel error of single samples. */
  sample: number;
  /** Pixel error of the per-pixel majority of the samples. */
  majority: number;
  blank: number;
  /** Only for the bottom-half task. */
  mirror?: number;
  nearest: number;
}

export interface EvalReport {
  heldOut: number;
  trainIcons: number;
  bpp: number;
  bernoulliBpp: number;
  bottomHalf: CompletionFigures;
  centre: CompletionFigures & { proposals: number; samplePlain: number };
  samples: number;
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

function completionFigures(net: ArRunner, heldOut: readonly Uint8Array[], refs: readonly Uint8Array[], fill: Uint8Array, samples: number, proposals: number, seed: number): { figures: CompletionFigures; drawn: Uint8Array[][] } {
  const g = net.grid;
  const jobs = heldOut.map((known, i) => ({ known: Uint8Array.from(known, (v, p) => (fill[p] ? 0 : v)), fill, count: samples, temperature: 1, seed: seed + i }));
  const drawn = completeJobs(net, jobs, proposals);
  const ranked = rankCompletions(net, (s) => scoreSprites(net, s), jobs.map((j) => ({ ...j, count: 1 })), { references: refs });
  const blank = new Uint8Array(g * g);
  return {
    drawn: drawn.map((d, i) => [ranked[i].sprites[0], ...d]),
    figures: {
      ranked: mean(heldOut.map((t, i) => fillError(ranked[i].sprites[0], t, fill))),
      sample: mean(heldOut.flatMap((t, i) => drawn[i].map((d) => fillError(d, t, fill)))),
      majority: mean(heldOut.map((t, i) => fillError(majority(drawn[i]), t, fill))),
      blank: mean(heldOut.map((t) => fillError(blank, t, fill))),
      nearest: mean(heldOut.map((t) => fillError(nearestCompletion(t, fill, refs), t, fill))),
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
  o: { samples: number; proposals: number; seed: number },
): { report: EvalReport; bottom: Uint8Array[][]; centre: Uint8Array[][] } {
  const g = net.grid;
  const n = g * g;
  const refs = [...train, ...train.map((t) => mirrorBits(t, g))];
  const bottomFill = bottomHalfFill(g);
  const bottom = completionFigures(net, heldOut, refs, bottomFill, o.samples, 1, o.seed);
  bottom.figures.mirror = mean(heldOut.map((t) => fillError(mirrorCompletion(t, g), t, bottomFill)));
  const cFill = centreFill(g);
  const proposals = keptAfterFill(cFill) ? o.proposals : 1;
  const centre = completionFigures(net, heldOut, refs, cFill, o.samples, proposals, o.seed);
  const plain = completionFigures(net, heldOut, refs, cFill, o.samples, 1, o.seed);
  return {
    report: {
      heldOut: heldOut.length,
      trainIcons: train.length,
      bpp,
      bernoulliBpp: positionBaselineBpp(fitPositionBaseline(train, n), heldOut),
      bottomHalf: bottom.figures,
      centre: { ...centre.figures, proposals, samplePlain: plain.figures.sample },
      samples: o.samples,
    },
    bottom: bottom.drawn,
    centre: centre.drawn,
  };
}
