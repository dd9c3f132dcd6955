import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Application } from '@tsgi/spec';
import { whileLoadingApp } from '../listener/serve-guard.js';
import { typeScriptProblem } from './typescript.js';

/**
 * Splits `module[:export]` into the module and the export name (when the
 * part after the last colon is a JavaScript identifier).
 *
 * @example
 * splitTarget('src/app.ts:api'); // { specifier: 'src/app.ts', exportName: 'api' }
 */
export function splitTarget(target: string): { specifier: string; exportName?: string } {
  const colon = target.lastIndexOf(':');
  if (colon > 0 && /^[A-Za-z_$][\w$]*$/.test(target.slice(colon + 1))) {
    return { specifier: target.slice(0, colon), exportName: target.slice(colon + 1) };
  }
  return { specifier: target };
}

/**
 * Imports `module[:export]` and returns the TSGI application it exports:
 * the named export when given, else `application`, else `default`. A path is
 * resolved against `cwd`; anything else is resolved like a package import
 * from `cwd`. Throws an error naming the module and what it found there.
 *
 * @example
 * const app = await loadApplication('dist/app.js:api', process.cwd());
 */
export async function loadApplication(target: string, cwd: string): Promise<Application> {
  const { specifier, exportName } = splitTarget(target);
  const path = resolve(cwd, specifier);
  const typeScript = typeScriptProblem(specifier);
  if (typeScript !== undefined) throw new Error(typeScript);
  let url: string;
  if (existsSync(path)) {
    url = pathToFileURL(path).href;
  } else if (specifier.startsWith('.') || specifier.startsWith('/')) {
    throw new Error(`application module ${specifier} not found (looked at ${path})`);
  } else {
    url = pathToFileURL(createRequire(resolve(cwd, 'package.json')).resolve(specifier)).href;
  }
  const namespace = (await whileLoadingApp(specifier, () => import(url))) as Record<
    string,
    unknown
  >;
  const names = exportName === undefined ? ['application', 'default'] : [exportName];
  for (const name of names) {
    const value = namespace[name];
    if (typeof value === 'function') return value as Application;
    if (value !== undefined && exportName !== undefined) {
      throw new Error(
        `${specifier}: export ${name} is a ${typeof value}, not a TSGI application function`,
      );
    }
  }
  const found = Object.keys(namespace).join(', ') || 'nothing';
  throw new Error(
    `${specifier} has no ${names.map((n) => `\`${n}\``).join(' or ')} export that is a function (it exports: ${found})`,
  );
}
