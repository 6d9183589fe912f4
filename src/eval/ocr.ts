/**
 * Text legibility for `pixel eval --ocr`: a real OCR engine (the tesseract
 * command, Debian `tesseract-ocr`; not an npm dependency, so it is optional
 * and looked for on the PATH) reads each binary output, and the result is
 * compared with the text the image is known to show: a sidecar
 * `<image>.txt` beside it (scripts/text-set.ts writes them).
 *
 * Character accuracy = max(0, 1 − edit distance / length of the truth),
 * after collapsing runs of white space (line breaks count as one space).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { encodePng1 } from '../image/encode/png.js';
import type { BinaryTensor } from '../pipeline/types.js';
import { upscaleInteger } from '../plugins/upscale/kernels.js';
import { editDistance } from '../pipeline/messages.js';

export { editDistance };

/** The tesseract command, when it runs here; undefined otherwise. */
export function findTesseract(command = 'tesseract'): string | undefined {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? command : undefined;
}

/** The text a source image is known to show (its `.txt` sidecar), or undefined. */
export async function truthFor(path: string): Promise<string | undefined> {
  try {
    return await readFile(path.replace(/\.[^./\\]+$/, '.txt'), 'utf8');
  } catch {
    return undefined;
  }
}

export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function charAccuracy(truth: string, read: string): number {
  const t = normaliseText(truth);
  const r = normaliseText(read);
  if (t.length === 0) return r.length === 0 ? 1 : 0;
  return Math.max(0, 1 - editDistance(t, r) / t.length);
}

/**
 * Grid pixels as the OCR engine sees them: 1, the output as stored. Measured
 * on the text set: every method reads better at 1× than at 2–4× (a dither or
 * pattern dot blown up to a block reads as a mark; at 1× it is noise).
 */
export const OCR_SCALE = 1;

/**
 * What tesseract reads in a binary image: shown ×OCR_SCALE with a 16-px paper
 * margin, page segmentation 6 (one uniform block of text), as a 1-bit PNG on
 * stdin.
 */
export function readText(image: BinaryTensor, command = 'tesseract'): Promise<string> {
  const s = OCR_SCALE;
  const big = upscaleInteger(image.data, image.width, image.height, 1, s);
  const bw = image.width * s;
  const m = 16;
  const framed: BinaryTensor = { width: bw + 2 * m, height: image.height * s + 2 * m, channels: 1, range: 'binary', space: 'linear', data: new Uint8Array(0) };
  framed.data = new Uint8Array(framed.width * framed.height).fill(1);
  for (let y = 0; y < image.height * s; y++) framed.data.set(big.subarray(y * bw, (y + 1) * bw), (y + m) * framed.width + m);
  const png = encodePng1(framed);
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['stdin', 'stdout', '--psm', '6', '-l', 'eng'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tesseract exited with ${code}: ${err.trim()}`))));
    child.stdin.end(png);
  });
}
