import { cors } from '@tsgi/middleware-cors';
import { requestId } from '@tsgi/middleware-request-id';
import { timing } from '@tsgi/middleware-timing';
import { router } from '@tsgi/router';
import { type Application, validate } from '@tsgi/spec';
import { environEnabled } from './environ-switch.js';
import { CreationHub } from './events/hub.js';
import type { ItemStore } from './store/store.js';
import { environView } from './views/environ.js';
import { eventsView } from './views/events.js';
import { healthView } from './views/health.js';
import { itemViews } from './views/items.js';
import { notFoundView } from './views/not-found.js';
import { answerUnavailable } from './views/unavailable.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Where the items live (see `openStore`). */
  store: ItemStore;
  /**
   * Wrap the stack in `validate()` from `@tsgi/spec` at both ends. Default:
   * on unless `NODE_ENV` is `production`.
   */
  validate?: boolean;
  /**
   * Origins allowed to call the API from a browser: `'*'` (default) or a list
   * such as `['https://shop.example']`.
   */
  corsOrigins?: '*' | string[];
  /** Write the timing line of each request to `tsgi.errors`. Default true. */
  log?: boolean;
  /**
   * Whose `X-Request-Id` to keep instead of making a new id: `false` (default,
   * always a new one), `true` (every peer: only when Nginx alone can reach the
   * app and sets the header itself), or addresses/CIDRs, `'loopback'`, `'unix'`
   * (see @tsgi/middleware-request-id).
   */
  requestIdTrust?: boolean | string | readonly string[];
  /**
   * Serve `GET /environ` (credentials redacted). Default: `ITEMS_ENVIRON`
   * when set, else on unless `NODE_ENV` is `production` (see
   * `environEnabled`). Off, `/environ` is a 404 like any unknown path.
   */
  environ?: boolean;
  /**
   * Where the events feed logs its outages and recoveries (one line each).
   * Default: stderr, the worker's log.
   */
  eventsLog?: (line: string) => void;
}

/**
 * The items service: `cors(timing(requestId(router({...}))))`, with
 * `validate()` around the whole stack and around the router while developing
 * and testing.
 *
 * | route              | answer                                              |
 * | ------------------ | --------------------------------------------------- |
 * | `GET /health`      | `{"status": "ok", "server", "node", "database", "pid", "time"}` |
 * | `GET /items`       | `{"items": [...], "total": N}` (`?limit=&offset=`)  |
 * | `POST /items`      | 201 `{"item": {"id", "name", "stock"}}`             |
 * | `GET /items/:id`   | `{"item": {...}}` or 404                            |
 * | `GET /items/events`| WebSocket: `{"type": "item.created", "item"}` per new item (426 without the upgrade) |
 * | `GET /environ`     | `{"environ": {...}}`, when `environ` is on          |
 *
 * Any other path is a 404 `{"error": "路径 /x 不存在"}`; a known path with
 * another method a 405 with `Allow`; a database out of reach a 503
 * `{"error": "database unavailable; try again shortly"}` (`/health` too). Every response the router produces carries
 * `X-Process-Time` and `X-Request-Id`; a CORS preflight is answered by `cors()`
 * before timing runs, so it has neither.
 *
 * @example
 * const store = openStore(process.env.DATABASE_URL);
 * await store.migrate();
 * await serve(createApp({ store }), { port: 8002 });
 */
export function createApp(options: AppOptions): Application {
  const { store } = options;
  const checked = options.validate ?? process.env.NODE_ENV !== 'production';
  const items = itemViews(store);
  const showEnviron = options.environ ?? environEnabled(process.env);
  // Each view that reads the store answers a lost database with its 503 itself,
  // inside the router, whose own error mapping would otherwise make it a 500.
  const guard = answerUnavailable;
  const corsOrigins = options.corsOrigins ?? '*';
  const hub = new CreationHub(
    store,
    options.eventsLog ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  const routes = router(
    {
      '/health': { GET: guard(healthView(store)) },
      '/items': { GET: guard(items.list), POST: guard(items.create) },
      '/items/:id': { GET: guard(items.show) },
      '/items/events': { GET: guard(eventsView(hub, corsOrigins)) },
      ...(showEnviron ? { '/environ': { GET: environView } } : {}),
    },
    { notFound: notFoundView },
  );
  const inner = checked ? validate(routes) : routes;
  const identified = requestId(inner, { trustProxy: options.requestIdTrust ?? false });
  const stack = cors(timing(identified, { log: options.log ?? true }), {
    origin: corsOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    exposedHeaders: ['X-Process-Time', 'X-Request-Id', 'Location'],
  });
  return checked ? validate(stack) : stack;
}
