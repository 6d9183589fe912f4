/** `pixel convert --watch`: reconverts changed inputs, debounced, and stops cleanly on abort. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePng, run, tempProject, until } from './batch-helpers.js';

describe('pixel convert --watch', () => {
  it('converts once, then only what changes (a burst of writes is one run), and exits 0 on abort', async () => {
    const dir = tempProject();
    await makePng(join(dir, 'in', 'a.png'), 1);
    await makePng(join(dir, 'in', 'sub', 'b.png'), 2);
    const controller = new AbortController();
    let out = '';
    const done = run(['convert', 'in', '--out', 'out', '--watch', '--debounce', '80', '--jobs', '1'], dir, {
      signal: controller.signal,
      onStdout: (_t, all) => (out = all),
    });
    const runs = () => out.match(/ in [\d.]+ s\n/g)?.length ?? 0;
    await until(() => runs() === 1, 'the first run');
    expect(out).toContain('2 converted');

    // Several writes in a burst (a nested folder: recursive watching) → one debounced run.
    await makePng(join(dir, 'in', 'sub', 'b.png'), 3);
    await makePng(join(dir, 'in', 'sub', 'b.png'), 4);
    await until(() => runs() === 2, 'the run after a change');
    const second = out.split(/ in [\d.]+ s\n/)[1];
    expect(second).toContain('ok    in/sub/b.png -> out/sub/b.png');
    expect(second).toContain('same  in/a.png -> out/a.png (unchanged)');
    expect(second).toContain('1 converted, 1 unchanged');

    // A new file is picked up; the run's own outputs and cache writes trigger nothing.
    mkdirSync(join(dir, 'in', 'new'));
    await makePng(join(dir, 'in', 'new', 'c.png'), 5);
    await until(() => runs() === 3, 'the run after a new file');
    expect(out.split(/ in [\d.]+ s\n/)[2]).toContain('1 converted, 2 unchanged');
    writeFileSync(join(dir, 'in', 'notes.txt'), 'not an image'); // still triggers a (cheap) run at most
    await new Promise((r) => setTimeout(r, 400));
    controller.abort();
    const r = await done;
    expect(r.code).toBe(0);
    expect(runs()).toBeLessThanOrEqual(4);
    expect(r.stderr).toContain('pixel: watching for changes (Ctrl-C to stop)');
  });
});
