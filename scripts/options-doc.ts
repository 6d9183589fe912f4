/**
 * npm run docs:options: rewrites the README's step reference (between the
 * `options:start` / `options:end` markers) from the plugins' option tables:
 * the same tables that validate config, so the docs cannot drift from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtinPlugins } from '../src/plugins/index.js';

const README = join(resolve(import.meta.dirname, '..'), 'README.md');
const cell = (s: string) => s.replace(/\|/g, '\\|');
const show = (v: unknown) => (v === undefined ? '—' : `\`${JSON.stringify(v)}\``);

const parts: string[] = [];
for (const plugin of builtinPlugins) {
  parts.push(`#### \`${plugin.name}\`\n\n${plugin.description}\n`);
  const table = plugin.optionTable;
  if (!table) continue;
  parts.push('| option | default | accepts | what it does |\n|---|---|---|---|');
  for (const [key, field] of Object.entries(table)) parts.push(`| \`${key}\` | ${show(field.default)} | ${cell(field.expected)} | ${cell(field.description)} |`);
  parts.push('');
}
const text = readFileSync(README, 'utf8');
const start = '<!-- options:start (npm run docs:options) -->';
const end = '<!-- options:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`);
writeFileSync(README, text.slice(0, a + start.length) + '\n' + parts.join('\n') + '\n' + text.slice(b));
console.log(`README.md: step reference for ${builtinPlugins.length} plugins`);
