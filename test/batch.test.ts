/** The batch: worker threads (same bytes, stable order), the cache manifest, cancelling, reporters. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CacheManifest, configHash, stableJson } from '../src/batch/cache.js';
import { planJobs } from '../src/batch/plan.js';
import { runBatch } from '../src/batch/run.js';
import { exitCodeOf } from '../src/cli/exit-codes.js';
import { writePolicy } from '../src/batch/write-policy.js';
import { workerInitFor } from '../src/cli/commands/convert.js';
import { loadConfig } from '../src/config/load.js';
import { findInputs } from '../src/files/inputs.js';
import { jsonReporter } from '../src/cli/reporters/json.js';
import { plainReporter } from '../src/cli/reporters/plain.js';
import { emptySummary } from '../src/cli/reporters/types.js';
import { resolveConfig } from '../src/config/resolve.js';
import { packageInfo } from '../src/files/package-root.js';
import { pluginTable } from '../src/plugins/index.js';
import { cleanEnv, listFiles, makePng, ROOT, run, tempProject } from './batch-helpers.js';
import { builtinPresets } from '../presets/index.js';

const NAMES = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png', 'f.png', 'g.png', 'h.png'];

async function project(count = NAMES.length): Promise<string> {
  const dir = tempProject();
  for (const [i, n] of NAMES.slice(0, count).entries()) await makePng(join(dir, 'in', n), i + 1, 80 + i * 4, 60);
  return dir;
}

const bytesOf = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

// A plugin object written in the config (functions: cannot be cloned to a worker, so workers re-load the file).
const FUNCTION_CONFIG = `const flip = {
  name: 'flip-bits', description: 'swap ink and paper', defaults: {},
  parseOptions: () => ({}), accepts: { range: ['binary'] }, produces: (kind) => kind,
  create: () => ({ run: (image) => ({ ...image, data: image.data.map((v) => 1 - v) }) }),
};
export default { extends: 'pixel-art', plugins: [flip], rules: [{ files: 'in/[a-d].png', steps: [{ use: 'resize', longSide: 32 }, { use: 'adjust' }, { use: 'dither', method: 'atkinson' }, { use: 'flip-bits' }] }] };\n`;

describe('worker threads', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project();
  });

  it('--jobs 2 writes the same bytes as --jobs 1, and reports in input order', async () => {
    const one = await run(['convert', 'in', '--out', 'one', '--jobs', '1', '--reporter', 'json'], dir);
    const two = await run(['convert', 'in', '--out', 'two', '--jobs', '2', '--reporter', 'json'], dir);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stderr).toBe('');
    const inputs = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l)).filter((o) => o.type === 'file').map((o) => o.input);
    expect(inputs(two.stdout)).toEqual(NAMES.map((n) => `in/${n}`));
    expect(bytesOf(join(dir, 'two'))).toEqual(bytesOf(join(dir, 'one')));
  });

  it('a config holding plugin functions works in workers (re-loaded by path), with rules, byte-identical', async () => {
    const p = await project();
    writeFileSync(join(p, 'pixel.config.mjs'), FUNCTION_CONFIG);
    const one = await run(['convert', 'in', '--out', 'one', '--jobs', '1'], p);
    const three = await run(['convert', 'in', '--out', 'three', '--jobs', '3'], p);
    expect(one.stderr).toBe('');
    expect(three.stderr).toBe('');
    expect(three.stdout).toContain('8 converted');
    expect(bytesOf(join(p, 'three'))).toEqual(bytesOf(join(p, 'one')));
    expect((await sharp(join(p, 'one', 'a.png')).metadata()).width).toBe(32); // the rule's steps
  });

  it('a corrupt file fails in a worker with the same message as on the main thread', async () => {
    const p = await project(3);
    writeFileSync(join(p, 'in', 'bad.png'), 'not an image');
    const one = await run(['convert', 'in', '--out', 'o1', '--jobs', '1'], p);
    const two = await run(['convert', 'in', '--out', 'o2', '--jobs', '2'], p);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const fail = (s: string) => s.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fail(two.stderr)).toEqual(fail(one.stderr));
    expect(fail(one.stderr)[0]).toContain('in/bad.png');
  });
});

/** A batch with every file sent to worker threads (mainThread: false), as the CLI would plan it. */
async function workersOnly(dir: string, out: string, jobs: number, cancelAfterFirst = false, memoryBudget?: number) {
  const controller = new AbortController();
  const loaded = await loadConfig({ cwd: dir });
  const ctx = { config: loaded.config, filepath: loaded.filepath, configDir: dir, plugins: pluginTable(loaded.plugins) };
  const { files } = await findInputs(['in'], dir);
  const planned = await planJobs(files, ctx, {});
  const results: string[] = [];
  const reporter = {
    start() {},
    file: (r: { input: string; status: string; reason?: string }) => {
      results.push(`${r.status} ${r.input}${r.reason ? ` ${r.reason}` : ''}`);
      if (cancelAfterFirst) controller.abort();
    },
    done() {},
  };
  const policy = writePolicy(planned, { plan: { out: join(dir, out), outIsFile: false, configDir: dir, single: false }, cwd: dir });
  const { summary } = await runBatch(planned, { ctx, reporter, policy, jobs, mainThread: false, memoryBudget, signal: controller.signal, workerInit: workerInitFor(ctx, dir) });
  return { code: exitCodeOf(summary), results };
}

