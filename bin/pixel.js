#!/usr/bin/env node
// The installed entry point: runs the bundled CLI (npm run build makes dist/cli from dist/src).
import { main } from '../dist/cli/main.js';

const controller = new AbortController();
// First Ctrl-C cancels cleanly (running files stop, nothing half-written, exit 130); a second one exits at once.
// (`on`, not `once`: with no listener left, Ink's signal-exit would re-raise the signal and kill the process mid-write.)
// SIGTERM and SIGHUP (a closed terminal, `kill`, a CI timeout) cancel the same way, so no temp file is left.
let interrupted = false;
const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [signal, exitCode] of Object.entries(EXIT_ON_SIGNAL))
  process.on(signal, () => {
    if (interrupted) process.exit(exitCode);
    interrupted = true;
    controller.abort();
  });
// Output piped into a reader that stops early (`| head`): stop printing, finish the run (the cache is still saved).
let stdoutClosed = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});
const code = await main(process.argv.slice(2), {
  stdout: (t) => {
    if (!stdoutClosed) process.stdout.write(t);
  },
  stderr: (t) => process.stderr.write(t),
  tty: process.stdout.isTTY ? process.stdout : undefined,
}, process.cwd(), controller.signal);
process.exitCode = code;
