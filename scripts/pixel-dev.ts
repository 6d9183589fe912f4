// Runs the CLI from the sources under tsx (for scripts that must not need a build).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, process.cwd());
