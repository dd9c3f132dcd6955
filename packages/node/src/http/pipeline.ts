import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How many pipelined requests of one connection may run ahead of the
 * response on the wire: their responses wait in memory until the ones
 * before them are written. The rest wait unstarted.
 */
export const PIPELINE_WINDOW = 16;

/** Runs one request (the handler's own path). */
export type StartRequest = (req: IncomingMessage, res: ServerResponse) => void;

/** Reports a request dropped unstarted: its connection closed first. `arrivedAt` is a `performance.now()`. */
export type DropRequest = (req: IncomingMessage, arrivedAt: number) => void;

interface Waiting {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly start: StartRequest;
  readonly arrivedAt: number;
}

/** What node:http keeps on a response and does not type: its share of the connection's pending bytes. */
interface NodeResponse {
  _onPendingData?: (delta: number) => void;
  _closed?: boolean;
}

/** What node:http keeps on its sockets and does not type: the pause it set itself. */
interface NodeSocket {
  _paused?: boolean;
}

const LINE = Symbol('tsgi.pipeline');

/**
 * True when `res` waits behind an earlier response of its connection
 * (node:http assigns a response its socket only when the one before it is
 * written): the request was pipelined. The one check on every request.
 */
export function isQueued(res: ServerResponse): boolean {
  return res.socket === null;
}

/**
 * Runs a pipelined request through its connection's line: started now
 * while fewer than {@link PIPELINE_WINDOW} run ahead, otherwise when an
 * earlier one is written. Waiting requests also hold the connection's
 * reading (node:http's own pause, which it lifts only when the held bytes
 * go), so the backlog stops at what one read brought. When the connection
 * closes, every queued response is closed (`'close'`, which node:http
 * before 24 never emits for them) and the unstarted ones go to `drop`.
 */
export function pipelined(
  req: IncomingMessage,
  res: ServerResponse,
  start: StartRequest,
  drop: DropRequest,
): void {
  const socket = req.socket as Socket & { [LINE]?: Pipeline };
  let line = socket[LINE];
  if (line === undefined) {
    line = new Pipeline(socket, drop);
    socket[LINE] = line;
  }
  line.add(req, res, start);
}

/** The queued requests of one connection. */
class Pipeline {
  private readonly socket: Socket;
  private readonly drop: DropRequest;
  /** Started requests whose responses are not written yet. */
  private readonly running = new Set<ServerResponse>();
  private readonly waiting: Waiting[] = [];
  /** Index of the first waiting request in `waiting`. */
  private head = 0;
  /** The bytes added to node:http's pending count to hold reading, and where. */
  private held = 0;
  private hold: ((delta: number) => void) | undefined = undefined;

  constructor(socket: Socket, drop: DropRequest) {
    this.socket = socket;
    this.drop = drop;
    socket.once('close', () => this.close());
  }

  add(req: IncomingMessage, res: ServerResponse, start: StartRequest): void {
    if (this.running.size < PIPELINE_WINDOW && this.head === this.waiting.length) {
      this.run(req, res, start);
      return;
    }
    this.waiting.push({ req, res, start, arrivedAt: performance.now() });
    if (this.held === 0) this.holdReading(res as ServerResponse & NodeResponse);
  }

  private run(req: IncomingMessage, res: ServerResponse, start: StartRequest): void {
    this.running.add(res);
    res.once('finish', () => this.written(res));
    start(req, res);
  }

  /** A started response is written: start the next waiting ones. */
  private written(res: ServerResponse): void {
    this.running.delete(res);
    const waiting = this.waiting;
    // A connection that can take no answer starts nothing more: its 'close' drops the rest.
    while (
      this.socket.writable &&
      this.running.size < PIPELINE_WINDOW &&
      this.head < waiting.length
    ) {
      const next = waiting[this.head]!;
      waiting[this.head++] = undefined as never;
      this.run(next.req, next.res, next.start);
    }
    if (this.head === waiting.length && this.head > 0) {
      waiting.length = 0;
      this.head = 0;
      this.releaseReading();
    }
  }

  /**
   * Stops reading the connection until the waiting requests have started:
   * node:http pauses a connection whose pending response bytes pass the
   * socket's high-water mark, and resumes it only once they are back under.
   */
  private holdReading(res: NodeResponse): void {
    // A node:http without the hook would only bound the backlog to one read per 'drain'.
    if (typeof res._onPendingData !== 'function') return;
    const socket = this.socket as Socket & NodeSocket;
    this.hold = res._onPendingData;
    this.held = socket.writableHighWaterMark + 1;
    this.hold(this.held);
    if (socket._paused !== true) {
      // As node:http does itself: its parser pauses after the current read.
      socket._paused = true;
      socket.pause();
    }
  }

  private releaseReading(): void {
    const held = this.held;
    this.held = 0;
    // Back under the mark, node:http resumes reading (unless its own bytes still hold it).
    if (held > 0) this.hold!(-held);
  }

  /** The connection closed: settle every response still queued. */
  private close(): void {
    for (const res of this.running) settle(res);
    this.running.clear();
    const waiting = this.waiting;
    for (let i = this.head; i < waiting.length; i++) {
      const { req, res, arrivedAt } = waiting[i]!;
      settle(res);
      this.drop(req, arrivedAt);
    }
    waiting.length = 0;
    this.head = 0;
  }
}

/**
 * Closes a response that never got its socket, as node:http closes the
 * others: `destroyed`, then `'close'` once. One on the socket (or written)
 * is node:http's to close.
 */
function settle(res: ServerResponse & NodeResponse): void {
  if (res.socket !== null || res._closed === true) return;
  res.destroyed = true;
  res._closed = true;
  res.emit('close');
}
