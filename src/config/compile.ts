/**
 * Compiles a config module (TypeScript, or JavaScript that imports pixel) to
 * an ES module with the `typescript` package, as cosmiconfig's TypeScript
 * loader does, with two differences:
 *
 * - A syntax error is an error. `transpileModule` repairs what it cannot
 *   parse (a missing comma or brace is inserted) and reports it only on
 *   request, so a half-typed config would run as something else; here every
 *   syntax diagnostic is reported with file, line and column, and nothing runs.
 * - `import … from 'pixel-1bit'` (and the old name `'pixel'`) is rewritten to
 *   the file URL of the pixel that is running, so a config works whatever the
 *   project has installed: a global install, npx, the pre-commit framework's
 *   own environment, or a project pinned to another version.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type TS from 'typescript';
import { PixelError } from '../pipeline/errors.js';

/** The package's names a config may import it by: today's and the name it had before. */
export const PIXEL_SPECIFIERS = new Set(['pixel-1bit', 'pixel']);

/** A quick test whether a JavaScript config imports pixel at all (only those need compiling). */
export const IMPORTS_PIXEL = /\b(?:from|import)\s*\(?\s*['"]pixel(?:-1bit)?['"]/;

/**
 * The public entry of the running pixel: the bundled CLI's own index.js (it
 * shares the CLI's modules, see scripts/bundle.mjs), dist/src/index.js when
 * built, or src/index.ts when pixel itself runs from source (vitest, tsx).
 */
export function runningPixelEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (basename(dirname(here)) === 'cli' && basename(dirname(dirname(here))) === 'dist') return join(dirname(here), 'index.js');
  const built = fileURLToPath(new URL('../index.js', import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL('../index.ts', import.meta.url));
}

/** Where a problem is, as editors and terminals link it: `pixel.config.ts:4:3`. */
function location(ts: typeof TS, d: TS.Diagnostic, display: string): string {
  if (!d.file || d.start === undefined) return display;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${display}:${line + 1}:${character + 1}`;
}

/** The syntax errors among TypeScript's diagnostics, as `file:line:column: message`. */
function syntaxProblems(ts: typeof TS, diagnostics: readonly TS.Diagnostic[] = [], display: string): string[] {
  return diagnostics.filter((d) => d.file && d.category === ts.DiagnosticCategory.Error).map((d) => `${location(ts, d, display)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** The syntax errors of a config module, found without running it (for a JavaScript config that Node refused). */
export async function findSyntaxErrors(filepath: string, content: string, display: string): Promise<string[]> {
  const ts = (await import('typescript')).default;
  return syntaxProblems(ts, ts.transpileModule(content, { fileName: filepath, reportDiagnostics: true, compilerOptions: { allowJs: true } }).diagnostics, display);
}

export function syntaxError(display: string, problems: string[]): PixelError {
  return new PixelError('E_CONFIG', `The config does not parse (${problems.length === 1 ? '1 syntax error' : `${problems.length} syntax errors`}); nothing was run`, {
    file: display,
    problems,
    hint: 'Fix the code at the line and column above, then run pixel again.',
  });
}

/** Rewrites the module specifiers that name pixel (imports, re-exports, `import()`) to `target`. */
function rewritePixelImports(ts: typeof TS, target: string): TS.TransformerFactory<TS.SourceFile> {
  return (context) => {
    const f = context.factory;
    const replace = (s: TS.Expression) => (ts.isStringLiteral(s) && PIXEL_SPECIFIERS.has(s.text) ? f.createStringLiteral(target) : s);
    const visit = (node: TS.Node): TS.Node => {
      if (ts.isImportDeclaration(node)) return f.updateImportDeclaration(node, node.modifiers, node.importClause, replace(node.moduleSpecifier), node.attributes);
      if (ts.isExportDeclaration(node) && node.moduleSpecifier)
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, replace(node.moduleSpecifier), node.attributes);
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0)
        return f.updateCallExpression(node, node.expression, node.typeArguments, [replace(node.arguments[0]), ...node.arguments.slice(1)]);
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitNode(file, visit) as TS.SourceFile;
  };
}

/**
 * The config as an ES module, ready to import from a file beside it.
 * `compilerOptions` are the nearest tsconfig.json's; the module settings are
 * pixel's, so the output is an ES module whatever the project compiles to.
 */
export async function compileConfig(filepath: string, content: string, options: { cwd: string; compilerOptions?: Record<string, unknown> }): Promise<string> {
  const ts = (await import('typescript')).default;
  const display = relative(options.cwd, filepath) || filepath;
  const result = ts.transpileModule(content, {
    fileName: filepath,
    reportDiagnostics: true,
    compilerOptions: { ...options.compilerOptions, allowJs: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: false, sourceMap: false, inlineSourceMap: false, declaration: false },
    transformers: { before: [rewritePixelImports(ts, pathToFileURL(runningPixelEntry()).href)] },
  });
  const problems = syntaxProblems(ts, result.diagnostics, display);
  if (problems.length > 0) throw syntaxError(display, problems);
  return result.outputText;
}
