/**
 * `--reporter json`: NDJSON for tools. One object per file, in input order:
 * {"type":"file","input","output","status","bytes","ms","reason","warnings"},
 * then one {"type":"summary", counts…, "ms", "failures":[{input, reason}]}.
 */
import type { FileResult, IO, Reporter, Summary } from './types.js';

export function jsonReporter(io: IO): Reporter {
  const line = (o: object) => io.stdout(`${JSON.stringify(o)}\n`);
  return {
    start() {},
    file(r: FileResult) {
      line({ type: 'file', ...r, ms: r.ms === undefined ? undefined : Math.round(r.ms * 10) / 10 });
    },
    done(s: Summary) {
      const { failures, ...counts } = s;
      line({
        type: 'summary',
        ...counts,
        interrupted: s.interrupted === true,
        ms: Math.round(s.ms),
        failures: failures.map((f) => ({ input: f.input, reason: f.reason })),
      });
    },
  };
}
