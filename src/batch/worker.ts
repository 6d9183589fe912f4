/**
 * A batch worker thread: resolves each recipe's config once, and converts the
 * bytes it is sent through the engine (each pipeline built once) and posts
 * the encoded files back. Writing (atomic, cancellable, cached) stays on the
 * main thread, so a terminated worker can never leave a half-written file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, loadPlugins } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolve.js';
import { Engine } from '../convert.js';
import { pluginTable } from '../plugins/index.js';
import { resolveRecipe, type ConfigContext } from './plan.js';
import { ownBytes, serializeError, type TaskMessage, type WorkerInit, type WorkerReply } from './protocol.js';

const init = workerData as WorkerInit;
let context: Promise<Pick<ConfigContext, 'config' | 'source' | 'plugins'> & { engine: Engine }> | undefined;
const configs = new Map<string, Promise<ResolvedConfig>>();

async function loadContext() {
  if (init.config) {
    const plugins = pluginTable(await loadPlugins(init.config.plugins ?? [], init.configDir, init.source));
    return { config: init.config, source: init.source, plugins, engine: new Engine(plugins, { baseDir: init.configDir }) };
  }
  const loaded = await loadConfig({ cwd: init.cwd, configPath: init.configPath });
  const config = init.maxPixels !== undefined ? { ...loaded.config, maxPixels: init.maxPixels } : loaded.config;
  const plugins = pluginTable(loaded.plugins);
  return { config, source: init.source, plugins, engine: new Engine(plugins, { baseDir: init.configDir }) };
}

/** The task's config, resolved once per key on this side of the thread wall. */
async function configFor(task: TaskMessage): Promise<ResolvedConfig> {
  context ??= loadContext();
  let entry = configs.get(task.key);
  if (!entry) {
    entry = context.then((ctx) => resolveRecipe(ctx, task.recipe));
    configs.set(task.key, entry);
  }
  return entry;
}

const port = parentPort!;
// Loading sharp and the plugins is most of a worker's start-up: say when it is done.
port.postMessage({ type: 'ready' } satisfies WorkerReply);
port.on('message', async (task: TaskMessage) => {
  const warnings: string[] = [];
  try {
    const config = await configFor(task);
    const { engine } = await context!;
    const result = await engine.convert(Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), config, {
      key: task.key,
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
