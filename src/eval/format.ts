/**
 * How an evaluation is shown: aligned text tables for the terminal, markdown
 * tables for the README, a plain JSON object for tools.
 */
import type { ColumnSummary, EvalResult } from './evaluate.js';
import type { EvalJob, EvalSpace } from './reference.js';
import type { Stat } from './statistics.js';

export const SPACE_TITLES: Record<EvalSpace, string> = {
  linear: 'Linear light (primary)',
  srgb: 'sRGB-coded (secondary)',
};

export function jobTitle(job: EvalJob): string {
  return job.kind === 'grid'
    ? `Pixel-art job: long side ${job.longSide} (box resize in linear light), binarized and scored at the grid`
    : `Halftone job: source at long side ${job.longSide} (box resize in linear light), binarized and scored at full resolution`;
}

function fmt(v: number, digits: number, sign = false): string {
  if (!Number.isFinite(v)) return '–';
  const text = v.toFixed(digits);
  // Values that round to zero print as 0.000, without a sign that would mean nothing.
  if (Number(text) === 0) return (0).toFixed(digits);
  return sign && v > 0 ? `+${text}` : text;
}
const pm = (s: Stat, digits: number, sign = false) => `${fmt(s.mean, digits, sign)} ± ${fmt(s.sd, digits)}`;

interface Cell {
  head: string;
  value: (c: ColumnSummary) => string;
  /** Numbers align right. */
  right: boolean;
}

function cellsFor(space: EvalSpace, withMs: boolean, withOcr = false): Cell[] {
  const s = (c: ColumnSummary) => c[space]!;
  const cells: Cell[] = [
    { head: 'method', value: (c) => c.name, right: false },
    { head: 'PSNR σ1.5 dB', value: (c) => pm(s(c).tonePsnr15, 2), right: true },
    { head: 'PSNR σ1.0 dB', value: (c) => pm(s(c).tonePsnr10, 2), right: true },
    { head: 'SSIM', value: (c) => pm(s(c).ssim, 3), right: true },
    { head: 'tone bias', value: (c) => pm(s(c).toneBias, 3, true), right: true },
    { head: 'PSNR σ2 dB', value: (c) => fmt(s(c).tonePsnr20.mean, 2), right: true },
    { head: 'edge F1', value: (c) => fmt(s(c).edgeF1.mean, 3), right: true },
    { head: 'orphans %', value: (c) => fmt(100 * s(c).orphans.mean, 2), right: true },
    { head: 'orphans4 %', value: (c) => fmt(100 * s(c).orphans4.mean, 1), right: true },
  ];
  if (withOcr) cells.push({ head: 'OCR chars', value: (c) => (c.ocr ? pm(c.ocr, 3) : '–'), right: true });
  if (withMs) {
    cells.push({ head: 'ms binarize', value: (c) => fmt(c.msBinarize.mean, 2), right: true });
    cells.push({ head: 'ms total', value: (c) => fmt(c.msTotal.mean, 2), right: true });
  }
  return cells;
}

/** The spaces to print, in order: linear first (primary) when present. */
function printed(result: EvalResult, spaces?: readonly EvalSpace[]): EvalSpace[] {
  return result.spaces.filter((s) => !spaces || spaces.includes(s));
}

/**
 * Terminal tables: one per space, a row per method in the order given,
 * mean ± sd over the scored images; ms per image in the first table.
 */
export function formatTables(result: EvalResult, spaces?: readonly EvalSpace[]): string {
  const scored = result.images.length - result.skipped;
  const lines: string[] = [
    jobTitle(result.job),
    `${scored} image${scored === 1 ? '' : 's'} scored${result.skipped ? `, ${result.skipped} skipped` : ''}; mean ± sd over images; ms per image (binarizer alone, and decode + resize + steps)`,
  ];
  printed(result, spaces).forEach((space, i) => {
    const cells = cellsFor(space, i === 0, i === 0 && result.columns.some((c) => c.ocr));
    const rows = [cells.map((c) => c.head), ...result.columns.map((col) => cells.map((c) => c.value(col)))];
    const widths = cells.map((_, k) => Math.max(...rows.map((r) => [...r[k]].length)));
    lines.push('', SPACE_TITLES[space]);
    for (const r of rows)
      lines.push(
        r
          .map((v, k) => (cells[k].right ? v.padStart(widths[k]) : v.padEnd(widths[k])))
          .join('  ')
          .trimEnd(),
      );
  });
  if (result.dropped.length > 0) {
    lines.push('', 'Not evaluated:');
    for (const d of result.dropped) lines.push(`  ${d.name}: ${d.message}`);
  }
  const skipped = result.images.filter((i) => i.skipped);
  if (skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const s of skipped) if (s.skipped) lines.push(`  ${s.file}: ${s.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Markdown tables (README-ready): the same figures as formatTables. */
export function markdownTables(result: EvalResult, spaces?: readonly EvalSpace[]): string {
  const scored = result.images.length - result.skipped;
  const out: string[] = [`${jobTitle(result.job)}. ${scored} images; mean ± sd over images; ms per image on one thread.`];
  printed(result, spaces).forEach((space, i) => {
    const cells = cellsFor(space, i === 0, i === 0 && result.columns.some((c) => c.ocr));
    out.push('', `**${SPACE_TITLES[space]}**`, '');
    out.push(`| ${cells.map((c) => c.head).join(' | ')} |`);
    out.push(`|${cells.map((c) => (c.right ? '---:' : '---')).join('|')}|`);
    for (const col of result.columns) out.push(`| ${cells.map((c) => c.value(col)).join(' | ')} |`);
  });
  if (result.dropped.length > 0) out.push('', `Not evaluated: ${result.dropped.map((d) => `${d.name} (${d.message})`).join('; ')}.`);
  return `${out.join('\n')}\n`;
}

/** The numbers as plain JSON data (per method and per image); no pixels. */
export function toJson(result: EvalResult): object {
  return {
    job: result.job,
    spaces: result.spaces,
    count: { images: result.images.length, scored: result.images.length - result.skipped, skipped: result.skipped },
    ms: result.ms,
    methods: result.columns,
    dropped: result.dropped,
    images: result.images,
  };
}
