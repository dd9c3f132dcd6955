import pg from 'pg';
import type { CreationFeed, CreationHandlers, Item } from './store.js';
import { guarded } from './unavailable.js';

/** The channel each transaction that creates an item notifies, with the item as JSON. */
export const ITEMS_CHANNEL = 'items_created';

/**
 * The `SELECT` list of an `INSERT … RETURNING id, name, stock` wrapped in a
 * CTE named `created`: the item, and `pg_notify` of it on
 * {@link ITEMS_CHANNEL}. PostgreSQL holds a notification until its
 * transaction commits and drops it on a rollback, so only committed items are
 * announced, and one statement keeps a plain create at one round trip.
 */
export const NOTIFY_CREATED = `SELECT id, name, stock,
       pg_notify('${ITEMS_CHANNEL}', json_build_object('id', id, 'name', name, 'stock', stock)::text)
  FROM created`;

/** The longest wait between two reconnection attempts, in ms (from 100 ms, doubling). */
export const RECONNECT_MAX_MS = 5000;

/** How often the listening connection is checked with `SELECT 1`, in ms: a silent network loss shows up within this. */
export const LISTEN_CHECK_MS = 30_000;

/** How many recently reported ids are remembered, to drop a notification the catch-up already reported. */
const RECENT = 1024;

/** The rows of one catch-up query after a reconnection. */
const BATCH = 200;

/** The most catch-up queries after one reconnection. */
const CATCH_UP_BATCHES = 50;

/** The timeouts of the listening connection (the store's own settings). */
export interface ListenOptions {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/** The item a notification carries, or undefined for a payload that is not one. */
function parseItem(payload: string | undefined): Item | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Partial<Item>;
    if (
      typeof value?.id === 'number' &&
      typeof value.name === 'string' &&
      typeof value.stock === 'number'
    ) {
      return { id: value.id, name: value.name, stock: value.stock };
    }
  } catch {
    // Not JSON: someone else's NOTIFY on the channel.
  }
  return undefined;
}

/**
 * Follows item creations on PostgreSQL through `LISTEN items_created` on one
 * dedicated connection (not a pooled one: a pooled client is shared, and a
 * LISTEN belongs to its session). Resolves once the LISTEN is in place;
 * rejects with a `DatabaseUnavailableError` when it cannot connect.
 *
 * A lost connection (an error, the server ending it, a failed check every
 * {@link LISTEN_CHECK_MS}) is reported once and re-opened with a backoff up to
 * {@link RECONNECT_MAX_MS}. After reconnecting it LISTENs again and then reads
 * the items with an id above the highest reported, so creations committed
 * while it was away are still reported; notifications of items that catch-up
 * already reported are dropped. PostgreSQL hands out identity values before
 * commit, so an item whose transaction was still open when the connection was
 * lost, with an id below one already reported, is the one case a reconnection
 * can miss.
 */
export function followPostgres(
  url: string,
  options: ListenOptions,
  handlers: CreationHandlers,
): Promise<CreationFeed> {
  let client: pg.Client | undefined;
  let stopped = false;
  let failing = false;
  let last = 0;
  let retryMs = 100;
  let retry: NodeJS.Timeout | undefined;
  const recent = new Set<number>();

  const report = (items: Item[]) => {
    const fresh = items.filter((item) => !recent.has(item.id));
    for (const item of items) if (item.id > last) last = item.id;
    for (const item of fresh) {
      recent.add(item.id);
      if (recent.size > RECENT) recent.delete(recent.values().next().value as number);
    }
    if (fresh.length > 0) handlers.onItems(fresh);
  };

  const lost = (error: unknown) => {
    const gone = client;
    if (stopped || gone === undefined) return;
    client = undefined;
    gone.removeAllListeners('notification');
    gone.end().catch(() => {});
    if (!failing) {
      failing = true;
      handlers.onError(error);
    }
    schedule();
  };

  const schedule = () => {
    retry = setTimeout(() => {
      retry = undefined;
      connect(true).then(
        () => {
          retryMs = 100;
          failing = false;
          handlers.onRecovered();
        },
        () => {
          retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
          if (!stopped) schedule();
        },
      );
    }, retryMs);
    retry.unref();
  };

  /** Opens the connection and LISTENs; then the top id (first time) or the missed items (after a loss). */
  const connect = async (catchUp: boolean) => {
    const fresh = new pg.Client({
      connectionString: url,
      // So an operator sees it in pg_stat_activity.
      application_name: 'items-api events',
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.statementTimeoutMs + 1000,
      keepAlive: true,
    });
    // Until it is the feed's client, an error only fails this attempt.
    fresh.on('error', () => {});
    try {
      await fresh.connect();
      await fresh.query(`LISTEN ${ITEMS_CHANNEL}`);
      if (stopped) throw new Error('stopped');
      client = fresh;
      fresh.on('error', lost);
      fresh.on('end', () => lost(new Error('the LISTEN connection ended')));
      fresh.on('notification', (message) => {
        if (message.channel !== ITEMS_CHANNEL) return;
        const item = parseItem(message.payload);
        if (item !== undefined) report([item]);
      });
      if (catchUp) {
        // In batches, each handed on before the next is read (bounded: a longer gap is cut short).
        for (let batch = 0; batch < CATCH_UP_BATCHES; batch++) {
          const { rows } = await fresh.query<Item>(
            `SELECT id, name, stock FROM items WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
            [last],
          );
          report(rows);
          if (rows.length < BATCH) break;
        }
      } else {
        const { rows } = await fresh.query<{ id: number }>(
          'SELECT coalesce(max(id), 0)::int AS id FROM items',
        );
        last = rows[0]?.id ?? 0;
      }
    } catch (error) {
      if (client === fresh) client = undefined;
      fresh.removeAllListeners('notification');
      await fresh.end().catch(() => {});
      throw error;
    }
  };

  const check = setInterval(() => {
    const current = client;
    current?.query('SELECT 1').catch((error: unknown) => {
      if (client === current) lost(error);
    });
  }, LISTEN_CHECK_MS);
  check.unref();

  return guarded(() => connect(false)).then(
    () => ({
      async stop() {
        stopped = true;
        clearInterval(check);
        if (retry !== undefined) clearTimeout(retry);
        const current = client;
        client = undefined;
        await current?.end().catch(() => {});
      },
    }),
    (error: unknown) => {
      stopped = true;
      clearInterval(check);
      throw error;
    },
  );
}
