/**
 * Temp folders for tests, removed when the test file ends (pass or fail).
 * Every test makes its folders with tempDir, so `npm test` leaves nothing in
 * the system temp folder (test/temp-sandbox.ts names any that escape).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) {
    // A test may have closed a folder to provoke EACCES: open it again first.
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

export function tempDir(prefix = 'pixel-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
