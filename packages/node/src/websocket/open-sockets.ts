import type { WebSocketCounts } from '../contracts/request-events.js';
import type { NodeWebSocket } from './connection.js';
import type { SocketCounts } from './counts.js';

/** How long a peer has to answer a server-initiated close before its socket is dropped. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The open WebSockets of one HTTP server: counted for the metrics, pinged
 * when silent, and closed with 1001 (Going Away) when the server stops. A
 * drain leaves them open (they are connections like any other) until the
 * graceful timeout, whose `destroyAll` calls `goAway`.
 */
export class OpenSockets {
  readonly counts: SocketCounts = { accepted: 0, received: 0, sent: 0 };
  private readonly open = new Set<NodeWebSocket>();
  private readonly pingInterval: number;
  private timer: NodeJS.Timeout | undefined;

  /** `pingInterval` in milliseconds; 0 sends no pings. */
  constructor(pingInterval: number) {
    this.pingInterval = pingInterval;
  }

  /** WebSockets open now. */
  get size(): number {
    return this.open.size;
  }

  /** The figures the metrics read. */
  figures(): WebSocketCounts {
    const { accepted, received, sent } = this.counts;
    return { open: this.open.size, accepted, received, sent };
  }

  /** Tracks `socket` until it closes. */
  add(socket: NodeWebSocket): void {
    this.counts.accepted++;
    this.open.add(socket);
    socket.closed.then(() => {
      this.open.delete(socket);
      if (this.open.size === 0) this.stopHeartbeat();
    });
    if (this.timer === undefined && this.pingInterval > 0) {
      this.timer = setInterval(this.heartbeat.bind(this), this.pingInterval);
      this.timer.unref();
    }
  }

  /**
   * One beat: a socket that sent nothing (no message, no pong) since the last
   * beat is dropped; every other one is pinged. One the app stopped reading
   * cannot have its pong read, and is only pinged.
   */
  private heartbeat(): void {
    for (const socket of this.open) {
      if (socket.heard || socket.stalledByApp) socket.ping();
      else socket.terminate();
    }
  }

  private stopHeartbeat(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Closes every open WebSocket with `code` (1001 when the server goes away);
   * a peer that does not answer within a short grace is dropped.
   */
  goAway(code = 1001, reason = 'server going away'): void {
    for (const socket of this.open) {
      socket.closeBy(code, reason);
      const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      timer.unref();
      socket.closed.then(() => clearTimeout(timer));
    }
  }
}
