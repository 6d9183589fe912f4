/**
 * npm run bench (second part): pixel's batch against the tools a user would
 * otherwise pick, end to end (process start, decode, convert, encode, write),
 * best of N rounds, on workloads generated from ../shared/data/devbench
 * (bench/workloads.ts):
 *   - asset folder (200 PNGs) → pixel art (long side 128, FS, ×8 nearest)
 *   - 12 photos (4032×3024 JPEG) → pixel art, and → full-resolution FS → 1-bit PNG
 *   - the 20 devbench files as they are, both jobs
 * run by pixel (default flags, `--jobs 1`, `--jobs 2`; the installed bin) and,
 * when installed: Python PIL (plain, and with `draft()` on the JPEG job:
 * what `thumbnail()` does), ImageMagick (`mogrify`, one process per batch)
 * and netpbm (one pipeline per image, as a shell script would), and the
 * floor of any sharp-based job: Node, sharp and the decoding alone
 * (bench/decode-floor.mjs; for JPEGs also at 1/8, as draft() decodes), and
 * PIL's: its decoding to gray alone (with draft() where that job uses it). Missing peers
 * are skipped with a message. Prints ms/image, CPU s/image (user + system of
 * the whole process tree) and how many times faster pixel (default flags) is.
 * Then start-up: `pixel staged` with nothing to do and a one-image convert
 * against `node -e 0` (hyperfine when installed). Needs `npm run build`.
 *
 *   node --import tsx bench/peers.ts [--rounds 3] [--only assets,photos,devbench] [--work dir] [--json out.json]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeWorkloads, type Workload } from './workloads.js';
import { SHRINK_MARGIN } from '../src/plugins/resize/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'pixel.js');
const DEVBENCH = resolve(ROOT, '../shared/data/devbench');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROUNDS = Number(flag('rounds') ?? 3);
const ONLY = new Set((flag('only') ?? 'assets,photos,devbench').split(','));

interface Timing {
  job: string;
  tool: string;
  msPerImage: number;
  cpuPerImage: number;
}

/** Wall ms and CPU s (user + system of everything the command started, from the shell's `times`). */
function time(cmd: string, argv: string[], cwd: string): { ms: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', '"$@" >/dev/null || exit $?; times', 'sh', cmd, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ').slice(0, 200)} failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.056s".
  const children = r.stdout.toString().trim().split('\n').at(-1) ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { ms, cpu: secs.reduce((a, b) => a + b, 0) };
}