describe('worker threads only (the main thread converts nothing)', () => {
  it('same bytes as the main thread, input order, plugin functions re-loaded by path, failures as on the main thread', async () => {
    const p = await project();
    writeFileSync(join(p, 'pixel.config.mjs'), FUNCTION_CONFIG);
    writeFileSync(join(p, 'in', 'bad.png'), 'not an image');
    const one = await run(['convert', 'in', '--out', 'one', '--jobs', '1'], p);
    expect(one.code).toBe(1);
    const w = await workersOnly(p, 'two', 2);
    expect(w.code).toBe(1);
    const expected = [...NAMES, 'bad.png'].sort().map((n) => `${n === 'bad.png' ? 'failed' : 'converted'} in/${n}`);
    expect(w.results.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(expected);
    const failure = w.results.find((r) => r.startsWith('failed'))!;
    expect(failure).toContain('in/bad.png: ');
    expect(one.stderr).toContain(failure.slice('failed in/bad.png '.length).split('\n')[0]);
    expect(bytesOf(join(p, 'two'))).toEqual(bytesOf(join(p, 'one')));
  });

  it('with a memory budget smaller than any file, files run one at a time and all convert, same bytes', async () => {
    const p = await project();
    const one = await run(['convert', 'in', '--out', 'one', '--jobs', '1'], p);
    expect(one.code).toBe(0);
    const w = await workersOnly(p, 'two', 3, false, 1);
    expect(w.code).toBe(0);
    expect(w.results.every((r) => r.startsWith('converted'))).toBe(true);
    expect(bytesOf(join(p, 'two'))).toEqual(bytesOf(join(p, 'one')));
  });

  it('cancelling terminates the workers: exit 130, whole files only, no temp files', async () => {
    const p = await project();
    const w = await workersOnly(p, 'out', 3, true);
    expect(w.code).toBe(130);
    const written = readdirSync(join(p, 'out'));
    expect(written.length).toBeLessThan(NAMES.length);
    expect(listFiles(p).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of written) expect((await sharp(join(p, 'out', f)).metadata()).bitsPerSample).toBe(1);
  });
});

describe('cache manifest', () => {
  it('skips unchanged files, rebuilds changed inputs, configs and missing outputs, and --force', async () => {
    const dir = await project(3);
    const conv = (...extra: string[]) => run(['convert', 'in', '--out', 'out', '--jobs', '1', ...extra], dir);
    expect((await conv()).stdout).toContain('3 converted, 0 skipped');
    const manifest = JSON.parse(readFileSync(join(dir, '.pixel-cache', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ schema: 1, pixel: packageInfo().version });
    expect(Object.keys(manifest.entries)).toEqual(['out/a.png', 'out/b.png', 'out/c.png']);

    const again = await conv();
    expect(again.stdout).toContain('same  in/a.png -> out/a.png (unchanged)');
    expect(again.stdout).toContain('0 converted, 3 unchanged, 0 skipped, 0 failed');

    await makePng(join(dir, 'in', 'b.png'), 42);
    const changed = await conv();
    expect(changed.stdout).toMatch(/ok {4}in\/b\.png -> out\/b\.png/);
    expect(changed.stdout).toContain('1 converted, 2 unchanged');

    // Another config: pixel's own outputs are replaced without --overwrite.
    expect((await conv('--method', 'atkinson')).stdout).toContain('3 converted, 0 skipped');
    expect((await conv('--method', 'atkinson')).stdout).toContain('0 converted, 3 unchanged');

    rmSync(join(dir, 'out', 'c.png'));
    writeFileSync(join(dir, 'out', 'a.png'), 'edited by hand');
    // A deleted output is rebuilt; one edited by hand is kept (test/data-loss.test.ts).
    const repaired = await conv('--method', 'atkinson');
    expect(repaired.stdout).toContain('1 converted, 1 unchanged, 1 skipped');
    expect(readFileSync(join(dir, 'out', 'a.png'), 'utf8')).toBe('edited by hand');

    expect((await conv('--method', 'atkinson', '--force')).stdout).toContain('2 converted, 1 skipped');
    expect((await conv('--method', 'atkinson', '--force', '--overwrite')).stdout).toContain('3 converted, 0 skipped');
  });

  it('a corrupt manifest or one from another version is ignored with a warning, never trusted', async () => {
    const dir = await project(2);
    const conv = (...extra: string[]) => run(['convert', 'in', '--out', 'out', '--jobs', '1', ...extra], dir);
    await conv();
    const path = join(dir, '.pixel-cache', 'manifest.json');
    writeFileSync(path, '{"schema":1,"pixel":');
    const corrupt = await conv();
    expect(corrupt.stderr).toContain(`pixel: warning: ignoring the cache manifest ${path}: it is not valid JSON; existing outputs are kept as not known to be pixel's (pass --overwrite to rebuild them)`);
    // Not trusted: the outputs are no longer known to be pixel's, so they are kept, not replaced.
    expect(corrupt.stdout).toContain('0 converted, 2 skipped');
    expect((await conv('--overwrite')).stdout).toContain('2 converted');
    expect((await conv()).stdout).toContain('0 converted, 2 unchanged');

    const m = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...m, pixel: '0.0.1' }));
    const old = await conv('--overwrite');
    expect(old.stderr).toContain(`it was written by pixel 0.0.1, this is ${packageInfo().version}; existing outputs are kept`);
    expect(old.stdout).toContain('2 converted');
  });

  it('the config hash covers steps, options and output format, not where outputs go', () => {
    const plugins = pluginTable();
    const hash = (config: object, cli?: object) => configHash(resolveConfig({ presets: builtinPresets, config, plugins, cli }));
    expect(hash({ extends: 'sprite' })).toBe(hash({ extends: 'sprite', output: { dir: 'elsewhere', overwrite: true } }));
    expect(hash({ extends: 'sprite' })).not.toBe(hash({ extends: 'sprite', output: { format: 'pbm' } }));
    expect(hash({ extends: 'sprite' })).not.toBe(hash({ extends: 'sprite', override: { dither: { method: 'atkinson' } } }));
    expect(stableJson({ b: 1, a: [new Uint8Array([1, 2])], c: undefined })).toBe('{"a":[[1,2]],"b":1}');
  });

  it('a one-off (one file to a named file, or beside it) leaves no .pixel-cache in the working folder; a run into a folder keeps one', async () => {
    const dir = await project(1);
    const toFile = await run(['convert', 'in/a.png', '-o', 'a.png', '--jobs', '1'], dir);
    expect(toFile.stdout).toContain('1 converted, 0 skipped');
    expect(existsSync(join(dir, 'a.png'))).toBe(true);
    const beside = await run(['convert', 'in/a.png', '--jobs', '1'], dir);
    expect(beside.stdout).toContain('1 converted, 0 skipped');
    expect(existsSync(join(dir, 'in', 'a.1bit.png'))).toBe(true);
    expect(existsSync(join(dir, '.pixel-cache'))).toBe(false);
    // Without a record, the output is not known to be pixel's: kept unless --overwrite.
    expect((await run(['convert', 'in/a.png', '-o', 'a.png', '--jobs', '1'], dir)).stdout).toContain('skip  in/a.png: a.png exists (pass --overwrite to replace it)');
    expect((await run(['convert', 'in/a.png', '-o', 'a.png', '--jobs', '1', '--overwrite'], dir)).stdout).toContain('1 converted');
    expect(existsSync(join(dir, '.pixel-cache'))).toBe(false);

    expect((await run(['convert', 'in/a.png', '--out', 'out', '--jobs', '1'], dir)).stdout).toContain('1 converted');
    const manifest = JSON.parse(readFileSync(join(dir, '.pixel-cache', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.entries)).toEqual(['out/a.png']);
  });

  it('CacheManifest.load: a missing file is an empty manifest without warning', async () => {
    const warnings: string[] = [];
    const m = await CacheManifest.load('/nonexistent/.pixel-cache/manifest.json', '1.0.0', (w) => warnings.push(w));
    expect(m.size).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describe('cancelling', () => {
  it.each([['1'], ['2']])('Ctrl-C mid-batch (--jobs %s): exit 130, whole outputs only, no temp files, the rest runs next time', async (jobs) => {
    const dir = await project();
    const controller = new AbortController();
    const r = await run(['convert', 'in', '--out', 'out', '--jobs', jobs], dir, {
      signal: controller.signal,
      onStdout: (t) => {
        if (t.startsWith('ok')) controller.abort();
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Cancelled: \d+ files? not run; nothing half-written was left\./);
    const written = readdirSync(join(dir, 'out'));
    expect(written.length).toBeLessThan(NAMES.length);
    expect(listFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of written) expect((await sharp(join(dir, 'out', f)).metadata()).bitsPerSample).toBe(1);
    // The manifest saw exactly what was finished: the next run converts the rest.
    const next = await run(['convert', 'in', '--out', 'out', '--jobs', '1'], dir);
    expect(next.stdout).toContain(`${NAMES.length - written.length} converted, ${written.length} unchanged`);
  });
});

describe('cancelling the installed bin with SIGINT', () => {
  it('exit 130, whole outputs only, no temp files, the manifest saved', async () => {
    const bin = join(ROOT, 'bin', 'pixel.js');
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) return; // needs `npm run build` (npm test does it)
    const dir = await project();
    const child = spawn(process.execPath, [bin, 'convert', 'in', '--out', 'out', '--jobs', '2'], { cwd: dir, env: cleanEnv() as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (stdout.startsWith('ok') && !sent) {
        sent = true; // once: a second SIGINT means "exit now"
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((r) => child.on('close', r));
    const written = existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : [];
    if (written.length === NAMES.length) return; // the whole batch beat the signal: nothing to check
    expect(code).toBe(130);
    expect(stderr).toContain('Cancelled:');
    expect(listFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dir, '.pixel-cache', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.entries).sort()).toEqual(written.map((f) => `out/${f}`).sort());
  });
});

describe('reporters', () => {
  const results = [
    { input: 'a.png', output: 'out/a.png', status: 'converted' as const, bytes: 2048, ms: 12.34, warnings: ['tiny image'] },
    { input: 'b.png', output: 'out/b.png', status: 'unchanged' as const },
    { input: 'c.png', status: 'failed' as const, reason: '[decode] c.png: Not an image\n  hint: check it', ms: 1 },
  ];
  const summary = { ...emptySummary(3), converted: 1, unchanged: 1, failed: 1, ms: 1500, failures: [results[2]] };

  it('plain: one line per file, then the summary and every failure', () => {
    let out = '';
    let err = '';
    const r = plainReporter({ stdout: (t) => (out += t), stderr: (t) => (err += t) });
    r.start(3);
    for (const x of results) r.file(x);
    r.done(summary);
    expect(out).toBe(
      'ok    a.png -> out/a.png (2.0 kB, 12 ms)\n  warning: tiny image\nsame  b.png -> out/b.png (unchanged)\n1 converted, 1 unchanged, 0 skipped, 1 failed in 1.50 s\n',
    );
    expect(err).toBe('FAIL  [decode] c.png: Not an image\n        hint: check it\n\nFailed:\n  c.png: [decode] Not an image\n');
  });

  it('json: one object per line, then a summary object', () => {
    let out = '';
    const r = jsonReporter({ stdout: (t) => (out += t), stderr: () => {} });
    r.start(3);
    for (const x of results) r.file(x);
    r.done({ ...summary, interrupted: false });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ type: 'file', input: 'a.png', output: 'out/a.png', status: 'converted', bytes: 2048, ms: 12.3, warnings: ['tiny image'] });
    expect(lines[2]).toEqual({ type: 'file', input: 'c.png', status: 'failed', reason: '[decode] c.png: Not an image\n  hint: check it', ms: 1 });
    expect(lines[3]).toEqual({
      type: 'summary', total: 3, converted: 1, unchanged: 1, skipped: 0, failed: 1, planned: 0, stale: 0, removed: 0, cancelled: 0, ms: 1500, interrupted: false,
      failures: [{ input: 'c.png', reason: '[decode] c.png: Not an image\n  hint: check it' }],
    });
  });

  it('--reporter is checked', async () => {
    const r = await run(['convert', 'x.png', '--reporter', 'jsn'], tempProject());
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Expected one of "auto", "tui", "plain", "json" for --reporter but received "jsn" (did you mean "json"?)');
    expect(existsSync('x')).toBe(false);
  });
});
