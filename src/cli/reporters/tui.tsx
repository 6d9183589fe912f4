/**
 * The live terminal view for `pixel convert` on an interactive terminal (Ink),
 * after Ink's examples/jest: finished files are printed once through <Static>
 * (they scroll up and are never redrawn), files being converted are live rows,
 * then a progress bar with count, throughput and ETA; at the end a summary
 * listing every failure with its reason. `BatchView` is a pure function of the
 * state and the clock, so tests render frames with ink-testing-library.
 */
import { Box, render, Static, Text } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { failureLines, failureReason, formatBytes, summaryLine } from './plain.js';
import type { FileResult, FileStatus, Reporter, Summary } from './types.js';

export interface RunningFile {
  index: number;
  input: string;
  /** Clock time it started (ms). */
  since: number;
}

export interface TuiState {
  total: number;
  /** Clock time the batch started (ms). */
  started: number;
  finished: FileResult[];
  running: RunningFile[];
  summary?: Summary;
}

const MARK: Record<FileStatus, { mark: string; color: string }> = {
  converted: { mark: '✔', color: 'green' },
  unchanged: { mark: '=', color: 'gray' },
  skipped: { mark: '↷', color: 'yellow' },
  failed: { mark: '✖', color: 'red' },
  planned: { mark: '○', color: 'cyan' },
  stale: { mark: '!', color: 'yellow' },
  removed: { mark: '-', color: 'magenta' },
};

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function FileRow({ r }: { r: FileResult }) {
  const { mark, color } = MARK[r.status];
  // A failure's first line goes on the row; its problems and hint (the fix) on the lines below.
  const [first, ...more] = r.status === 'failed' ? failureLines(r) : [];
  const detail =
    r.status === 'converted'
      ? `${formatBytes(r.bytes ?? 0)}, ${formatMs(r.ms ?? 0)}`
      : r.status === 'failed'
        ? first
        : r.status === 'skipped' || r.status === 'stale' || r.status === 'removed'
          ? (r.reason ?? r.status)
          : r.status;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={color}>{mark}</Text> {r.input}
        {r.output && r.status !== 'failed' && r.status !== 'skipped' ? <Text dimColor> → {r.output}</Text> : null}
        <Text color={r.status === 'failed' ? 'red' : undefined} dimColor={r.status !== 'failed'}>
          {' '}
          ({detail})
        </Text>
      </Text>
      {more.map((line, i) => (
        <Text key={`m${i}`} dimColor>
          {'  '}
          {line.trim()}
        </Text>
      ))}
      {(r.warnings ?? []).map((w, i) => (
        <Text key={i} color="yellow">
          {'  '}warning: {w}
        </Text>
      ))}
    </Box>
  );
}

export function ProgressBar({ done, total, elapsedMs, width = 24 }: { done: number; total: number; elapsedMs: number; width?: number }) {
  const fraction = total > 0 ? done / total : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? ((total - done) / rate) * 1000 : undefined;
  return (
    <Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text> {done}/{total} · {rate.toFixed(1)} files/s · ETA {eta === undefined ? '…' : formatMs(eta)}
    </Text>
  );
}

export function SummaryView({ summary }: { summary: Summary }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      {summary.interrupted ? <Text color="yellow">Cancelled: {summary.cancelled} not run; nothing half-written was left.</Text> : null}
      <Text bold color={summary.failed > 0 ? 'red' : summary.stale > 0 ? 'yellow' : 'green'}>
        {summaryLine(summary)}
      </Text>
      {summary.failures.length > 0 ? (
        <Box flexDirection="column">
          <Text color="red">Failed:</Text>
          {summary.failures.map((f, i) => (
            <Text key={i}>
              {'  '}
              {f.input}: {failureReason(f)}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

export function BatchView({ state, now }: { state: TuiState; now: number }) {
  return (
    <>
      <Static items={state.finished}>{(r, i) => <FileRow key={i} r={r} />}</Static>
      {state.summary ? (
        <SummaryView summary={state.summary} />
      ) : (
        <Box flexDirection="column">
          {state.running.map((f) => (
            <Text key={f.index}>
              <Text color="cyan">…</Text> {f.input} <Text dimColor>({formatMs(Math.max(0, now - f.since))})</Text>
            </Text>
          ))}
          <ProgressBar done={state.finished.length} total={state.total} elapsedMs={now - state.started} />
        </Box>
      )}
    </>
  );
}

/** A tiny external store the reporter writes to and the view reads (immutable snapshots). */
export class TuiStore {
  private listeners = new Set<() => void>();
  state: TuiState;

  constructor(
    total = 0,
    readonly clock: () => number = () => performance.now(),
  ) {
    this.state = { total, started: clock(), finished: [], running: [] };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = () => this.state;

  update(change: (s: TuiState) => TuiState) {
    this.state = change(this.state);
    for (const l of this.listeners) l();
  }
}

function LiveBatch({ store, tickMs }: { store: TuiStore; tickMs: number }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [now, setNow] = useState(store.clock());
  useEffect(() => {
    if (state.summary) return;
    const t = setInterval(() => setNow(store.clock()), tickMs);
    return () => clearInterval(t);
  }, [state.summary, store, tickMs]);
  return <BatchView state={state} now={Math.max(now, state.started)} />;
}

/** The reporter: feeds a store; Ink redraws the live part. */
export function storeReporter(store: TuiStore): Reporter {
  return {
    start(total) {
      store.update((s) => ({ ...s, total, started: store.clock() }));
    },
    running(index, input) {
      store.update((s) => ({ ...s, running: [...s.running, { index, input, since: store.clock() }] }));
    },
    file(r) {
      store.update((s) => ({ ...s, finished: [...s.finished, r], running: s.running.filter((f) => f.input !== r.input) }));
    },
    done(summary) {
      store.update((s) => ({ ...s, running: [], summary }));
    },
  };
}

/** The live TUI on a terminal stream; `done` resolves once Ink has drawn the summary and let go. */
export function tuiReporter(stream: NodeJS.WriteStream, options: { tickMs?: number } = {}): Reporter {
  const store = new TuiStore();
  const inner = storeReporter(store);
  // No useInput: stdin stays cooked, so Ctrl-C is a SIGINT the CLI turns into a clean cancel.
  const app = render(<LiveBatch store={store} tickMs={options.tickMs ?? 100} />, { stdout: stream, exitOnCtrlC: false, patchConsole: false });
  return {
    ...inner,
    async done(summary) {
      inner.done(summary);
      // Let React commit the final frame before unmounting.
      await new Promise((r) => setTimeout(r, 20));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
