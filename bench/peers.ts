/**
 * npm run bench (second part): pixel's batch against the tools a user would
 * otherwise pick, on the 20 images of ../shared/data/devbench, end to end
 * (process start, decode, convert, encode, write), best of N rounds:
 *   - full-resolution Floyd–Steinberg → 1-bit PNG
 *   - the pixel-art job: long side 128, Floyd–Steinberg, ×8 nearest, PNG
 * run by pixel (`--jobs 1` and `--jobs 2`, the installed bin), and when
 * installed: Python PIL (`Image.convert('1')`, FS by default), ImageMagick
 * (`mogrify -colorspace Gray -dither FloydSteinberg -remap pattern:gray50`,
 * one process for the batch) and netpbm (`pamditherbw -fs`, one pipeline per
 * image, as a shell script would). Missing peers are skipped with a message.
 * Then `pixel staged` with nothing to do (hyperfine when installed).
 * Prints ms per image and the ratios from the same run. Needs `npm run build`.
 *
 *   node --import tsx bench/peers.ts [--rounds 3] [--json out.json]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'pixel.js');
const DEVBENCH = resolve(ROOT, '../shared/data/devbench');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROUNDS = Number(flag('rounds') ?? 3);

interface Timing {
  job: string;
  tool: string;
  msPerImage: number;
}

function time(cmd: string, argv: string[], cwd: string, opts: { shell?: boolean } = {}): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], shell: opts.shell });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ').slice(0, 200)} failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
  return ms;
}

function best(f: () => number, rounds = ROUNDS): number {
  f(); // warm the file cache and the tool
  let min = Infinity;
  for (let i = 0; i < rounds; i++) min = Math.min(min, f());
  return min;
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

/** A Python with PIL: `python3` on PATH, else the system one (Debian's python3-pil). */
function findPil(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import PIL; print(PIL.__version__)']);
    if (r.status === 0) return py;
  }
  return undefined;
}

/** The real ImageMagick (a stand-in named `convert` may sit earlier on PATH). */
function findMagick(): { cmd: string; pre: string[] } | undefined {
  for (const [cmd, pre] of [
    ['magick', ['mogrify']],
    ['/usr/bin/mogrify', []],
    ['mogrify', []],
  ] as const) {
    const r = spawnSync(cmd, [...pre, '-version']);
    if (r.status === 0 && r.stdout.toString().includes('ImageMagick')) return { cmd, pre: [...pre] };
  }
  return undefined;
}

const PIL_SCRIPT = `
import sys, os
from PIL import Image
job, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
for name in sorted(os.listdir(src)):
    if not name.endswith('.png'): continue
    im = Image.open(os.path.join(src, name)).convert('L')
    if job == 'art':
        w, h = im.size
        s = 128 / max(w, h)
        im = im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.BOX)
        im = im.convert('1')  # Floyd-Steinberg by default
        im = im.resize((im.width * 8, im.height * 8), Image.Resampling.NEAREST)
    else:
        im = im.convert('1')
    im.save(os.path.join(out, name))
`;

