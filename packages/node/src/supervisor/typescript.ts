/** Module file endings Node's type stripping runs (not `.tsx`: stripping does not do JSX). */
const TYPESCRIPT = /\.(?:ts|mts|cts)$/;

/** Whether this Node strips TypeScript types itself: on by default from 22.18 and 23.6. */
function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false };
  if (typeof features.typescript === 'string') return true;
  return process.execArgv.some((arg) => arg.startsWith('--experimental-strip-types'));
}

/** Whether a module loader (`--import tsx`, `--loader ...`) is set up, which may run TypeScript. */
function loaderGiven(): boolean {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return options.some((option) => /^--(?:import|loader|experimental-loader)\b/.test(option));
}

/**
 * The message refusing a TypeScript app module on a Node that cannot run
 * it, naming the fixes; `undefined` when `path` is not TypeScript, this
 * Node strips types, or a loader such as tsx is given (`NODE_OPTIONS='--import tsx'`).
 *
 * @example
 * typeScriptProblem('src/app.ts'); // on Node 20: "src/app.ts is TypeScript, ..."
 */
export function typeScriptProblem(path: string): string | undefined {
  if (!TYPESCRIPT.test(path) || nodeStripsTypes() || loaderGiven()) return undefined;
  return (
    `${path} is TypeScript, and Node ${process.version} cannot run TypeScript by itself. ` +
    'Use Node 22.18 or later (it strips types), or compile the app (tsc) and serve the ' +
    ".js file: tsgi serve dist/app.js (or run it with a loader: NODE_OPTIONS='--import tsx')"
  );
}
