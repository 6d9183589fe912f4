/** One line per file and a summary: for CI logs, git hooks and pipes. */
import type { FileResult, IO, Reporter, Summary } from './types.js';

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function plainReporter(io: IO): Reporter {
  return {
    start() {},
    file(r: FileResult) {
      const warn = (r.warnings ?? []).map((w) => `\n  warning: ${w}`).join('');
      if (r.status === 'converted') io.stdout(`ok    ${r.input} -> ${r.output} (${formatBytes(r.bytes ?? 0)}, ${Math.round(r.ms ?? 0)} ms)${warn}\n`);
      else if (r.status === 'planned') io.stdout(`plan  ${r.input} -> ${r.output}\n`);
      else if (r.status === 'skipped') io.stdout(`skip  ${r.input}: ${r.reason}\n`);
      else io.stderr(`FAIL  ${r.reason?.split('\n').join('\n      ')}\n`);
    },
    done(s: Summary) {
      const parts = [
        s.planned ? `${s.planned} planned` : `${s.converted} converted`,
        `${s.skipped} skipped`,
        `${s.failed} failed`,
      ];
      io.stdout(`${parts.join(', ')} in ${(s.ms / 1000).toFixed(2)} s\n`);
      if (s.failures.length > 0) {
        io.stderr(`\nFailed:\n`);
        for (const f of s.failures) io.stderr(`  ${f.input}: ${(f.reason ?? '').split('\n')[0]}\n`);
      }
    },
  };
}
