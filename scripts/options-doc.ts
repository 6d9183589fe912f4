/**
 * npm run docs:options: prints the README's step reference from the plugins'
 * option tables (the same tables that validate config and drive --help), so the
 * docs cannot drift from the code. Paste the output into README.md.
 */
import type { Field } from '../src/pipeline/options.js';
import { adjustSchema } from '../src/plugins/adjust/index.js';
import { ditherOptionsSchema } from '../src/plugins/dither/index.js';
import { builtinPlugins } from '../src/plugins/index.js';
import { paletteSchema } from '../src/plugins/palette/index.js';
import { resizeSchema } from '../src/plugins/resize/index.js';
import { thresholdSchema } from '../src/plugins/threshold/index.js';
import { upscaleSchema } from '../src/plugins/upscale/index.js';

const schemas: Record<string, Record<string, Field<unknown>>> = {
  resize: resizeSchema,
  adjust: adjustSchema,
  threshold: thresholdSchema,
  dither: ditherOptionsSchema,
  upscale: upscaleSchema,
  palette: paletteSchema,
} as never;

function show(v: unknown): string {
  return v === undefined ? '—' : `\`${JSON.stringify(v)}\``;
}

for (const plugin of builtinPlugins) {
  const schema = schemas[plugin.name];
  if (!schema) continue;
  console.log(`#### \`${plugin.name}\`\n\n${plugin.description}\n`);
  console.log('| option | default | accepts | what it does |\n|---|---|---|---|');
  for (const [key, field] of Object.entries(schema)) console.log(`| \`${key}\` | ${show(field.default)} | ${field.expected.replace(/\|/g, '\\|')} | ${field.description.replace(/\|/g, '\\|')} |`);
  console.log('');
}
