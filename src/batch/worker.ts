/**
 * A batch worker thread: resolves each recipe's config once, builds its
 * pipeline once, then decodes → runs → encodes the bytes it is sent and posts
 * the encoded files back. Writing (atomic, cancellable, cached) stays on the
 * main thread, so a terminated worker can never leave a half-written file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, loadPlugins } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolve.js';
import { runOne } from '../convert.js';
import { buildPipeline, type Pipeline } from '../pipeline/pipeline.js';
import { pluginTable } from '../plugins/index.js';
import { resolveRecipe, type ConfigContext } from './plan.js';
import { ownBytes, serializeError, type TaskMessage, type WorkerInit, type WorkerReply } from './protocol.js';

const init = workerData as WorkerInit;
let context: Promise<Pick<ConfigContext, 'config' | 'source' | 'plugins'>> | undefined;
const built = new Map<string, Promise<{ config: ResolvedConfig; pipeline: Pipeline }>>();

async function loadContext(): Promise<Pick<ConfigContext, 'config' | 'source' | 'plugins'>> {
  if (init.config) {
    const plugins = await loadPlugins(init.config.plugins ?? [], init.configDir, init.source);
    return { config: init.config, source: init.source, plugins: pluginTable(plugins) };
  }
  const loaded = await loadConfig({ cwd: init.cwd, configPath: init.configPath });
  const config = init.maxPixels !== undefined ? { ...loaded.config, maxPixels: init.maxPixels } : loaded.config;
  return { config, source: init.source, plugins: pluginTable(loaded.plugins) };
}

function pipelineFor(task: TaskMessage) {
  let entry = built.get(task.key);
  if (!entry) {
    entry = (async () => {
      context ??= loadContext();
      const ctx = await context;
      const config = resolveRecipe(ctx, task.recipe);
      return { config, pipeline: await buildPipeline(config.steps, ctx.plugins) };
    })();
    built.set(task.key, entry);
  }
  return entry;
}

const port = parentPort!;
// Loading sharp and the plugins is most of a worker's start-up: say when it is done.
port.postMessage({ type: 'ready' } satisfies WorkerReply);
port.on('message', async (task: TaskMessage) => {
  const warnings: string[] = [];
  try {
    const { config, pipeline } = await pipelineFor(task);
    const result = await runOne(Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), config, pipeline, {
      file: task.file,
      warn: (m) => warnings.push(m),
    });
    const data = ownBytes(result.data);
    const extras = result.extras.map((x) => ({ suffix: x.suffix, data: ownBytes(x.data) }));
    const reply: WorkerReply = { type: 'done', id: task.id, data, format: result.format, extras, warnings };
    port.postMessage(reply, [data.buffer as ArrayBuffer, ...extras.map((x) => x.data.buffer as ArrayBuffer)]);
  } catch (error) {
    const reply: WorkerReply = { type: 'error', id: task.id, error: serializeError(error) };
    port.postMessage(reply);
  }
});
