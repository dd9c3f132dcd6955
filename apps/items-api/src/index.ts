export { type AppOptions, createApp } from './app.js';
export { BEHIND_CLOSE, ClientStream, SENT_CLOSE } from './events/client-stream.js';
export {
  CreationHub,
  type ItemCreatedEvent,
  itemCreatedMessage,
  MAX_BEHIND,
  type Wake,
} from './events/hub.js';
export { InvalidItemError, MAX_NAME_LENGTH, parseNewItem } from './item-input.js';
export {
  DEFAULT_LIMIT,
  InvalidQueryError,
  MAX_LIMIT,
  type PageQuery,
  parsePageQuery,
} from './page-query.js';
export {
  fingerprint,
  IDEMPOTENCY_TTL_MS,
  InvalidIdempotencyKeyError,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
} from './store/idempotency.js';
export { MAX_STOCK, MIGRATIONS, type Migration, SEED_ITEMS } from './store/migrations.js';
export {
  type DatabaseTarget,
  DEFAULT_DATABASE_URL,
  openStore,
  parseDatabaseUrl,
} from './store/open-store.js';
export { KEY_WAIT_MS, openPostgresStore, redactUrl } from './store/postgres.js';
export {
  ITEMS_CHANNEL,
  LISTEN_CHECK_MS,
  type ListenOptions,
  RECONNECT_MAX_MS,
} from './store/postgres-listen.js';
export {
  POSTGRES_DEFAULTS,
  type PostgresStoreOptions,
  postgresOptionsFromEnv,
} from './store/postgres-options.js';
export { openSqliteStore } from './store/sqlite.js';
export { SQLITE_POLL_MS } from './store/sqlite-follow.js';
export type {
  CreationFeed,
  CreationHandlers,
  Item,
  ItemPage,
  ItemStore,
  KeyedCreate,
  MaybePromise,
  NewItem,
} from './store/store.js';
export { DatabaseUnavailableError, isUnavailable } from './store/unavailable.js';
export { EVENTS_PROTOCOL, eventsView, originAllowed } from './views/events.js';
export { ITEM_BODY_LIMIT, type ItemViews, itemViews } from './views/items.js';
