import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { logEvent } from '../log/event.js';
import { defaults } from '../options/defaults.js';
import type { CliConfig } from './config.js';
import { watchedPaths, watchFiles } from './watch-files.js';

/** What `--reload` keeps: the last file that changed. */
export interface DevReload {
  /** The last changed file, relative to the working directory, or undefined. */
  lastFile: string | undefined;
}

/**
 * Under `--reload`, watches the app's files and calls `reload(why)` once
 * changes are quiet (`defaults.reloadDebounce`); returns what it tracks, or
 * `undefined` when `--reload` is off.
 */
export function startDevReload(
  config: CliConfig,
  reload: (why: string) => void,
): DevReload | undefined {
  if (!config.reload) return undefined;
  const state: DevReload = { lastFile: undefined };
  const cwd = process.cwd();
  const paths = watchedPaths(config.module, config.reloadDir, cwd);
  watchFiles(paths, defaults.reloadDebounce, cwd, (file) => {
    state.lastFile = file;
    reload(`${file} changed`);
  });
  logEvent('master', `--reload: watching ${paths.join(', ')} (development only)`);
  return state;
}

/**
 * A worker's boot error, with the file and line of a JavaScript syntax error
 * added when the error has none (V8 leaves them out of an ES module's
 * `SyntaxError`): `node --check` on the file that changed last prints them.
 * TypeScript syntax errors from type stripping carry them already.
 */
export function withSyntaxLocation(error: string, dev: DevReload | undefined): string {
  const file = dev?.lastFile;
  if (file === undefined || !error.startsWith('SyntaxError') || !/\.[cm]?js$/.test(file)) {
    return error;
  }
  const check = spawnSync(process.execPath, ['--check', resolve(file)], { encoding: 'utf8' });
  const where = check.stderr.split('\n\n')[0]?.trim();
  return check.status === 0 || !where ? error : `${where}\n${error}`;
}
