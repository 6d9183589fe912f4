/**
 * Exit codes, sysexits-style (as Stylelint), decided here and nowhere below
 * the CLI: the library and the batch report errors and summaries, the CLI
 * turns them into a process's exit code.
 */
import type { Summary } from '../batch/report.js';
import { PixelError } from '../pipeline/errors.js';

export const EXIT = { ok: 0, failed: 1, stale: 2, usage: 64, config: 78, cancelled: 130, internal: 70 } as const;

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof PixelError)) return EXIT.internal;
  switch (error.code) {
    case 'E_USAGE':
      return EXIT.usage;
    case 'E_CONFIG':
    case 'E_OPTION':
    case 'E_PIPELINE':
      return EXIT.config;
    case 'E_CANCELLED':
      return EXIT.cancelled;
    case 'E_INTERNAL':
      return EXIT.internal;
    default:
      return EXIT.failed;
  }
}

/** A batch's exit code: cancelled, else some file failed, else `--check` found stale outputs, else ok. */
export function exitCodeOf(summary: Summary): number {
  if (summary.interrupted) return EXIT.cancelled;
  if (summary.failed > 0) return EXIT.failed;
  if (summary.stale > 0) return EXIT.stale;
  return EXIT.ok;
}
