/**
 * The CLI's start-up build (`npm run build` runs it after tsc): the compiled
 * CLI in dist/src bundled with esbuild into dist/cli, so a `pixel` run loads a
 * few files instead of ~150 modules, and sharp's JavaScript (with the 47
 * modules of semver it loads) comes in one piece. A one-image convert starts
 * ~80 ms CPU sooner (README, Benchmarks).
 *
 * Entry points share chunks (splitting), so the CLI, its batch and training
 * workers and `index.js` (what a pixel.config.ts that imports pixel gets; see
 * config/compile.ts) are one set of modules: a plugin's PixelError is the
 * CLI's PixelError. The library API (package.json `main`) stays dist/src.
 *
 * Packages with native code or heavy lazy loads stay external and are loaded
 * from node_modules as usual. sharp's JavaScript is bundled, but it loads
 * its native binding relative to where sharp is installed, as it would
 * unbundled (its `createRequire(import.meta.url)` is pointed at sharp's own
 * resolved entry), so npm's placement of @img/sharp-* is what counts.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

/** sharp's files that build a `require` from their own location. */
const sharpOwnRequire = {
  name: 'sharp-own-require',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]sharp[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('createRequire(import.meta.url)', 'createRequire(import.meta.resolve("sharp"))'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'dist/src/cli/main.js',
    index: 'dist/src/index.js',
    worker: 'dist/src/batch/worker.js',
    'grad-worker': 'dist/src/nn/grad-worker.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native bindings (@img/sharp-*; @img/colour is plain JavaScript and bundled), the wasm backend's files, the TUI (loaded only for it) and the TypeScript compiler (only for configs).
  external: ['@img/sharp-*', '@tensorflow/*', 'ink', 'ink/*', 'react', 'react/*', 'typescript', 'cosmiconfig', 'fast-glob', 'tsx', 'tsx/*'],
  // CommonJS dependencies call `require`; ES modules have none of their own.
  banner: { js: "import { createRequire as __pixelRequire } from 'node:module'; const require = __pixelRequire(import.meta.url);" },
  plugins: [sharpOwnRequire],
  logLevel: 'warning',
});
