#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm run build makes dist/).
import { main } from '../dist/src/cli/main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}, process.cwd(), controller.signal);
process.exitCode = code;
