import type { WebSocketConnection } from '@tsgi/spec';
import { type CreationHub, MAX_BEHIND } from './hub.js';

/** A close code and reason. */
interface Close {
  code: number;
  reason: string;
}

/** The close of a client more than `MAX_BEHIND` events behind: 1013 Try Again Later. */
export const BEHIND_CLOSE: Close = {
  code: 1013,
  reason: `more than ${MAX_BEHIND} events behind; reconnect`,
};

/** The close of a client that sent a message: 1008 Policy Violation (the stream is one-way). */
export const SENT_CLOSE: Close = { code: 1008, reason: 'this stream takes no messages' };

/**
 * One client's way through the hub's events: one loop that awaits `send()`
 * for each event in turn, from the position the client joined at. A client
 * that stops reading stalls its own loop only (`send()` waits once the
 * socket's buffer is full); once it is more than `MAX_BEHIND` events behind,
 * it is closed with {@link BEHIND_CLOSE}. `wake` is its hub listener.
 */
export class ClientStream {
  private readonly hub: CreationHub;
  private position: number;
  private socket: WebSocketConnection | undefined;
  private sending = false;
  private done = false;
  private closing: Close | undefined;

  /** Starts at the hub's next event. */
  constructor(hub: CreationHub) {
    this.hub = hub;
    this.position = hub.end;
  }

  /** Called by the hub after each publication. */
  readonly wake = (): void => {
    if (this.done) return;
    if (this.hub.read(this.position) === null) this.end(BEHIND_CLOSE);
    else void this.drain();
  };

  /**
   * Starts sending to `socket` (events published between the join and the
   * accept go first) and reads what the client sends, which ends the stream
   * with {@link SENT_CLOSE}. Resolves when the connection is closed.
   */
  async run(socket: WebSocketConnection): Promise<void> {
    this.socket = socket;
    if (this.closing !== undefined) this.close(this.closing);
    else void this.drain();
    // Read to the end: the server only sees the client's close frame (and its
    // pongs) while the app keeps asking for messages.
    for await (const _message of socket) this.end(SENT_CLOSE);
    await socket.closed;
    this.done = true;
  }

  private end(close: Close): void {
    if (this.done) return;
    this.done = true;
    this.closing = close;
    if (this.socket !== undefined) this.close(close);
  }

  private close(close: Close): void {
    this.socket?.close(close.code, close.reason).catch(() => {});
  }

  private async drain(): Promise<void> {
    const socket = this.socket;
    if (this.sending || socket === undefined || this.done) return;
    this.sending = true;
    try {
      for (;;) {
        const message = this.hub.read(this.position);
        if (message === undefined) break;
        if (message === null) {
          this.end(BEHIND_CLOSE);
          break;
        }
        this.position++;
        await socket.send(message);
        if (this.done) break;
      }
    } catch {
      // Closing or closed: `run` sees the close and ends the stream.
    } finally {
      this.sending = false;
    }
  }
}
