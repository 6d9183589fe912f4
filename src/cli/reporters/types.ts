export type FileStatus = 'converted' | 'skipped' | 'failed' | 'planned';

export interface FileResult {
  input: string;
  output?: string;
  status: FileStatus;
  /** Bytes written. */
  bytes?: number;
  ms?: number;
  /** Why it was skipped or failed (already formatted for a person). */
  reason?: string;
  warnings?: string[];
}

export interface Summary {
  converted: number;
  skipped: number;
  failed: number;
  planned: number;
  ms: number;
  failures: FileResult[];
}

export interface Reporter {
  start(total: number): void;
  file(result: FileResult): void;
  done(summary: Summary): void;
}

export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
