/** The live TUI's frames (ink-testing-library): running, finished, failed, summary, cancelled. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { BatchView, formatMs, storeReporter, TuiStore, type TuiState } from '../src/cli/reporters/tui.js';
import { emptySummary, type FileResult } from '../src/cli/reporters/types.js';
import { plainEnvironment, wantsTui } from '../src/cli/reporters/choose.js';

// Colours off: frames are compared as text.
const strip = (s: string | undefined) => (s ?? '').replace(/\u001b\[[0-9;]*m/g, '');

const ok: FileResult = { input: 'in/a.png', output: 'out/a.png', status: 'converted', bytes: 2048, ms: 35 };
const same: FileResult = { input: 'in/b.png', output: 'out/b.png', status: 'unchanged' };
const bad: FileResult = { input: 'in/c.png', status: 'failed', reason: '[decode] in/c.png: Not an image, or an unsupported image format\n  hint: check the file', ms: 2 };

function state(partial: Partial<TuiState>): TuiState {
  return { total: 4, started: 0, finished: [], running: [], ...partial };
}

describe('TUI frames', () => {
  it('running: live rows with elapsed time and the progress bar (count, throughput, ETA)', () => {
    const { lastFrame } = render(<BatchView state={state({ finished: [ok], running: [{ index: 1, input: 'in/b.png', since: 1500 }] })} now={2000} />);
    expect(strip(lastFrame())).toBe(
      ['✔ in/a.png → out/a.png (2.0 kB, 35 ms)', '… in/b.png (500 ms)', '██████░░░░░░░░░░░░░░░░░░ 1/4 · 0.5 files/s · ETA 6.0 s'].join('\n'),
    );
  });

  it('finished and failed rows are printed once (Static), above the live part', () => {
    const { lastFrame, rerender, frames } = render(<BatchView state={state({ finished: [ok, same] })} now={1000} />);
    rerender(<BatchView state={state({ finished: [ok, same, bad], running: [{ index: 3, input: 'in/d.png', since: 900 }] })} now={1000} />);
    expect(frames.length).toBeGreaterThan(1);
    const frame = strip(lastFrame());
    // (in test mode Ink repeats the static output in each frame; in a terminal it is written once)
    expect(frame.split('✔ in/a.png').length - 1).toBe(1);
    expect(frame).toBe(
      [
        '✔ in/a.png → out/a.png (2.0 kB, 35 ms)',
        '= in/b.png → out/b.png (unchanged)',
        '✖ in/c.png ([decode] Not an image, or an unsupported image format)',
        // The fix stays on screen with the failure.
        '  hint: check the file',
        '… in/d.png (100 ms)',
        '██████████████████░░░░░░ 3/4 · 3.0 files/s · ETA 333 ms',
      ].join('\n'),
    );
  });

  it('summary: counts and every failure with its reason; no progress bar', () => {
    const summary = { ...emptySummary(3), converted: 1, unchanged: 1, failed: 1, ms: 2500, failures: [bad] };
    const { lastFrame } = render(<BatchView state={state({ finished: [ok, same, bad], summary })} now={2500} />);
    const frame = strip(lastFrame());
    expect(frame).toContain('1 converted, 1 unchanged, 0 skipped, 1 failed in 2.50 s');
    expect(frame).toContain('Failed:\n  in/c.png: [decode] Not an image, or an unsupported image format');
    expect(frame).not.toContain('files/s');
  });

  it('cancelled: says how many did not run', () => {
    const summary = { ...emptySummary(4), converted: 1, cancelled: 3, interrupted: true, ms: 900 };
    const { lastFrame } = render(<BatchView state={state({ finished: [ok], summary })} now={900} />);
    expect(strip(lastFrame())).toContain('Cancelled: 3 not run; nothing half-written was left.');
    expect(strip(lastFrame())).toContain('1 converted, 0 skipped, 0 failed, 3 not run in 0.90 s');
  });

  it('the reporter drives the store: running rows appear and leave when the file is done', () => {
    let t = 0;
    const store = new TuiStore(0, () => t);
    const r = storeReporter(store);
    r.start(2);
    t = 100;
    r.running!(0, 'in/a.png');
    expect(store.state.running).toEqual([{ index: 0, input: 'in/a.png', since: 100 }]);
    r.file(ok);
    expect(store.state.running).toEqual([]);
    expect(store.state.finished).toEqual([ok]);
    const { lastFrame } = render(<BatchView state={store.state} now={1100} />);
    expect(strip(lastFrame())).toContain('1/2 · 0.9 files/s');
  });

  it('formats durations', () => {
    expect([formatMs(12.4), formatMs(1520), formatMs(75_000)]).toEqual(['12 ms', '1.5 s', '1 min 15 s']);
  });
});

describe('reporter choice', () => {
  const tty = { isTTY: true, columns: 100 } as NodeJS.WriteStream;
  it.each([
    [{}, false],
    [{ CI: 'true' }, true],
    [{ CI: 'false' }, false],
    [{ GIT_INDEX_FILE: '.git/index' }, true],
    [{ GIT_EXEC_PATH: '/usr/lib/git-core' }, true],
    [{ TERM: 'dumb' }, true],
  ])('%j → plain environment %s', (env, plain) => {
    expect(plainEnvironment(env)).toBe(plain);
    expect(wantsTui('auto', { stdout: () => {}, stderr: () => {}, tty, env })).toBe(!plain);
  });
  it('no terminal: never the TUI unless asked; --reporter plain wins on a terminal', () => {
    expect(wantsTui('auto', { stdout: () => {}, stderr: () => {}, env: {} })).toBe(false);
    expect(wantsTui('plain', { stdout: () => {}, stderr: () => {}, tty, env: {} })).toBe(false);
    expect(wantsTui('tui', { stdout: () => {}, stderr: () => {}, tty, env: { CI: '1' } })).toBe(true);
  });
});
