/**
 * The import graph of src/ (and presets/): no import circles, and every
 * arrow points down the floors below. Test files are left out (a test may
 * import anything). Arrows that still climb would be listed in CLIMBING (none now)
 * with the reason; the list can only shrink: an entry that no longer exists
 * fails the test too, so whoever removes an arrow removes its entry.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import fg from 'fast-glob';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/**
 * Floors, lowest first. A module may import from its own area and from any
 * area on a lower floor; areas on the same floor are siblings and import
 * neither each other nor anything above.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['pipeline'], // the image contract, plugin interface, options vocabulary, errors: imports nothing of ours
  ['kernels', 'image', 'files'], // pixel loops shared by plugins and nn (error diffusion, resampling); decode/encode and colour; file system
  ['metrics'], // quality measures on images
  ['nn'], // tfjs models, training, inference
  ['sprite'], // sprite models built on nn
  ['config'], // config files: load, validate, resolve (plugins and presets are handed in)
  ['plugins', 'presets'], // built-in steps; built-in presets (written in the config vocabulary)
  ['engine'], // src/convert.ts: resolve → build → decode → run → encode
  ['batch', 'eval'], // many files: plan, cache, workers, watch; evaluation tables
  ['cli'], // argument parsing, commands, reporters, exit codes
  ['api'], // src/index.ts: the public library surface
];

/**
 * Arrows that still climb, each a bigger move than this test's change:
 * `from → to`, both relative to the repository root.
 */
const CLIMBING: ReadonlySet<string> = new Set<string>([]);

function areaOf(file: string): string {
  if (file === 'src/convert.ts') return 'engine';
  if (file === 'src/index.ts') return 'api';
  const parts = file.split('/');
  return parts[0] === 'presets' ? 'presets' : parts[1];
}

function floorOf(area: string): number {
  return FLOORS.findIndex((floor) => floor.includes(area));
}

/** Every relative import (static, type-only, re-export and dynamic) of every non-test module, resolved to files. */
function importGraph(): Map<string, string[]> {
  const files = fg.sync(['src/**/*.{ts,tsx}', 'presets/**/*.ts'], { cwd: ROOT, ignore: ['**/*.test.ts', '**/*.test.tsx'] }).sort();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = relative(ROOT, join(ROOT, dirname(file), fileName)).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((f) => known.has(f));
      if (!target) throw new Error(`${file}: cannot resolve import '${fileName}'`);
      targets.push(target);
    }
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('finds the modules and their imports', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/convert.ts')).toContain('src/pipeline/pipeline.ts');
    // Dynamic and type-only imports count too.
    expect(graph.get('src/nn/grad-worker.ts')).toContain('src/nn/grads.ts');
    expect(graph.get('src/nn/kernels.ts')).toContain('src/nn/tf-type.ts');
  });

  it('places every module on a floor', () => {
    const unplaced = [...graph.keys()].filter((f) => floorOf(areaOf(f)) < 0);
    expect(unplaced, 'add the new folder to FLOORS').toEqual([]);
  });

  it('has no import circles', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('decides exit codes in cli/ only: the exit-code table lives there, and no module below sets or ends the process', () => {
    expect(graph.has('src/cli/exit-codes.ts')).toBe(true);
    const below = [...graph.keys()].filter((f) => areaOf(f) !== 'cli');
    const deciding = below.filter((f) => /process\.exit(Code)?\s*(\(|=)|\bEXIT\s*=/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(deciding).toEqual([]);
  });

  it('has every arrow pointing down (or within its own folder), except the listed ones, which all still exist', () => {
    const climbing: string[] = [];
    for (const [from, targets] of graph) {
      const a = areaOf(from);
      for (const to of targets) {
        const b = areaOf(to);
        if (a !== b && floorOf(b) >= floorOf(a)) climbing.push(`${from} → ${to}`);
      }
    }
    expect(climbing.filter((arrow) => !CLIMBING.has(arrow)), 'an import climbs: move what it needs down, or the importer up').toEqual([]);
    expect([...CLIMBING].filter((arrow) => !climbing.includes(arrow)), 'this arrow is gone: remove it from CLIMBING').toEqual([]);
  });
});
