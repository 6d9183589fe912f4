/**
 * vitest globalSetup: every test and every process it starts writes its temp
 * folders into one folder for this run (TMPDIR), removed at the end, so
 * `npm test` leaves nothing in the system temp folder, even after a failed
 * or interrupted test. Tests still remove their own folders (afterAll); the
 * teardown names any that a test left, so a leak is seen and fixed.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const sandbox = mkdtempSync(join(tmpdir(), 'pixel-test-run-'));
  // Passable by other users: a test runs pixel as another user to meet a real EACCES.
  chmodSync(sandbox, 0o755);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = sandbox;
  return () => {
    // tsx-<uid>: tsx's compile cache (children started with --import tsx), not a test's folder.
    const left = readdirSync(sandbox).filter((name) => !/^tsx-\d+$/.test(name));
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(sandbox, { recursive: true, force: true });
    if (left.length > 0) console.warn(`temp-sandbox: tests left ${left.length} temp folder(s) behind (removed now): ${left.join(', ')}`);
  };
}
