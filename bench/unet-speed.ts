/**
 * unet inference speed: a 256×256 (and 128×96) linear gray image through the
 * whole step (U-Net + error diffusion), median of 15 runs after 3 warm-ups.
 *   node --import tsx bench/unet-speed.ts [model.png] [--cpu]
 */
import { unet } from '../src/plugins/unet/index.js';
import type { StepContext, ToneTensor } from '../src/pipeline/types.js';

const args = process.argv.slice(2);
const model = args.find((a) => !a.startsWith('--')) ?? 'default';
const backends = args.includes('--cpu') ? ['wasm', 'cpu'] : ['wasm'];
const ctx: StepContext = { warn() {} };

function image(w: number, h: number): ToneTensor {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = 0.5 + 0.45 * Math.sin(x / 9) * Math.cos(y / 13);
  return { width: w, height: h, channels: 1, range: 'unit', space: 'linear', data };
}

for (const backend of backends) {
  const t0 = performance.now();
  const step = await unet.create(unet.parseOptions({ model, backend }, 'unet'));
  const load = performance.now() - t0;
  for (const [w, h] of [[256, 256], [128, 96]]) {
    const img = image(w, h);
    const runs = backend === 'cpu' ? 3 : 15;
    for (let i = 0; i < (backend === 'cpu' ? 1 : 3); i++) await step.run(img, ctx);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await step.run(img, ctx);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    console.log(`${backend.padEnd(5)} ${w}×${h}: median ${times[times.length >> 1].toFixed(1)} ms, best ${times[0].toFixed(1)} ms (create incl. tfjs load ${load.toFixed(0)} ms)`);
  }
  await step.dispose!();
}