async function main() {
  if (!existsSync(DEVBENCH)) {
    console.log(`peers: devbench not found at ${DEVBENCH}; skipping.`);
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    console.log('peers: run `npm run build` first (the benchmark runs the installed bin).');
    return;
  }
  const names = readdirSync(DEVBENCH).filter((f) => f.endsWith('.png')).sort();
  const n = names.length;
  const work = mkdtempSync(join(tmpdir(), 'pixel-peers-'));
  console.log(`\npeers: ${n} images from devbench, end to end (process start included), best of ${ROUNDS}`);

  const jobs = {
    full: { title: 'full-resolution Floyd–Steinberg → 1-bit PNG', steps: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }] },
    art: {
      title: 'pixel-art: long side 128, FS, ×8 nearest, PNG',
      steps: [{ use: 'resize', longSide: 128 }, { use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }, { use: 'upscale', scale: 8 }],
    },
  } as const;

  const py = findPil();
  const magick = findMagick();
  const netpbm = ['pngtopam', 'ppmtopgm', 'pamditherbw', 'pamtopng'].every((c) => which(c)) ? true : false;
  if (!py) console.log('  Python PIL: not installed (python3 -c "import PIL" fails), skipped');
  if (!magick) console.log('  ImageMagick: not installed (no mogrify/magick reporting "ImageMagick"), skipped');
  if (!netpbm) console.log('  netpbm: not installed (pngtopam, ppmtopgm, pamditherbw, pamtopng), skipped');

  const results: Timing[] = [];
  for (const [key, job] of Object.entries(jobs)) {
    const dir = join(work, key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pixel.config.json'), JSON.stringify({ steps: job.steps }));
    const row = (tool: string, ms: number) => results.push({ job: job.title, tool, msPerImage: ms / n });
    for (const j of [1, 2]) {
      const out = join(dir, `pixel-j${j}`);
      row(`pixel --jobs ${j}`, best(() => time(process.execPath, [BIN, 'convert', DEVBENCH, '--out', out, '--jobs', String(j), '--force', '--overwrite', '--reporter', 'plain'], dir)));
    }
    if (py) {
      const out = join(dir, 'pil');
      mkdirSync(out, { recursive: true });
      row('Python PIL', best(() => time(py, ['-c', PIL_SCRIPT, key, DEVBENCH, out], dir)));
    }
    if (magick) {
      const out = join(dir, 'magick');
      mkdirSync(out, { recursive: true });
      const ops =
        key === 'art'
          ? ['-colorspace', 'Gray', '-filter', 'Box', '-resize', '128x128', '-dither', 'FloydSteinberg', '-remap', 'pattern:gray50', '-filter', 'Point', '-scale', '800%']
          : ['-colorspace', 'Gray', '-dither', 'FloydSteinberg', '-remap', 'pattern:gray50'];
      row('ImageMagick', best(() => time(magick.cmd, [...magick.pre, '-path', out, ...ops, '-format', 'png', ...names.map((f) => join(DEVBENCH, f))], dir)));
    }
    if (netpbm) {
      const out = join(dir, 'netpbm');
      mkdirSync(out, { recursive: true });
      const scale = key === 'art' ? '| pamscale -xyfit 128 128 -filter box ' : '';
      const enlarge = key === 'art' ? '| pamenlarge 8 ' : '';
      const script = names.map((f) => `pngtopam "${join(DEVBENCH, f)}" | ppmtopgm ${scale}| pamditherbw -fs ${enlarge}| pamtopng > "${join(out, f)}"`).join('\n');
      writeFileSync(join(dir, 'netpbm.sh'), `set -e\n${script}\n`);
      row('netpbm', best(() => time('sh', [join(dir, 'netpbm.sh')], dir)));
    }
  }

  // Print per job: ms/image and pixel (--jobs 2) / peer.
  for (const job of Object.values(jobs)) {
    const rows = results.filter((r) => r.job === job.title);
    const j1 = rows.find((r) => r.tool === 'pixel --jobs 1')!.msPerImage;
    const j2 = rows.find((r) => r.tool === 'pixel --jobs 2')!.msPerImage;
    console.log(`\n${job.title}`);
    for (const r of rows) {
      const ratio = r.tool.startsWith('pixel') ? '' : `   pixel --jobs 2 is ${(r.msPerImage / j2).toFixed(2)}× as fast (pixel/peer time ${(j2 / r.msPerImage).toFixed(2)}; --jobs 1: ${(j1 / r.msPerImage).toFixed(2)})`;
      console.log(`  ${r.tool.padEnd(16)} ${r.msPerImage.toFixed(1).padStart(7)} ms/image${ratio}`);
    }
    console.log(`  --jobs 2 speed-up over --jobs 1: ${(j1 / j2).toFixed(2)}×`);
  }

  // `pixel staged` with nothing to do, in a fresh repository.
  const repo = join(work, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(join(repo, 'package.json'), '{"name":"x"}');
  let stagedMs: number;
  const hyperfine = which('hyperfine');
  if (hyperfine) {
    const json = join(work, 'hyperfine.json');
    execFileSync(hyperfine, ['-N', '--warmup', '3', '--runs', '20', '--export-json', json, `${process.execPath} ${BIN} staged`], { cwd: repo, stdio: 'ignore' });
    stagedMs = (await import(json, { with: { type: 'json' } })).default.results[0].median * 1000;
  } else {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(time(process.execPath, [BIN, 'staged'], repo));
    stagedMs = times.sort((a, b) => a - b)[10];
  }
  const nodeMs = best(() => time(process.execPath, ['-e', '0'], repo), 10);
  console.log(`\npixel staged, nothing staged: ${stagedMs.toFixed(0)} ms median${hyperfine ? ' (hyperfine)' : ''} (bare \`node -e 0\`: ${nodeMs.toFixed(0)} ms)`);

  const out = flag('json');
  if (out) writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), images: n, results, stagedNoopMs: stagedMs, nodeMs }, null, 2));
  rmSync(work, { recursive: true, force: true });
}

await main();
