/**
 * What `tsgi serve` records while it imports an app module: the module's name,
 * and whether the module called `serve()` meanwhile. Kept on `globalThis`
 * under a registered symbol, so the copy of `@tsgi/node` the app imports and
 * the one running the CLI (which may differ) see the same record.
 */
interface Loading {
  readonly module: string;
  served: boolean;
}

const KEY = Symbol.for('tsgi.node.loading-app');
const slot = globalThis as { [KEY]?: Loading | undefined };

/** The error `serve()` rejects with, and `tsgi serve` reports, when the app module serves itself. */
function servedAtImportMessage(module: string): string {
  return (
    `${module} called serve() while \`tsgi serve\` imported it: every worker would start a second ` +
    'server of its own. Keep the app module to exporting the application (`export const ' +
    'application = ...`), and call serve() in another file (e.g. server.ts, run with node) or ' +
    'not at all: `tsgi serve` serves the exported application.'
  );
}

/**
 * Called first by `serve()`: when `tsgi serve` is importing an app module,
 * records the call and throws, so the module does not start a server of
 * its own in each worker.
 */
export function refuseServeWhileLoading(): void {
  const loading = slot[KEY];
  if (loading === undefined) return;
  loading.served = true;
  throw new Error(servedAtImportMessage(loading.module));
}

/**
 * Runs `load` (the import of an app module) while `serve()` refuses to run,
 * then throws a clear error when the module called it. The rejection of a
 * `serve()` call the module did not await is not reported a second time.
 */
export async function whileLoadingApp<T>(module: string, load: () => Promise<T>): Promise<T> {
  const loading: Loading = { module, served: false };
  const message = servedAtImportMessage(module);
  const quiet = (reason: unknown) => {
    if (!(reason instanceof Error && reason.message === message)) throw reason;
  };
  process.on('unhandledRejection', quiet);
  slot[KEY] = loading;
  try {
    const value = await load();
    if (loading.served) throw new Error(message);
    return value;
  } finally {
    slot[KEY] = undefined;
    // Unhandled rejections are reported after the microtasks run: stay until then.
    setImmediate(() => process.off('unhandledRejection', quiet));
  }
}
