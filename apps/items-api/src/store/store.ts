/** An item as the API returns it. */
export interface Item {
  id: number;
  name: string;
  stock: number;
}

/** What `POST /items` stores: a name and a stock count. */
export interface NewItem {
  name: string;
  stock: number;
}

/** One page of items and how many there are in all. */
export interface ItemPage {
  items: Item[];
  total: number;
}

/** A value now (SQLite) or later (PostgreSQL): the app awaits either. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What a keyed `createOnce` did: `created` (this call stored the item),
 * `replayed` (an earlier call with the same key and body did; its item is
 * returned), `mismatch` (the key was used with another body: 422) or
 * `in-progress` (another request with the key is still running: 409).
 */
export type KeyedCreate =
  | { outcome: 'created' | 'replayed'; item: Item }
  | { outcome: 'mismatch' | 'in-progress' };

/** What {@link ItemStore.followCreations} reports to. */
export interface CreationHandlers {
  /** Items committed since the last call, in the order the feed learnt of them. */
  onItems(items: Item[]): void;
  /** The feed lost the database; it keeps trying by itself. Called once per outage. */
  onError(error: unknown): void;
  /** The feed is following again after {@link CreationHandlers.onError}. */
  onRecovered(): void;
}

/** A running feed of committed item creations; `stop()` releases its connection or timer. */
export interface CreationFeed {
  stop(): Promise<void>;
}

/**
 * Where the items live. SQLite answers synchronously, PostgreSQL with promises;
 * callers `await` every call, so both fit. Every worker process opens its own
 * store on the same database, which is what keeps them in agreement.
 */
export interface ItemStore {
  /** `"sqlite"` or `"postgres"`, for `/health` and logs. */
  readonly kind: 'sqlite' | 'postgres';
  /** Where it points, without any password: a file path or `postgres://user@host/db`. */
  readonly location: string;
  /**
   * Creates the schema and inserts the seed items, each step once. Safe to run
   * from several processes at the same time: they queue on a database lock.
   * Returns the migrations this call applied (empty when the database was up to date).
   */
  migrate(): Promise<string[]>;
  /** Items ordered by id, `limit` of them from `offset`, with the total count. */
  list(limit: number, offset: number): MaybePromise<ItemPage>;
  /** The item with this id, or `undefined`. */
  get(id: number): MaybePromise<Item | undefined>;
  /** Stores a new item and returns it with its id. */
  create(item: NewItem): MaybePromise<Item>;
  /**
   * Stores `item` once per `key`: the key, its body's fingerprint and the item
   * are written in one transaction, so two processes (or machines) racing on a
   * key create one item. A key older than `ttlMs` is free again.
   */
  createOnce(key: string, item: NewItem, ttlMs: number): MaybePromise<KeyedCreate>;
  /**
   * Follows the items committed from now on by any process on the database:
   * SQLite watches the file (`PRAGMA data_version`, then the rows past the
   * last id seen, every `SQLITE_POLL_MS`), PostgreSQL listens on the
   * `items_created` channel that each creating transaction notifies. Resolves
   * once following (so an item committed after that is reported); rejects
   * with a `DatabaseUnavailableError` when the database cannot be reached.
   * One feed per process serves all of its clients (see `CreationHub`).
   */
  followCreations(handlers: CreationHandlers): Promise<CreationFeed>;
  /** Throws when the database cannot be reached; used by `/health`. */
  ping(): MaybePromise<void>;
  /** Closes the connection (or pool). */
  close(): Promise<void>;
}
