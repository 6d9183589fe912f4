/**
 * sprite model speed: sampling 16 sprites (plain JS, one batched pass),
 * completing the bottom half of 4 sprites, scoring 100 sprites (tfjs
 * wasm, one parallel pass), ranking the bottom half of 1 sprite and
 * judging the central square of 1 sprite by the explain judge (32 samples
 * and the candidates, 8 orientations each, tfjs; complete.ts); medians of 5
 * runs after 1 warm-up, CPU and wall time;
 * model load and tfjs start-up are reported apart.
 *   node --import tsx bench/sprite-speed.ts [model.png]
 */
import { bottomHalfFill, centreFill } from '../src/sprite/eval.js';
import { completeSprites, loadArModel, pixelNatsWith, sampleRows, scoreSprites, scoreSpritesWith, tfAr } from '../src/sprite/ar.js';
import { defaultArModelPath, defaultRefsPath } from '../src/sprite/sheet.js';
import { rankCompletions, referenceTiles } from '../src/sprite/complete.js';
import { readBits } from '../src/sprite/data.js';
import { mirrorBits } from '../src/sprite/split.js';
import { useBackend } from '../src/nn/tf.js';
import { rng } from '../src/nn/data.js';

const file = process.argv[2] ?? defaultArModelPath();
const t0 = performance.now();
const model = loadArModel(file);
const load = performance.now() - t0;
const g = model.arch.grid;
const next = rng(1);
const sprites = Array.from({ length: 100 }, () => Uint8Array.from({ length: g * g }, () => (next() < 0.15 ? 1 : 0)));

/** Median wall and CPU (user + sys) milliseconds of `runs` runs after one warm-up; CPU time is what a shared machine does not inflate. */
function median(fn: () => void, runs = 5): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    wall.push(performance.now() - s);
    cpu.push((d.user + d.system) / 1000);
  }
  const mid = (a: number[]) => a.sort((x, y) => x - y)[runs >> 1];
  return { wall: mid(wall), cpu: mid(cpu) };
}
const ms = (t: { wall: number; cpu: number }) => `${t.cpu.toFixed(0)} ms CPU (${t.wall.toFixed(0)} ms wall)`;

const t1 = performance.now();
const { tf } = await useBackend('wasm');
const tfm = tfAr(tf, model.arch, model.weights);
const start = performance.now() - t1;
const sample = median(() => sampleRows(model.net, [1], 16, 1));
const complete = median(() => completeSprites(model.net, sprites[0], bottomHalfFill(g), { count: 4, temperature: 1, seed: 1 }));
const score = median(() => scoreSpritesWith(tf, tfm, g, sprites));
const tiles = referenceTiles(await readBits(defaultRefsPath()), g) ?? [];
const references = [...tiles, ...tiles.map((t) => mirrorBits(t, g))];
const rank = median(() => rankCompletions(model.net, (s) => scoreSprites(model.net, s), [{ known: sprites[0], fill: bottomHalfFill(g), count: 4, temperature: 1, seed: 1 }], { references }));
const explain = median(() =>
  rankCompletions(model.net, () => [], [{ known: sprites[0], fill: centreFill(g), count: 4, temperature: 1, seed: 1 }], { references, samples: 32, explain: { nats: (s) => pixelNatsWith(tf, tfm, g, s) } }),
);
tfm.dispose();
console.log(`${file}: ${model.arch.type}, load ${load.toFixed(0)} ms, tfjs start ${start.toFixed(0)} ms`);
console.log(`sample 16 sprites: ${ms(sample)}; complete 4 bottom halves: ${ms(complete)}; score 100 sprites: ${ms(score)}; rank the bottom half of 1 sprite: ${ms(rank)}; explain the central square of 1 sprite: ${ms(explain)} (medians of 5)`);
