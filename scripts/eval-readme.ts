/**
 * npm run eval:readme: the README's quality section, measured on
 * ../shared/data/devbench with every method (src/eval, as `pixel eval`):
 *   docs/eval-grid128.md  pixel-art job, long side 128
 *   docs/eval-full512.md  halftone job, long side 512
 *   docs/eval-sheet.png   a few sources × the main methods at grid 128 (kept < 1 MB)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { methodColumns } from '../src/cli/commands/eval-methods.js';
import { evalSheet, evaluateSet, markdownTables, type EvalJob } from '../src/eval/index.js';
import { findInputs } from '../src/files/inputs.js';
import { ditherOptionsSchema } from '../src/plugins/dither/index.js';
import { thresholdSchema } from '../src/plugins/threshold/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const DEVBENCH = resolve(ROOT, '../shared/data/devbench');
const DOCS = join(ROOT, 'docs');
/** Sources on the sheet: a photo, architecture (straight lines) and line art (structure shows most there). */
const SHEET_FILES = ['d01_cat.png', 'd07_building.png', 'd20_konqui.png'];
const SHEET_METHODS = ['threshold', 'floyd-steinberg', 'atkinson', 'bayer-8', 'blue-noise', 'ostromoukhov', 'riemersma', 'dot-diffusion', 'dbs'];
const SHEET_LIMIT = 1024 * 1024;

if (!existsSync(DEVBENCH)) {
  console.error(`devbench not found at ${DEVBENCH}`);
  process.exit(1);
}
mkdirSync(DOCS, { recursive: true });
const { files } = await findInputs([DEVBENCH], ROOT);
// Every method, plus the edge-aware variants of Floyd–Steinberg and threshold where the plugin has the option.
const specs = ['all', ...('edgeAware' in ditherOptionsSchema ? ['floyd-steinberg:edge-aware'] : []), ...('edgeAware' in thresholdSchema ? ['threshold:edge-aware'] : [])];
const columns = methodColumns(specs);
const machine = `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, one thread`;
console.log(`${files.length} images, ${columns.length} methods: ${columns.map((c) => c.name).join(', ')}`);

async function table(job: EvalJob, file: string, title: string): Promise<void> {
  const t0 = performance.now();
  const result = await evaluateSet(files, {
    columns,
    job,
    onSkip: (f, e) => console.error(e.format()),
    onDrop: (name, e) => console.error(`\n${name} left out: ${e.message}`),
    onProgress: (k, n) => process.stderr.write(`\r${title}: [${k}/${n}]`),
  });
  process.stderr.write('\n');
  const md = `### ${title}\n\n${markdownTables(result).replaceAll(`${ROOT}/`, '')}\nMeasured by \`npm run eval:readme\` (${machine}). Methods with options are written \`name:option\` as in \`pixel eval --methods\`.\n`;
  writeFileSync(join(DOCS, file), md);
  console.log(`wrote docs/${file} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

await table({ kind: 'grid', longSide: 128 }, 'eval-grid128.md', 'Pixel-art job: grid 128 on devbench');
await table({ kind: 'full', longSide: 512 }, 'eval-full512.md', 'Halftone job: full resolution, long side 512, on devbench');

// The sheet: a few rows, the main methods that exist in this build.
const wanted = SHEET_FILES.map((f) => files.find((x) => x.relative === f)).filter((f) => f !== undefined);
const sheetFiles = wanted.length > 0 ? wanted : files.slice(0, 3);
const sheetColumns = methodColumns(SHEET_METHODS.filter((m) => columns.some((c) => c.name === m)), '--methods').map((c) => ({ ...c, optional: true }));
for (let rows = sheetFiles.length; rows >= 1; rows--) {
  const result = await evaluateSet(sheetFiles.slice(0, rows), { columns: sheetColumns, job: { kind: 'grid', longSide: 128 }, keep: rows, warmup: false });
  const png = await evalSheet(result);
  if (png.length < SHEET_LIMIT || rows === 1) {
    writeFileSync(join(DOCS, 'eval-sheet.png'), png);
    console.log(`wrote docs/eval-sheet.png (${rows} rows × ${sheetColumns.length + 1} columns, ${(png.length / 1024).toFixed(0)} KiB)`);
    break;
  }
}
