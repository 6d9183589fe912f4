/**
 * One message vocabulary (src/pipeline/messages.ts): option, config-key and
 * flag problems read the same, name where the value was written, and exit by
 * origin: a flag 64, a config file 78. Exact texts, as the README shows them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { bothGiven, expected, expectedOneOf, unknownName, unknownNamed } from '../src/pipeline/messages.js';
import { tempDir } from './temp.js';

let dir = '';
beforeAll(async () => {
  dir = tempDir('pixel-messages-');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toFile(join(dir, 'in.png'));
});

async function run(argv: string[], config?: string) {
  let name = '';
  if (config !== undefined) {
    // (a new file name each time: Node caches imported modules by path)
    name = `c${Math.random().toString(36).slice(2)}.config.mjs`;
    writeFileSync(join(dir, name), `export default ${config};\n`);
  }
  let stderr = '';
  const code = await main(['convert', 'in.png', '-o', 'out.png', ...(name ? ['--config', name] : []), ...argv], { stdout: () => {}, stderr: (t) => (stderr += t) }, dir);
  return { code, stderr };
}

describe('the message catalogue', () => {
  it('words every kind of problem in one grammar', () => {
    expect(expected('a boolean', 'output.overwrite', 'yes')).toBe('Expected a boolean for output.overwrite but received "yes"');
    expect(expectedOneOf(['png', 'pbm'], '--format', 'pnm')).toBe('Expected one of "png", "pbm" for --format but received "pnm" (did you mean "png"?)');
    expect(unknownName('key', 'output.', 'formt', ['format', 'name'])).toBe('Unknown key output.formt (did you mean "format"?)');
    expect(unknownNamed('preset', 'pixl-art', 'for --preset', ['pixel-art', 'photo'])).toBe('Unknown preset "pixl-art" for --preset (did you mean "pixel-art"?)');
    expect(bothGiven('steps[0].longSide', 'steps[0].width/steps[0].height', 'longSide and width')).toBe(
      'Expected either steps[0].longSide or steps[0].width/steps[0].height but received both longSide and width',
    );
  });

  it('a flag problem names the flag and exits 64', async () => {
    const cases: [string[], string][] = [
      [['--format', 'jpeg'], 'pixel: Unknown format "jpeg" for --format (did you mean "png"?)\n'],
      [['--preset', 'pixl-art'], 'pixel: Unknown preset "pixl-art" for --preset (did you mean "pixel-art"?)\n'],
      [['--method', 'floyd'], 'pixel: Unknown method "floyd" for --method\n'],
      [['--method', 'atkinsn'], 'pixel: Unknown method "atkinsn" for --method (did you mean "atkinson"?)\n'],
      [['--width', '0'], 'pixel: Expected a whole number between 1 and 65535 for --width but received "0"\n'],
      [['--fit', 'cove'], 'pixel: Expected one of "inside", "cover", "contain", "fill" for --fit but received "cove" (did you mean "cover"?)\n'],
      [['--ink', '#12'], 'pixel: Expected a CSS hex colour like "#1a1a1a" for --ink but received "#12"\n'],
      [['--mask', 'arr'], 'pixel: Expected one of "none", "palette", "file", "array" for --mask but received "arr" (did you mean "array"?)\n'],
      [['--rotate', '45'], 'pixel: Expected 0, 90, 180 or 270 for --rotate but received "45"\n'],
      [['--reporter', 'jsn'], 'pixel: Expected one of "auto", "tui", "plain", "json" for --reporter but received "jsn" (did you mean "json"?)\n'],
    ];
    for (const [argv, first] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(64);
      expect(r.stderr.slice(0, r.stderr.indexOf('\n') + 1)).toBe(first);
    }
  });

  it('a config problem names the file and the key as written, also inside override, and exits 78', async () => {
    const r = await run([], "{ extends: 'pixl-art', override: { dither: { method: 'atkinsn' }, resize: { longside: 4 } }, output: { layout: 'verticl' } }");
    expect(r.code).toBe(78);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^pixel: Invalid configuration in c\w+\.config\.mjs \(4 problems\):$/);
    expect(lines.slice(1, 5)).toEqual([
      '  - Unknown preset "pixl-art" at extends (did you mean "pixel-art"?)',
      '  - [dither] Expected one of "floyd-steinberg", "atkinson", "jarvis-judice-ninke", "stucki", "burkes", "sierra-3", "sierra-2", "sierra-lite", "bayer-2", "bayer-4", "bayer-8", "bayer-16", "blue-noise", "clustered-dot", "ostromoukhov", "zhou-fang", "riemersma", "dot-diffusion", "dbs" for override.dither.method but received "atkinsn" (did you mean "atkinson"?)',
      '  - [resize] Unknown option override.resize.longside (did you mean "longSide"?)',
      '  - Expected one of "horizontal-msb", "horizontal-lsb", "vertical" for output.layout but received "verticl" (did you mean "vertical"?)',
    ]);
  });

  it('a step option problem names the step path', async () => {
    const r = await run([], "{ steps: [{ use: 'resize', longSide: 16, width: 8 }, { use: 'adjust' }, { use: 'dither', method: 'bayer8' }] }");
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('  - [resize] Expected either steps[0].longSide or steps[0].width/steps[0].height but received both longSide and width (longSide sets the long side and keeps the aspect ratio; use width/height with fit for a box.)\n');
    expect(r.stderr).toContain('  - [dither] Expected one of "floyd-steinberg", "atkinson", "jarvis-judice-ninke", "stucki", "burkes", "sierra-3", "sierra-2", "sierra-lite", "bayer-2", "bayer-4", "bayer-8", "bayer-16", "blue-noise", "clustered-dot", "ostromoukhov", "zhou-fang", "riemersma", "dot-diffusion", "dbs" for steps[2].method but received "bayer8" (did you mean "bayer-8"?)\n');
  });
});
