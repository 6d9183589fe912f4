/**
 * The environment of a user's shell, for tests that run git, npm, npx or pre-commit as a user
 * would: this node (and its npm) first on PATH, a fixed git identity and no user or system git
 * config (a global core.hooksPath or commit.gpgsign would change what a commit does), no
 * colours, and none of the variables `npm test` and vitest export. npm_config_local_prefix
 * in particular would make an `npm install` in a temporary folder install into this repository.
 */
import { devNull } from 'node:os';
import { delimiter, dirname } from 'node:path';
import { cleanEnv } from './batch-helpers.js';

/** npm settings a test may pass on: the cache and registry a user configured, and these. */
const KEEP_NPM = /^npm_config_(cache|registry|userconfig|prefer_offline|audit|fund|update_notifier)$/i;

export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv({
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    // The packages pixel depends on are in npm's cache after `npm ci`: no need to ask the registry.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  }) as NodeJS.ProcessEnv;
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) && !KEEP_NPM.test(k) && !(k in extra)) delete env[k];
  for (const k of ['NODE_ENV', 'FORCE_COLOR', 'HUSKY', 'SKIP', 'PRE_COMMIT_HOME', 'INIT_CWD', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST']) if (!(k in extra)) delete env[k];
  return env;
}
