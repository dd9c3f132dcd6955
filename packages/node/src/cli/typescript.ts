/** Module file endings Node's type stripping runs (not `.tsx`: stripping does not do JSX). */
const TYPESCRIPT = /\.(?:ts|mts|cts)$/;

/** Whether this Node strips TypeScript types itself: on by default from 22.18 and 23.6. */
export function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false };
  if (typeof features.typescript === 'string') return true;
  return process.execArgv.some((arg) => arg.startsWith('--experimental-strip-types'));
}

/**
 * The message refusing a TypeScript app module on a Node that cannot run
 * it, naming the fixes; `undefined` when `path` is not TypeScript or this
 * Node strips types.
 *
 * @example
 * typeScriptProblem('src/app.ts'); // on Node 20: "src/app.ts is TypeScript, ..."
 */
export function typeScriptProblem(path: string): string | undefined {
  if (!TYPESCRIPT.test(path) || nodeStripsTypes()) return undefined;
  return (
    `${path} is TypeScript, and Node ${process.version} cannot run TypeScript by itself. ` +
    'Use Node 22.18 or later (it strips types), or compile the app (tsc) and serve the ' +
    '.js file: tsgi serve dist/app.js'
  );
}
