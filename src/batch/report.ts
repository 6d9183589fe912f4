/**
 * What a batch reports. `file` is called once per input, in input order
 * (stable whatever the number of workers); `running` (optional) when a file
 * starts converting, for live views.
 */
/** `removed`: an output whose source is gone, removed by `pixel staged`. */
export type FileStatus = 'converted' | 'unchanged' | 'skipped' | 'failed' | 'planned' | 'stale' | 'removed';

export interface FileResult {
  input: string;
  output?: string;
  status: FileStatus;
  /** Bytes written (or that would be written, for `stale`). */
  bytes?: number;
  ms?: number;
  /** Why it was skipped, failed or is stale (already formatted for a person). */
  reason?: string;
  warnings?: string[];
}

export interface Summary {
  /** Files in the batch. */
  total: number;
  converted: number;
  unchanged: number;
  skipped: number;
  failed: number;
  planned: number;
  stale: number;
  removed: number;
  /** Files not finished because the run was cancelled. */
  cancelled: number;
  ms: number;
  failures: FileResult[];
  /** True when the user cancelled the run (Ctrl-C). */
  interrupted?: boolean;
}

export function emptySummary(total = 0): Summary {
  return { total, converted: 0, unchanged: 0, skipped: 0, failed: 0, planned: 0, stale: 0, removed: 0, cancelled: 0, ms: 0, failures: [] };
}

export interface Reporter {
  start(total: number): void;
  running?(index: number, input: string): void;
  file(result: FileResult): void;
  /** May return a promise (the TUI waits for its last frame). */
  done(summary: Summary): void | Promise<void>;
}

export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The terminal, when stdout is one (the live TUI draws on it). */
  tty?: NodeJS.WriteStream;
  /** Environment for reporter choice (default process.env). */
  env?: Record<string, string | undefined>;
}
