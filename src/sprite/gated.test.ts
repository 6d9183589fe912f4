import { beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../nn/data.js';
import { useBackend, type TF } from '../nn/tf.js';
import { completeJobs, completeSprites, decodeArModel, encodeArModel, keptAfterFill, pixelNats, pixelNatsWith, sampleRows, sampleSprites, scoreSprites, scoreSpritesWith, tfAr } from './ar.js';
import { bottomHalfFill, centreFill, evaluate, fillError, mirrorCompletion, nearestCompletion, tuningHalf } from './eval.js';
import { explainScores, guidedJob, mirrorMap, nearestReferences, orientations, rankCompletions, referenceCandidates, referenceJob, referenceSheet, referenceTiles, symmetricCandidates } from './complete.js';
import { gatedTensorSpecs, horizontalTaps, initGatedWeights, verticalTaps, type GatedArchitecture } from './gated.js';
import { GatedNet } from './gated-net.js';

const A: GatedArchitecture = { type: 'gated-pixelcnn', grid: 8, channels: 5, dilations: [1, 2, 4], mirror: true };
const G = A.grid;
const N = G * G;
let tf: TF;
beforeAll(async () => {
  tf = (await useBackend('wasm')).tf;
});

function weights(seed: number): Map<string, Float32Array> {
  const w = initGatedWeights(A, seed);
  const next = rng(seed + 1);
  for (const [k, v] of w) if (k.endsWith('.b')) for (let i = 0; i < v.length; i++) v[i] = next() - 0.5;
  return w;
}

function bits(seed: number, density = 0.5): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: N }, () => (next() < density ? 1 : 0));
}

function jsLogits(net: GatedNet, b: Uint8Array): Float64Array {
  const out = new Float64Array(N);
  net.run(1, b.slice(), (p, l) => {
    out[p] = l[0];
  });
  return out;
}

