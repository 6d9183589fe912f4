/** One line per file and a summary: for CI logs, git hooks and pipes. */
import type { FileResult, IO, Reporter, Summary } from './types.js';

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "3 converted, 2 unchanged, 0 skipped, 1 failed": zero counts of the rarer kinds are left out. */
export function summaryLine(s: Summary): string {
  const parts = [s.planned ? `${s.planned} planned` : `${s.converted} converted`];
  if (s.unchanged) parts.push(`${s.unchanged} unchanged`);
  parts.push(`${s.skipped} skipped`, `${s.failed} failed`);
  if (s.stale) parts.push(`${s.stale} stale`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.cancelled) parts.push(`${s.cancelled} not run`);
  return `${parts.join(', ')} in ${(s.ms / 1000).toFixed(2)} s`;
}

export function plainReporter(io: IO): Reporter {
  return {
    start() {},
    file(r: FileResult) {
      const warn = (r.warnings ?? []).map((w) => `\n  warning: ${w}`).join('');
      if (r.status === 'converted') io.stdout(`ok    ${r.input} -> ${r.output} (${formatBytes(r.bytes ?? 0)}, ${Math.round(r.ms ?? 0)} ms)${warn}\n`);
      else if (r.status === 'unchanged') io.stdout(`same  ${r.input} -> ${r.output} (unchanged)\n`);
      else if (r.status === 'planned') io.stdout(`plan  ${r.input} -> ${r.output}\n`);
      else if (r.status === 'skipped') io.stdout(`skip  ${r.input}: ${r.reason}\n`);
      else if (r.status === 'removed') io.stdout(`rm    ${r.input}: ${r.reason}\n`);
      else if (r.status === 'stale') io.stderr(`STALE ${r.input}${r.output ? ` -> ${r.output}` : ''}: ${r.reason}\n`);
      else io.stderr(`FAIL  ${r.reason?.split('\n').join('\n      ')}\n`);
    },
    done(s: Summary) {
      if (s.interrupted) io.stderr(`Cancelled: ${s.cancelled} file${s.cancelled === 1 ? '' : 's'} not run; nothing half-written was left.\n`);
      io.stdout(`${summaryLine(s)}\n`);
      if (s.failures.length > 0) {
        io.stderr(`\nFailed:\n`);
        for (const f of s.failures) io.stderr(`  ${f.input}: ${failureReason(f)}\n`);
      }
    },
  };
}

/**
 * A failure's reason without the "[plugin] file: " location the list already
 * shows: only a prefix at the very start is removed (a file name that appears
 * later in the message, inside a longer path, stays as it is).
 */
export function failureLines(f: FileResult): string[] {
  const lines = (f.reason ?? '').split('\n');
  const plugin = /^\[[^\]]+\] /.exec(lines[0])?.[0] ?? '';
  const prefix = `${f.input}: `;
  if (lines[0].startsWith(plugin + prefix)) lines[0] = plugin + lines[0].slice(plugin.length + prefix.length);
  return lines;
}

/** The first line of a failure's reason (the summary list), without the location prefix. */
export function failureReason(f: FileResult): string {
  return failureLines(f)[0];
}
