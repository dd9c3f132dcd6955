import type { CreationFeed, Item, ItemStore } from '../store/store.js';

/**
 * How many events a client may fall behind before it is closed with 1013.
 * The hub keeps the last events once for all its clients (at most twice this
 * many), and each client only its position in them, so a client that stops
 * reading costs its worker a number, not a growing queue.
 */
export const MAX_BEHIND = 1024;

/** The event a client receives for each committed item. */
export interface ItemCreatedEvent {
  type: 'item.created';
  item: Item;
}

/** The text of the event for `item`: `{"type":"item.created","item":{"id","name","stock"}}`. */
export const itemCreatedMessage = (item: Item): string =>
  JSON.stringify({ type: 'item.created', item } satisfies ItemCreatedEvent);

/** Told that events were published; reads them with `CreationHub.read`. */
export type Wake = () => void;

/**
 * One process's fan-out of item creations to its WebSocket clients. The
 * store's feed (`followCreations`: one LISTEN connection, or one SQLite
 * reader and its timer) runs only while at least one client is joined. Each
 * event is serialised once into a shared log numbered from 0; a client reads
 * it from its own position (`read`) at its own pace.
 */
export class CreationHub {
  private readonly store: ItemStore;
  private readonly log: (line: string) => void;
  private readonly clients = new Set<Wake>();
  private feed: Promise<CreationFeed> | undefined;
  /** Bumped whenever the feed stops: a stopped feed's late items are dropped. */
  private generation = 0;
  private readonly events: string[] = [];
  /** The number of `events[0]`. */
  private first = 0;

  /** `log` receives one line per outage and recovery of the feed. */
  constructor(store: ItemStore, log: (line: string) => void) {
    this.store = store;
    this.log = log;
  }

  /** How many clients are joined. */
  get size(): number {
    return this.clients.size;
  }

  /** The number the next event will have: a new client starts reading there. */
  get end(): number {
    return this.first + this.events.length;
  }

  /**
   * Event number `position`, `undefined` when it is not published yet, or
   * `null` when the client is more than {@link MAX_BEHIND} behind (dropped).
   */
  read(position: number): string | null | undefined {
    if (this.end - position > MAX_BEHIND || position < this.first) return null;
    return this.events[position - this.first];
  }

  /**
   * Adds a client, woken after each publication; resolves with its `leave`
   * function once the feed follows the database (so every item committed
   * after that reaches it). Rejects, with the client removed, when the feed
   * cannot start (a `DatabaseUnavailableError`: the view answers 503).
   */
  async join(wake: Wake): Promise<() => void> {
    this.clients.add(wake);
    const leave = () => this.leave(wake);
    try {
      await this.start();
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  private start(): Promise<CreationFeed> {
    if (this.feed !== undefined) return this.feed;
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    const feed = this.store.followCreations({
      onItems: (items) => {
        if (current()) this.publish(items);
      },
      onError: (error) => {
        if (current())
          this.log(
            `GET /items/events: lost the ${this.store.kind} feed, retrying: ${(error as Error)?.message ?? String(error)}`,
          );
      },
      onRecovered: () => {
        if (current()) this.log(`GET /items/events: the ${this.store.kind} feed follows again`);
      },
    });
    this.feed = feed;
    // A feed that failed to start is forgotten: the next client tries again.
    feed.catch(() => {
      if (this.feed === feed) this.feed = undefined;
    });
    return feed;
  }

  private leave(wake: Wake): void {
    if (!this.clients.delete(wake) || this.clients.size > 0) return;
    const feed = this.feed;
    if (feed === undefined) return;
    this.feed = undefined;
    this.generation++;
    // Nobody reads the log any more: it goes, numbering goes on.
    this.first += this.events.length;
    this.events.length = 0;
    feed.then(
      (running) => running.stop().catch(() => {}),
      () => {},
    );
  }

  private publish(items: Item[]): void {
    for (const item of items) this.events.push(itemCreatedMessage(item));
    // Trimmed in steps of MAX_BEHIND, not one event at a time.
    if (this.events.length > 2 * MAX_BEHIND) {
      const drop = this.events.length - MAX_BEHIND;
      this.events.splice(0, drop);
      this.first += drop;
    }
    for (const wake of this.clients) wake();
  }
}