describe('gated PixelCNN: full context', () => {
  it('taps of both stacks only reach pixels before the current one', () => {
    for (let l = 0; l <= A.dilations.length; l++) {
      for (const [dy] of verticalTaps(l, A)) expect(dy).toBeLessThanOrEqual(0);
      for (const [dy, dx] of horizontalTaps(l, A)) expect(dy === 0 && dx <= 0).toBe(true);
    }
    expect(verticalTaps(0, A).every(([dy]) => dy === -1)).toBe(true); // layer 0 of the vertical stack: strictly above
    expect(horizontalTaps(0, A)).toEqual([[0, -1]]); // layer 0 of the horizontal stack: strictly left
  });

  it('every pixel depends on every pixel before it and on none after it (no blind spot)', () => {
    const net = new GatedNet(A, weights(3));
    const base = bits(5);
    const ref = jsLogits(net, base);
    let missing = 0;
    for (let q = 0; q < N; q++) {
      const flipped = base.slice();
      flipped[q] ^= 1;
      const l = jsLogits(net, flipped);
      for (let p = 0; p <= q; p++) expect(l[p]).toBe(ref[p]);
      for (let p = q + 1; p < N; p++) if (l[p] === ref[p]) missing++;
    }
    expect(missing).toBe(0); // including the upper-right wedge a masked 3×3 stack never sees
  });

  it('the tfjs graph agrees with the JS inference, scores agree, and nothing leaks', () => {
    const w = weights(4);
    const net = new GatedNet(A, w);
    const m = tfAr(tf, A, w);
    const before = tf.memory().numTensors;
    const sprites = [bits(6), bits(7, 0.2), bits(8, 0.9)];
    for (const s of sprites) {
      const t = tf.tidy(() => m.logits(tf.tensor4d(Float32Array.from(s), [1, G, G, 1])).dataSync());
      const c = tf.tidy(() => m.infer!(tf.tensor4d(Float32Array.from(s), [1, G, G, 1])).dataSync()); // the conv2d scoring graph
      const js = jsLogits(net, s);
      for (let p = 0; p < N; p++) expect(Math.abs(t[p] - js[p])).toBeLessThan(1e-4);
      for (let p = 0; p < N; p++) expect(Math.abs(c[p] - js[p])).toBeLessThan(1e-4);
    }
    const fast = scoreSpritesWith(tf, m, G, sprites, 2);
    const slow = scoreSprites(net, sprites);
    for (let i = 0; i < 3; i++) expect(Math.abs(fast[i] - slow[i])).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('round-trips through the model file bit-exactly', () => {
    const w = weights(9);
    const bytes = encodeArModel(A, w, { note: 'x' });
    const m = decodeArModel(bytes);
    expect(m.arch).toEqual(A);
    for (const s of gatedTensorSpecs(A)) expect(m.weights.get(s.name)).toEqual(w.get(s.name));
    expect(m.net).toBeInstanceOf(GatedNet);
  });
});

describe('batched sampling and completion', () => {
  const net = new GatedNet(A, weights(11));
  it('one batched pass gives the same rows as sampling each temperature alone', () => {
    const rows = sampleRows(net, [0.8, 1, 1.3], 3, 5);
    expect(rows[0]).toEqual(sampleSprites(net, { count: 3, temperature: 0.8, seed: 5 }));
    expect(rows[2]).toEqual(sampleSprites(net, { count: 3, temperature: 1.3, seed: 5 + 2 * 1_000_003 }));
  });

  it('with proposals, kept pixels stay exact and the picks fit the kept pixels below better', () => {
    // Larger weights: pixels depend strongly on each other, so fitting what lies below matters.
    const strong = new Map([...weights(11)].map(([k, v]) => [k, v.map((x) => x * 3)]));
    const net = new GatedNet(A, strong);
    const known = bits(12);
    const fill = centreFill(G);
    expect(keptAfterFill(fill)).toBe(true);
    expect(keptAfterFill(bottomHalfFill(G))).toBe(false);
    const plain: Uint8Array[] = [];
    const resampled: Uint8Array[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      plain.push(...completeSprites(net, known, fill, { count: 8, temperature: 1, seed }));
      resampled.push(...completeSprites(net, known, fill, { count: 8, temperature: 1, seed, proposals: 16 }));
    }
    for (const s of resampled) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    // Importance resampling targets P(x) over whole sprites: their likelihood rises.
    expect(mean(scoreSprites(net, resampled))).toBeLessThan(mean(scoreSprites(net, plain)));
    expect(completeSprites(net, known, fill, { count: 2, temperature: 1, seed: 3, proposals: 4 })).toEqual(completeSprites(net, known, fill, { count: 2, temperature: 1, seed: 3, proposals: 4 }));
  });

  it('completes several jobs in one pass, each job as if alone', () => {
    const a = { known: bits(1), fill: bottomHalfFill(G), count: 2, temperature: 1, seed: 4 };
    const b = { known: bits(2), fill: centreFill(G), count: 3, temperature: 0.7, seed: 9 };
    const both = completeJobs(net, [a, b]);
    expect(both[0]).toEqual(completeJobs(net, [a])[0]);
    expect(both[1]).toEqual(completeJobs(net, [b])[0]);
  });
});

describe('completion baselines', () => {
  it('measures error on the filled pixels only, mirrors the top half, copies the nearest icon', () => {
    const truth = bits(20);
    const fill = bottomHalfFill(G);
    const wrong = truth.slice();
    wrong[N - 1] ^= 1;
    wrong[0] ^= 1; // outside the fill: not counted
    expect(fillError(wrong, truth, fill)).toBe(1 / (N / 2));
    const m = mirrorCompletion(truth, G);
    for (let x = 0; x < G; x++) expect(m[(G - 1) * G + x]).toBe(truth[x]);
    const near = truth.slice();
    near[N - 2] ^= 1;
    const far = bits(21);
    const copy = nearestCompletion(Uint8Array.from(truth, (v, i) => (fill[i] ? 0 : v)), fill, [far, near]);
    expect(fillError(copy, truth, fill)).toBe(1 / (N / 2));
  });

  it('evaluate reports every figure as a fraction', () => {
    const net = new GatedNet(A, weights(30));
    const held = [bits(31, 0.3), bits(32, 0.3)];
    const train = [bits(33, 0.3), bits(34, 0.3), bits(35, 0.3)];
    const { report } = evaluate(net, held, train, 0.5, { samples: 2, proposals: 3, seed: 1, explain: { nats: (s) => pixelNats(net, s), samples: 3 } });
    for (const f of [report.bottomHalf, report.centre])
      for (const v of [f.ranked, f.explain, f.explainSamples, f.sample, f.majority, f.blank, f.nearest]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    expect(report.bottomHalf.mirror).toBeDefined();
    expect(report.centre.perIcon.explain).toHaveLength(2);
    expect(report.bottomHalf.explain).toBe((report.bottomHalf.perIcon.explain[0] + report.bottomHalf.perIcon.explain[1]) / 2);
    expect(report.centre.proposals).toBe(3);
    expect(report.heldOut).toBe(2);
  });
});

describe('JS inference batching', () => {
  it('a sprite\'s logits do not depend on its batch (blocked and leftover rows sum alike), odd and even channel counts', () => {
    for (const channels of [5, 4]) {
      const a = { ...A, channels };
      const net = new GatedNet(a, initGatedWeights(a, 3));
      const batch = [bits(40), bits(41), bits(42), bits(43), bits(44), bits(45)];
      const all = new Uint8Array(6 * N);
      batch.forEach((b, i) => all.set(b, i * N));
      const together: number[] = [];
      net.run(6, all, (p, l) => void together.push(l[5]));
      const alone: number[] = [];
      net.run(1, batch[5].slice(), (p, l) => void alone.push(l[0]));
      expect(together).toEqual(alone);
    }
  });
});

describe('ranked completion', () => {
  const net = new GatedNet(A, weights(50));
  const score = (s: readonly Uint8Array[]) => scoreSprites(net, s);

  it('symmetric candidates mirror the kept part; reference candidates copy the closest icon\'s hole', () => {
    const truth = bits(51, 0.3);
    const fill = bottomHalfFill(G);
    const known = Uint8Array.from(truth, (v, i) => (fill[i] ? 0 : v));
    const sym = symmetricCandidates(known, fill, G);
    expect(sym[0]).toEqual(mirrorCompletion(truth, G)); // the horizontal axis at the centre first
    expect(sym.length).toBe(3); // a vertical axis mirrors the bottom half onto itself: nothing to copy
    const [best] = referenceCandidates(known, fill, [bits(52, 0.3), truth, bits(53, 0.3)], 1);
    expect(best).toEqual(truth);
  });

  it('returns the lowest-scoring distinct candidates, best first, kept pixels exact, same for the same seed', () => {
    const fill = centreFill(G);
    const known = bits(54, 0.3);
    const refs = [bits(55, 0.3), bits(56, 0.3), bits(57, 0.3), bits(58, 0.3)];
    const job = { known, fill, count: 3, temperature: 1, seed: 2 };
    const [r] = rankCompletions(net, score, [job], { references: refs, nearest: 4, samples: 2, proposals: 2 });
    expect(r.sprites).toHaveLength(3);
    expect(r.candidates).toBeGreaterThanOrEqual(4);
    for (const s of r.sprites) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
    expect(r.scores).toEqual([...r.scores].sort((a, b) => a - b));
    expect(r.scores).toEqual(score(r.sprites));
    const pool = referenceCandidates(known, fill, refs, 4);
    expect(r.scores[0]).toBeLessThanOrEqual(Math.min(...score(pool)));
    expect(rankCompletions(net, score, [job], { references: refs, nearest: 4, samples: 2, proposals: 2 })[0]).toEqual(r);
  });

  it('per-pixel nats: plain JS sums to the sprite\'s bits, tfjs agrees', () => {
    const sprites = [bits(70, 0.3), bits(71, 0.5)];
    const js = pixelNats(net, sprites);
    const bpp = score(sprites);
    for (let i = 0; i < 2; i++) expect(js.subarray(i * N, (i + 1) * N).reduce((a, b) => a + b, 0) / Math.LN2 / N).toBeCloseTo(bpp[i], 5);
    const m = tfAr(tf, A, weights(50));
    const t = pixelNatsWith(tf, m, G, sprites);
    m.dispose();
    for (let p = 0; p < 2 * N; p++) expect(t[p]).toBeCloseTo(js[p], 3);
  });

  it('the 8 orientations are distinct permutations, identity first; flips and transposes as named', () => {
    const maps = orientations(G);
    expect(maps).toHaveLength(8);
    expect([...maps[0]]).toEqual([...Array(N).keys()]);
    for (const m of maps) expect([...m].sort((a, b) => a - b)).toEqual([...Array(N).keys()]);
    expect(new Set(maps.map((m) => m.join())).size).toBe(8);
    expect(maps[2][0]).toBe((G - 1) * G); // top-bottom flip: the first pixel read is the bottom-left one
    expect(maps[4][1]).toBe(G); // transpose: the second pixel read is the one below the first
  });

  it('explain scores: kept pixels read after the first hole pixel, plus λ × hole pixels, averaged over the orientations', () => {
    // one nat per pixel: the score counts pixels. Bottom half of 8×8: the hole is read after all kept pixels (identity,
    // left-right flip: 0), before them (top-bottom flip, 180°, and two transposes: 32), or from column 4 of row 0 (two transposes: 28).
    const ones = (s: readonly Uint8Array[]) => new Float32Array(s.length * N).fill(1);
    const fill = bottomHalfFill(G);
    expect(explainScores(ones, [bits(72)], fill, G, 0)).toEqual([(0 + 0 + 32 + 32 + 28 + 28 + 32 + 32) / 8]);
    expect(explainScores(ones, [bits(72), bits(73)], [fill, fill], G, 0.5)).toEqual([23 + 16, 23 + 16]);
    // with the model: the identity orientation's hole nats are the sprite's own −ln P(hole | kept part)
    const c = bits(74, 0.3);
    const own = pixelNats(net, [c]);
    let holeNats = 0;
    for (let p = 0; p < N; p++) if (fill[p]) holeNats += own[p];
    const onlyIdentity = (s: readonly Uint8Array[]) => {
      const out = pixelNats(net, s);
      out.fill(0, N); // keep the first view (the identity) only
      return out;
    };
    expect(explainScores(onlyIdentity, [c], fill, G, 1)[0] * 8).toBeCloseTo(holeNats, 4);
  });

  it('the explain judge: kept pixels exact, best first, deterministic; samples only when asked', () => {
    const fill = centreFill(G);
    const known = bits(75, 0.3);
    const refs = [bits(76, 0.3), bits(77, 0.3), bits(78, 0.3)];
    const job = { known, fill, count: 4, temperature: 1, seed: 3 };
    const nats = (s: readonly Uint8Array[]) => pixelNats(net, s);
    const o = { references: refs, nearest: 3, samples: 5, explain: { nats } };
    const [r] = rankCompletions(net, score, [job], o);
    for (const s of r.sprites) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
    expect(r.scores).toEqual([...r.scores].sort((a, b) => a - b));
    expect(r.scores).toEqual(explainScores(nats, r.sprites, fill, G));
    expect(rankCompletions(net, score, [job], o)[0]).toEqual(r);
    const [s] = rankCompletions(net, score, [{ ...job, count: 99 }], { ...o, structured: false });
    const drawn = completeJobs(net, [{ ...job, count: 5 }]).flat();
    expect(s.sampled.every(Boolean)).toBe(true);
    for (const x of s.sprites) expect(drawn.some((d) => d.every((v, p) => v === x[p]))).toBe(true);
  });

  it('mirror maps: across either axis, at the centre or one pixel off, −1 outside the grid', () => {
    const rows = mirrorMap(G, 'rows');
    const cols = mirrorMap(G, 'cols', -1);
    for (let y = 0; y < G; y++)
      for (let x = 0; x < G; x++) {
        expect(rows[y * G + x]).toBe((G - 1 - y) * G + x);
        expect(cols[y * G + x]).toBe(x === G - 1 ? -1 : y * G + G - 2 - x);
      }
    expect(mirrorMap(G, 'rows', 1)[0]).toBe(-1);
    expect(mirrorMap(G, 'rows', 1)[G]).toBe((G - 1) * G);
  });

  it('guided sampling (model × symmetry expert): no bias is plain sampling; a strong one mirrors the kept half exactly', () => {
    const fill = bottomHalfFill(G);
    const truth = bits(80, 0.4);
    // a top half symmetric left to right, so both axes agree
    for (let y = 0; y < G / 2; y++) for (let x = G / 2; x < G; x++) truth[y * G + x] = truth[y * G + G - 1 - x];
    const known = Uint8Array.from(truth, (v, p) => (fill[p] ? 0 : v));
    const job = { known, fill, count: 6, temperature: 1, seed: 4 };
    const plain = completeJobs(net, [job])[0];
    expect(completeJobs(net, [guidedJob(job, G, 0)])[0]).toEqual(plain);
    const strong = completeJobs(net, [guidedJob(job, G, 40)])[0];
    for (const s of strong) expect(s).toEqual(mirrorCompletion(truth, G));
    // a moderate bias still samples: kept pixels exact, same seed same sprites, closer to the mirror than plain samples
    const mid = completeJobs(net, [guidedJob(job, G, 2)])[0];
    expect(completeJobs(net, [guidedJob(job, G, 2)])[0]).toEqual(mid);
    for (const s of mid) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
    const off = (a: Uint8Array[]) => a.reduce((e, s) => e + fillError(s, mirrorCompletion(truth, G), fill), 0);
    expect(off(mid)).toBeLessThan(off(plain));
  });

  it('rankCompletions with a guide judges guided samples only', () => {
    const fill = bottomHalfFill(G);
    const known = Uint8Array.from(bits(81, 0.3), (v, p) => (fill[p] ? 0 : v));
    const job = { known, fill, count: 99, temperature: 1, seed: 5 };
    const nats = (s: readonly Uint8Array[]) => pixelNats(net, s);
    const [r] = rankCompletions(net, score, [job], { references: [], structured: false, samples: 6, explain: { nats }, guide: 2 });
    const drawn = completeJobs(net, [guidedJob({ ...job, count: 6 }, G, 2)])[0];
    expect(r.sampled.every(Boolean)).toBe(true);
    expect(r.sprites.length).toBe(new Set(drawn.map((d) => d.join())).size);
    for (const x of r.sprites) expect(drawn.some((d) => d.every((v, p) => v === x[p]))).toBe(true);
    expect(r.scores).toEqual(explainScores(nats, r.sprites, fill, G));
  });

  it('reference expert: one reference and a huge bias give its hole exactly; no bias is plain sampling; same seed, same sprites', () => {
    for (const fill of [bottomHalfFill(G), centreFill(G)]) {
      const truth = bits(82, 0.4);
      const ref = bits(83, 0.5);
      const known = Uint8Array.from(truth, (v, p) => (fill[p] ? 0 : v));
      const job = { known, fill, count: 5, temperature: 1, seed: 6 };
      const copy = Uint8Array.from(known, (v, p) => (fill[p] ? ref[p] : v));
      for (const s of completeJobs(net, [referenceJob(job, [ref], { nearest: 8, bias: 60, tau: 2 })])[0]) expect(s).toEqual(copy);
      expect(completeJobs(net, [referenceJob(job, [ref], { nearest: 8, bias: 0, tau: 2 })])[0]).toEqual(completeJobs(net, [job])[0]);
      const mid = completeJobs(net, [referenceJob(job, [ref, bits(84)], { nearest: 8, bias: 2, tau: 2 })])[0];
      expect(completeJobs(net, [referenceJob(job, [ref, bits(84)], { nearest: 8, bias: 2, tau: 2 })])[0]).toEqual(mid);
      for (const s of mid) for (let p = 0; p < N; p++) if (!fill[p]) expect(s[p]).toBe(known[p]);
    }
  });

  it('reference expert: the reference that agrees with the kept pixels (also those below the hole) wins; agreement with sampled pixels re-weights', () => {
    const fill = centreFill(G);
    const a = bits(85, 0.5);
    const b = Uint8Array.from(a, (v, p) => (fill[p] ? 1 - v : v));
    // b differs from a only in the hole, and from the input in 6 kept pixels, all after the hole in raster order
    const known = a.slice();
    let flipped = 0;
    for (let p = N - 1; flipped < 6; p--) if (!fill[p]) (known[p] = 1 - known[p]), flipped++;
    for (let p = 0; p < N; p++) if (fill[p]) known[p] = 0;
    b.forEach((v, p) => !fill[p] && (b[p] = known[p]));
    expect(nearestReferences(known, fill, [a, b], 1)).toEqual([b]);
    // sharp posterior, strong pull: every sample takes b's hole, whichever is listed first
    const job = { known, fill, count: 4, temperature: 1, seed: 7 };
    const want = Uint8Array.from(known, (v, p) => (fill[p] ? b[p] : v));
    for (const refs of [[a, b], [b, a]]) for (const s of completeJobs(net, [referenceJob(job, refs, { nearest: 2, bias: 60, tau: 0.5 })])[0]) expect(s).toEqual(want);
    // with a flat posterior over two references that disagree everywhere in the hole, the first sampled pixels decide the rest
    const equal = Uint8Array.from(a, (v, p) => (fill[p] ? 1 - v : v));
    const ka = Uint8Array.from(a, (v, p) => (fill[p] ? 0 : v));
    const drawn = completeJobs(net, [referenceJob({ ...job, known: ka, count: 8 }, [a, equal], { nearest: 2, bias: 8, tau: 0.25 })])[0];
    for (const s of drawn) {
      const offA = fillError(s, a, fill);
      expect(Math.min(offA, 1 - offA)).toBeLessThan(0.1);
    }
  });

  it('rankCompletions with a reference guide judges guided samples drawn towards the nearest references', () => {
    const fill = bottomHalfFill(G);
    const refs = [bits(86, 0.3), bits(87, 0.3), bits(88, 0.3)];
    const known = Uint8Array.from(bits(89, 0.3), (v, p) => (fill[p] ? 0 : v));
    const job = { known, fill, count: 99, temperature: 1, seed: 8 };
    const nats = (s: readonly Uint8Array[]) => pixelNats(net, s);
    const o = { nearest: 2, bias: 3, tau: 2 };
    const [r] = rankCompletions(net, score, [job], { references: refs, structured: false, samples: 6, explain: { nats }, guide: 2, refGuide: o });
    const drawn = completeJobs(net, [referenceJob(guidedJob({ ...job, count: 6 }, G, 2), refs, o)])[0];
    expect(r.sampled.every(Boolean)).toBe(true);
    for (const x of r.sprites) expect(drawn.some((d) => d.every((v, p) => v === x[p]))).toBe(true);
    expect(r.scores).toEqual(explainScores(nats, r.sprites, fill, G));
  });

  it('tuningHalf: ⌈n/2⌉ icons, chosen by name alone (the order of the list does not matter)', () => {
    const keys = Array.from({ length: 57 }, (_, i) => `set/icon-${i}.png`);
    const half = tuningHalf(keys);
    expect(half.filter(Boolean)).toHaveLength(29);
    const reversed = tuningHalf([...keys].reverse());
    expect(reversed.reverse()).toEqual(half);
    expect(tuningHalf(keys.slice(0, 4)).filter(Boolean)).toHaveLength(2);
  });

  it('a reference sheet round-trips its tiles (blank ones skipped) and refuses a size that is not whole tiles', () => {
    const icons = [bits(60, 0.3), bits(61, 0.3), bits(62, 0.3)];
    const sheet = referenceSheet(icons, G, 2);
    expect([sheet.width, sheet.height]).toEqual([2 * G, 2 * G]);
    expect(referenceTiles(sheet, G)).toEqual(icons);
    expect(referenceTiles({ ...sheet, width: 2 * G - 1, bits: sheet.bits.subarray(0, (2 * G - 1) * 2 * G) }, G)).toBeUndefined();
  });
});
