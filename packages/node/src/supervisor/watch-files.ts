import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { splitTarget } from './load-app.js';

/** Files whose change reloads: sources and the JSON they may import. */
const WATCHED = /\.(?:[cm]?[jt]s|json)$/;

/** Paths `--reload` watches: `--reload-dir`'s, else the folder of the app module (or `cwd`). */
export function watchedPaths(module: string, reloadDir: string, cwd: string): string[] {
  if (reloadDir !== '') {
    return reloadDir
      .split(',')
      .map((path) => path.trim())
      .filter((path) => path !== '')
      .map((path) => resolve(cwd, path));
  }
  const path = resolve(cwd, splitTarget(module).specifier);
  return [existsSync(path) ? dirname(path) : cwd];
}

/** Whether a changed file (relative to a watched folder) counts: never `node_modules` or dot folders. */
export function counts(file: string): boolean {
  const parts = file.split(sep);
  if (parts.some((part) => part === 'node_modules' || part.startsWith('.'))) return false;
  return WATCHED.test(file);
}

/**
 * Watches `paths` (folders recursively, or single files) and calls
 * `onChange(file)` once changes have been quiet for `debounceMs`, with the
 * last file that changed, relative to `cwd`. Returns a function that stops
 * watching.
 */
export function watchFiles(
  paths: readonly string[],
  debounceMs: number,
  cwd: string,
  onChange: (file: string) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const watchers: FSWatcher[] = [];
  for (const path of paths) {
    const folder = statSync(path).isDirectory();
    const watcher = watch(path, { recursive: folder }, (_event, name) => {
      const file = folder ? (name === null ? '' : String(name)) : '';
      if (folder && !counts(file)) return;
      last = relative(cwd, folder ? resolve(path, file) : path) || path;
      clearTimeout(timer);
      timer = setTimeout(() => onChange(last), debounceMs);
    });
    watcher.unref();
    watchers.push(watcher);
  }
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
