#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm run build makes dist/).
import { main } from '../dist/src/cli/main.js';

const controller = new AbortController();
// First Ctrl-C cancels cleanly (running files stop, nothing half-written, exit 130); a second one exits at once.
// (`on`, not `once`: with no listener left, Ink's signal-exit would re-raise the signal and kill the process mid-write.)
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});
const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  tty: process.stdout.isTTY ? process.stdout : undefined,
}, process.cwd(), controller.signal);
process.exitCode = code;