function best(f: () => { ms: number; cpu: number }, rounds = ROUNDS): { ms: number; cpu: number } {
  let min = { ms: Infinity, cpu: Infinity };
  for (let i = 0; i < rounds; i++) {
    const t = f();
    if (t.ms < min.ms) min = t;
  }
  return min;
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

/** A Python with PIL: the system one first (Debian's python3-pil), else `python3` on PATH. */
function findPil(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
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
job, draft, src, out = sys.argv[1], sys.argv[2] == 'draft', sys.argv[3], sys.argv[4]
for name in sorted(os.listdir(src)):
    if not (name.endswith('.png') or name.endswith('.jpg')): continue
    im = Image.open(os.path.join(src, name))
    w, h = im.size
    s = 128 / max(w, h)
    size = (max(1, round(w * s)), max(1, round(h * s)))  # the art job's grid
    if draft:
        im.draft('L', (size[0] * 2, size[1] * 2))  # as thumbnail() does (reducing_gap 2)
    if job == 'decode':  # PIL's floor: decoding to gray alone
        im.convert('L')
        continue
    if job == 'art':
        im = im.convert('L').resize(size, Image.Resampling.BOX)
        im = im.convert('1')  # Floyd-Steinberg by default
        im = im.resize((im.width * 8, im.height * 8), Image.Resampling.NEAREST)
    else:
        im = im.convert('L').convert('1')
    im.save(os.path.join(out, os.path.splitext(name)[0] + '.png'))
`;

const STEPS = {
  full: [{ use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }],
  art: [{ use: 'resize', longSide: 128 }, { use: 'adjust' }, { use: 'dither', method: 'floyd-steinberg' }, { use: 'upscale', scale: 8 }],
} as const;
const TITLES = { full: 'full-resolution Floyd–Steinberg → 1-bit PNG', art: 'pixel art: long side 128, FS, ×8 nearest, PNG' };

async function main() {
  if (!existsSync(DEVBENCH)) {
    console.log(`peers: devbench not found at ${DEVBENCH}; skipping.`);
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    console.log('peers: run `npm run build` first (the benchmark runs the installed bin).');
    return;
  }
  const keep = flag('work');
  const work = keep ?? mkdtempSync(join(tmpdir(), 'pixel-peers-'));
  const loads = await makeWorkloads(DEVBENCH, join(work, 'workloads'));
  const py = findPil();
  const magick = findMagick();
  const netpbm = ['pngtopam', 'jpegtopnm', 'ppmtopgm', 'pamscale', 'pamditherbw', 'pamenlarge', 'pamtopng'].every((c) => which(c));
  if (!py) console.log('  Python PIL: not installed (python3 -c "import PIL" fails), skipped');
  if (!magick) console.log('  ImageMagick: not installed (no mogrify/magick reporting "ImageMagick"), skipped');
  if (!netpbm) console.log('  netpbm: not installed (pngtopam, jpegtopnm, ppmtopgm, pamscale, pamditherbw, pamenlarge, pamtopng), skipped');
  console.log(`peers: end to end (process start included), best of ${ROUNDS}; CPU = user + system of the whole run`);

  const jobs: Array<{ load: Workload; kind: keyof typeof STEPS }> = [];
  if (ONLY.has('assets')) jobs.push({ load: loads.assets, kind: 'art' });
  if (ONLY.has('photos')) jobs.push({ load: loads.photos, kind: 'art' }, { load: loads.photos, kind: 'full' });
  if (ONLY.has('devbench')) jobs.push({ load: loads.devbench, kind: 'full' }, { load: loads.devbench, kind: 'art' });

  const results: Timing[] = [];
  for (const [index, { load, kind }] of jobs.entries()) {
    const title = `${load.name} → ${TITLES[kind]}`;
    const dir = join(work, `job-${index}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pixel.config.json'), JSON.stringify({ steps: STEPS[kind] }));
    const n = load.files.length;
    const rows: Timing[] = [];
    const row = (tool: string, t: { ms: number; cpu: number }) => {
      const r = { job: title, tool, msPerImage: t.ms / n, cpuPerImage: t.cpu / n };
      rows.push(r);
      results.push(r);
    };
    for (const j of ['default', '1', '2']) {
      const out = join(dir, `pixel-${j}`);
      const jobsFlag = j === 'default' ? [] : ['--jobs', j];
      row(j === 'default' ? 'pixel' : `pixel --jobs ${j}`, best(() => time(process.execPath, [BIN, 'convert', load.dir, '--out', out, ...jobsFlag, '--force', '--overwrite', '--reporter', 'plain'], dir)));
    }
    // The floor: Node, sharp, and decoding alone (two at a time), at the size pixel decodes and, for JPEGs, at 1/8.
    const floor = join(ROOT, 'bench', 'decode-floor.mjs');
    row('floor: decode only', best(() => time(process.execPath, [floor, load.dir, ...(kind === 'art' ? [String(128 * SHRINK_MARGIN)] : [])], dir)));
    if (kind === 'art' && load.files.some((f) => f.endsWith('.jpg'))) row('floor: decode at 1/8', best(() => time(process.execPath, [floor, load.dir, '1/8'], dir)));
    if (py) {
      const out = join(dir, 'pil');
      mkdirSync(out, { recursive: true });
      row('Python PIL', best(() => time(py, ['-c', PIL_SCRIPT, kind, 'plain', load.dir, out], dir)));
      if (kind === 'art' && load.files.some((f) => f.endsWith('.jpg'))) row('PIL with draft()', best(() => time(py, ['-c', PIL_SCRIPT, kind, 'draft', load.dir, out], dir)));
      // PIL's own floor: its decoding alone (one process, as its job runs).
      row('PIL: decode only', best(() => time(py, ['-c', PIL_SCRIPT, 'decode', 'plain', load.dir, out], dir)));
      if (kind === 'art' && load.files.some((f) => f.endsWith('.jpg'))) row('PIL draft(): decode', best(() => time(py, ['-c', PIL_SCRIPT, 'decode', 'draft', load.dir, out], dir)));
    }
    if (magick) {
      const out = join(dir, 'magick');
      mkdirSync(out, { recursive: true });
      const ops =
        kind === 'art'
          ? ['-colorspace', 'Gray', '-filter', 'Box', '-resize', '128x128', '-dither', 'FloydSteinberg', '-remap', 'pattern:gray50', '-filter', 'Point', '-scale', '800%']
          : ['-colorspace', 'Gray', '-dither', 'FloydSteinberg', '-remap', 'pattern:gray50'];
      row('ImageMagick', best(() => time(magick.cmd, [...magick.pre, '-path', out, ...ops, '-format', 'png', ...load.files.map((f) => join(load.dir, f))], dir)));
    }
    if (netpbm) {
      const out = join(dir, 'netpbm');
      mkdirSync(out, { recursive: true });
      const scale = kind === 'art' ? '| pamscale -xyfit 128 128 -filter box ' : '';
      const enlarge = kind === 'art' ? '| pamenlarge 8 ' : '';
      const script = load.files
        .map((f) => `${f.endsWith('.jpg') ? 'jpegtopnm' : 'pngtopam'} "${join(load.dir, f)}" | ppmtopgm ${scale}| pamditherbw -fs ${enlarge}| pamtopng > "${join(out, f.replace(/\.\w+$/, '.png'))}"`)
        .join('\n');
      writeFileSync(join(dir, 'netpbm.sh'), `set -e\n${script}\n`);
      row('netpbm', best(() => time('sh', [join(dir, 'netpbm.sh')], dir)));
    }
    const pixel = rows[0];
    console.log(`\n${title} (${n} images)`);
    console.log(`  ${'tool'.padEnd(18)} ${'ms/image'.padStart(9)} ${'CPU s/image'.padStart(12)}   time and CPU of this tool ÷ pixel's (default flags): > 1 means pixel is faster / uses less`);
    for (const r of rows) {
      const ratio = r === pixel ? '' : `time ${(r.msPerImage / pixel.msPerImage).toFixed(2)}×, CPU ${(r.cpuPerImage / pixel.cpuPerImage).toFixed(2)}×`;
      console.log(`  ${r.tool.padEnd(18)} ${r.msPerImage.toFixed(1).padStart(9)} ${r.cpuPerImage.toFixed(4).padStart(12)}   ${ratio}`);
    }
  }

  // Start-up: `pixel staged` with nothing to do (a fresh repository), and one small image converted.
  const repo = join(work, 'repo');
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(join(repo, 'package.json'), '{"name":"x"}');
  const one = join(DEVBENCH, loads.devbench.files[0]);
  const commands = {
    node: `${process.execPath} -e 0`,
    staged: `${process.execPath} ${BIN} staged`,
    convert: `${process.execPath} ${BIN} convert ${one} --out ${join(work, 'one')} --force --overwrite --reporter plain`,
  };
  const startup: Record<string, number> = {};
  const hyperfine = which('hyperfine');
  for (const [name, command] of Object.entries(commands)) {
    if (hyperfine) {
      const json = join(work, `hyperfine-${name}.json`);
      execFileSync(hyperfine, ['-N', '--warmup', '3', '--runs', '20', '--export-json', json, command], { cwd: repo, stdio: 'ignore' });
      startup[name] = JSON.parse(readFileSync(json, 'utf8')).results[0].median * 1000;
    } else {
      const [cmd, ...rest] = command.split(' ');
      const times: number[] = [];
      for (let i = 0; i < 20; i++) times.push(time(cmd, rest, repo).ms);
      startup[name] = times.sort((a, b) => a - b)[10];
    }
  }
  console.log(
    `\nstart-up, median${hyperfine ? ' (hyperfine)' : ''}: node -e 0 ${startup.node.toFixed(0)} ms; pixel staged, nothing staged ${startup.staged.toFixed(0)} ms (+${(startup.staged - startup.node).toFixed(0)}); ` +
      `pixel convert, one ${loads.devbench.files[0]} ${startup.convert.toFixed(0)} ms (+${(startup.convert - startup.node).toFixed(0)})`,
  );

  const out = flag('json');
  if (out) writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), rounds: ROUNDS, results, startup }, null, 2));
  if (!keep) rmSync(work, { recursive: true, force: true });
}

await main();
