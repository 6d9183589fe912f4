/**
 * One error type for everything a user can fix. `code` is stable (tests and
 * tools match on it); `plugin` and `file` are added by the runner, so plugins
 * don't have to; `hint` is the next thing the user should do.
 */
export type ErrorCode =
  | 'E_USAGE' // bad command line
  | 'E_CONFIG' // bad config file, preset or option
  | 'E_OPTION' // bad plugin option (a config error when it comes from config)
  | 'E_PIPELINE' // impossible step order
  | 'E_INPUT' // unreadable / bad image file
  | 'E_OUTPUT' // cannot write an output
  | 'E_CANCELLED'
  | 'E_INTERNAL';

export interface PixelErrorDetails {
  plugin?: string;
  file?: string;
  hint?: string;
  cause?: unknown;
  /** Several problems reported together (config validation). */
  problems?: string[];
}

export class PixelError extends Error {
  readonly code: ErrorCode;
  plugin?: string;
  file?: string;
  hint?: string;
  problems?: string[];

  constructor(code: ErrorCode, message: string, details: PixelErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PixelError';
    this.code = code;
    this.plugin = details.plugin;
    this.file = details.file;
    this.hint = details.hint;
    this.problems = details.problems;
  }

  /** `[dither] sprites/hero.png: message` (location prefix as in Rollup), then the hint. */
  format(): string {
    const where = [this.plugin ? `[${this.plugin}]` : '', this.file ? `${this.file}:` : ''].filter(Boolean).join(' ');
    const lines = [where ? `${where} ${this.message}` : this.message];
    for (const p of this.problems ?? []) lines.push(`  - ${p}`);
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

/** Adds location context to an error without losing its code (runner only). */
export function withContext(error: unknown, ctx: { plugin?: string; file?: string }): PixelError {
  if (error instanceof PixelError) {
    if (ctx.plugin && !error.plugin) error.plugin = ctx.plugin;
    if (ctx.file && !error.file) error.file = ctx.file;
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PixelError('E_INTERNAL', message, {
    ...ctx,
    cause: error,
    hint: 'This looks like a bug in pixel or a plugin; please report it with the file and config.',
  });
}
