/**
 * Which reporter a run gets (as lint-staged chooses its renderer): the live
 * TUI only on an interactive terminal; plain lines in CI, in git hooks, on a
 * dumb terminal or when piped; NDJSON when asked.
 */
import { PixelError } from '../../pipeline/errors.js';
import { invalidFlag, oneOf } from '../../pipeline/messages.js';
import { jsonReporter } from './json.js';
import { plainReporter } from './plain.js';
import type { IO, Reporter } from './types.js';

export const REPORTERS = ['auto', 'tui', 'plain', 'json'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function parseReporter(value: unknown): ReporterName {
  if (value === undefined) return 'auto';
  if ((REPORTERS as readonly unknown[]).includes(value)) return value as ReporterName;
  throw invalidFlag('reporter', `one of ${oneOf(REPORTERS)}`, value, 'plain: one line per file; json: one JSON object per line; tui: the live view (needs a terminal).', REPORTERS);
}

/** True where a live view would be wrong even on a terminal: CI, git hooks, TERM=dumb. */
export function plainEnvironment(env: Record<string, string | undefined>): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  // git sets these for the hooks it runs (pre-commit: GIT_INDEX_FILE); husky and lint-staged run inside them.
  const hook = env.GIT_INDEX_FILE !== undefined || env.GIT_EXEC_PATH !== undefined || env.HUSKY_GIT_PARAMS !== undefined;
  return ci || hook || env.TERM === 'dumb';
}

export function wantsTui(name: ReporterName, io: IO): boolean {
  if (name === 'tui') return io.tty !== undefined;
  // A terminal that reports no width (some pseudo-terminals) would get one character per line.
  return name === 'auto' && io.tty?.isTTY === true && (io.tty.columns ?? 0) > 0 && !plainEnvironment(io.env ?? process.env);
}

/** The reporter; Ink and React are loaded only when the TUI is used. */
export async function chooseReporter(name: ReporterName, io: IO): Promise<Reporter> {
  if (name === 'json') return jsonReporter(io);
  if (wantsTui(name, io)) {
    const { tuiReporter } = await import('./tui.js');
    return tuiReporter(io.tty!);
  }
  return plainReporter(io);
}
