import type { WireSocket } from '../wire/wire-socket.js';

/** The time limits of a FastCGI connection's phases, in ms (0: none). */
export interface PhaseTimeouts {
  /** Time for `FCGI_PARAMS` to arrive after `FCGI_BEGIN_REQUEST`. */
  readonly paramsTimeout: number;
  /** Life of a connection with no request on it. */
  readonly keepAliveTimeout: number;
  /** Time a request may see no traffic at all before its connection is cut. */
  readonly idleTimeout: number;
}

/**
 * The one socket timeout of a FastCGI connection, set for the phase it is
 * in: `keepAliveTimeout` between requests, `paramsTimeout` while the params
 * arrive, `idleTimeout` while a request runs. The timeout is changed only
 * when a phase needs another (a change costs a timer move), so a request
 * that starts soon after the last one keeps the running timer, and a fired
 * timeout counts the silence (`silentTooLong`) until it reaches
 * `idleTimeout`. The connection decides what a fired timeout does.
 */
export class PhaseTimer {
  private readonly socket: WireSocket;
  private readonly timeouts: PhaseTimeouts;
  /** The socket's timeout now (ms; 0: none). */
  private armed = 0;
  /** Milliseconds the running request has gone without traffic, in whole timeouts. */
  private silent = 0;
  /** Bytes read and written when the last timeout fired, to see traffic since. */
  private seen = 0;
  /** The connection is ending (`stop`): the timeout stays off. */
  private stopped = false;

  /** A timer for `socket`, not armed yet. */
  constructor(socket: WireSocket, timeouts: PhaseTimeouts) {
    this.socket = socket;
    this.timeouts = timeouts;
  }

  /** No request on the connection: it ends after `keepAliveTimeout` without one. */
  betweenRequests(): void {
    this.arm(this.timeouts.keepAliveTimeout);
  }

  /** Params are still to come: they have `paramsTimeout` to. */
  awaitingParams(): void {
    this.arm(this.timeouts.paramsTimeout);
  }

  /**
   * The app starts on the request: the timer running since the last request
   * goes on, no longer than `idleTimeout`; `silentTooLong` counts from here.
   */
  requestRunning(): void {
    this.silent = 0;
    const idle = this.timeouts.idleTimeout;
    if (this.armed === 0 || this.armed > idle) this.arm(idle);
  }

  /**
   * The timeout fired while a request runs. One timer serves both phases, so
   * this counts the silence: true once it reached `idleTimeout` (0: never)
   * without a byte in between; otherwise the timer waits again.
   */
  silentTooLong(): boolean {
    const traffic = this.socket.bytesRead + this.socket.bytesWritten;
    if (traffic !== this.seen) this.silent = 0;
    this.seen = traffic;
    this.silent += this.armed;
    const limit = this.timeouts.idleTimeout;
    if (limit > 0 && this.silent >= limit) return true;
    // Node does not restart a timeout that fired: wait again, no longer than what is left.
    const next = limit > 0 ? Math.min(this.armed, limit - this.silent) : this.armed;
    this.armed = next;
    this.socket.setTimeout(next);
    return false;
  }

  /** The connection is ending: the timeout goes off for good. */
  stop(): void {
    this.stopped = true;
    this.socket.setTimeout(0);
  }

  /** Sets the socket's timeout to `ms` unless it is that already. */
  private arm(ms: number): void {
    if (this.stopped || ms === this.armed) return;
    this.armed = ms;
    this.socket.setTimeout(ms);
  }
}
