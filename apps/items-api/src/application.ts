/**
 * The module `tsgi serve` loads in each worker: it opens the store that
 * `DATABASE_URL` names (default `sqlite:./data/items.db`), runs the migrations
 * (a no-op once applied; workers starting together queue on a database lock)
 * and exports the app as `application`. `CORS_ORIGINS` limits the origins
 * browsers may call from; `REQUEST_ID_TRUST_PROXY` says whose `X-Request-Id`
 * to keep (`true` behind Nginx on a Unix socket); `NODE_ENV=production` turns
 * `validate()` off, and `GET /environ` too unless `ITEMS_ENVIRON=on`.
 *
 * @example
 * // tsgi serve node_modules/items-api/dist/application.js --workers 2 --socket /run/items-api/tsgi.sock --protocol uwsgi
 */
import { createApp } from './app.js';
import { parseCorsOrigins } from './cors-origins.js';
import { environEnabled } from './environ-switch.js';
import { parseTrust } from './request-id-trust.js';
import { openStore } from './store/open-store.js';

// A bad ITEMS_ENVIRON stops the worker before it touches the database.
const environ = environEnabled(process.env);
const store = openStore(process.env.DATABASE_URL);
await store.migrate();

/** The items service over the store `DATABASE_URL` names. */
export const application = createApp({
  store,
  corsOrigins: parseCorsOrigins(process.env.CORS_ORIGINS),
  requestIdTrust: parseTrust(process.env.REQUEST_ID_TRUST_PROXY),
  environ,
});
