import { fileURLToPath } from 'node:url';

/** Where the global setup bundles the CLIs. */
export const BIN_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/items-api-bin/', import.meta.url),
);
/** The bundled `items-api` CLI. */
export const ITEMS_API = `${BIN_DIR}cli.js`;
/** The bundled `tsgi` CLI of @tsgi/node. */
export const TSGI = `${BIN_DIR}tsgi.js`;
/** The bundled application module `tsgi serve` loads. */
export const APPLICATION = `${BIN_DIR}application.js`;
/** apps/items-api/deploy/ */
export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));
