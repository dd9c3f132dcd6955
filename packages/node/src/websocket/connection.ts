import type { Socket } from 'node:net';
import {
  closeProblem,
  type WebSocketClose,
  type WebSocketConnection,
  type WebSocketMessage,
} from '@tsgi/spec';
import type { WebSocket } from 'ws';
import { webSocketClosedHere } from '../contracts/peer-close.js';
import type { SocketCounts } from './counts.js';

/** Messages held for an app that is not iterating before the socket stops being read. */
const QUEUE_MESSAGES = 16;
/** Bytes held for an app that is not iterating before the socket stops being read. */
const QUEUE_BYTES = 1_048_576;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * One accepted WebSocket on `@tsgi/node`: a `ws` connection as the
 * `WebSocketConnection` of SPEC.md. Messages wait in a short queue; past
 * `QUEUE_MESSAGES` or `QUEUE_BYTES` the socket is paused until the app
 * iterates again, so a slow app stops the peer (TCP flow control) instead of
 * growing memory. `send()` resolves at once while the socket's buffer is under
 * its high-water mark, and otherwise when the socket has written its buffer
 * out (`'drain'`); with permessage-deflate, whose frames are made later, when
 * this message has been written out.
 */
export class NodeWebSocket implements WebSocketConnection {
  readonly protocol: string;
  readonly closed: Promise<WebSocketClose>;
  private readonly ws: WebSocket;
  private readonly socket: Socket;
  private readonly queue: WebSocketMessage[] = [];
  private queuedBytes = 0;
  private paused = false;
  private ended = false;
  private draining: Promise<void> | undefined;
  /** No permessage-deflate: `ws` frames and writes each message at once, in order. */
  private readonly framesAtOnce: boolean;
  private waiting: ((result: IteratorResult<WebSocketMessage>) => void) | undefined;
  private settle!: (close: WebSocketClose) => void;
  private readonly counts: SocketCounts;
  /** The peer sent something (a message or a pong) since the last heartbeat. */
  heard = true;

  constructor(ws: WebSocket, socket: Socket, counts: SocketCounts) {
    this.ws = ws;
    this.socket = socket;
    this.counts = counts;
    this.protocol = ws.protocol;
    this.framesAtOnce = ws.extensions === '';
    webSocketClosedHere.set(socket, false);
    this.closed = new Promise((resolve) => {
      this.settle = resolve;
    });
    ws.on('message', this.receive.bind(this));
    ws.on('pong', this.hear.bind(this));
    ws.on('close', this.end.bind(this));
    // A peer breaking the protocol: ws has sent the close frame (1002, 1007,
    // 1009) and 'close' follows; the error only says this side closed.
    ws.on('error', this.failed.bind(this));
  }

  private hear(): void {
    this.heard = true;
  }

  private receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    this.heard = true;
    this.counts.received++;
    const buffer = data as Buffer;
    // Binary as ws's Buffer, a Uint8Array (as tsgi.input's chunks are on
    // this server): a view of its own would cost an object each way.
    const message: WebSocketMessage = isBinary ? buffer : buffer.toString('utf8');
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting({ done: false, value: message });
      return;
    }
    this.queue.push(message);
    this.queuedBytes += buffer.byteLength;
    if (!this.paused && (this.queue.length >= QUEUE_MESSAGES || this.queuedBytes >= QUEUE_BYTES)) {
      this.paused = true;
      this.ws.pause();
    }
  }

  /** ws failed the connection (a protocol error): it sent the close frame itself. */
  private failed(): void {
    this.closedHere();
  }

  /** This side began the close (the app, the server, or ws on a protocol error). */
  private closedHere(): void {
    webSocketClosedHere.set(this.socket, true);
  }

  private end(code: number, reason: Buffer): void {
    this.ended = true;
    this.settle({ code, reason: reason.toString('utf8') });
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting(DONE);
    }
  }

  /** The next message; done once the peer closed and the queue is empty. */
  next(): Promise<IteratorResult<WebSocketMessage>> {
    const message = this.queue.shift();
    if (message !== undefined) {
      this.queuedBytes -=
        typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength;
      if (this.paused && this.queue.length === 0) {
        this.paused = false;
        this.ws.resume();
      }
      return Promise.resolve({ done: false, value: message });
    }
    if (this.ended) return Promise.resolve(DONE);
    if (this.waiting !== undefined)
      return Promise.reject(new Error('a WebSocket is read by one loop at a time'));
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Leaving a `for await` loop ends that loop only: the connection stays open until closed. */
  return(): Promise<IteratorResult<WebSocketMessage>> {
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return this;
  }

  send(data: WebSocketMessage): Promise<void> {
    const binary = typeof data !== 'string';
    if (binary && !(data instanceof Uint8Array)) {
      return Promise.reject(
        new TypeError(`WebSocket messages are strings or Uint8Array, got ${describe(data)}`),
      );
    }
    const ws = this.ws;
    const socket = this.socket;
    // Open and without permessage-deflate, `ws` frames and writes at once, so
    // the socket's buffer tells now whether the app may go on: no write
    // callback (and its tick) per message, no promise of its own.
    if (ws.readyState === 1 && this.framesAtOnce) {
      ws.send(data); // ws sends a string as text, bytes as binary
      this.counts.sent++;
      if (socket.writableLength < socket.writableHighWaterMark) return RESOLVED;
      return this.drained();
    }
    return new Promise((resolve, reject) => {
      // Called once the frame is written out, or with an error when the
      // connection is closing or gone (then always on a later tick).
      this.ws.send(data, { binary }, (error) => {
        if (error !== undefined && error !== null) reject(error);
        else resolve();
      });
      if (this.ws.readyState !== 1) return;
      this.counts.sent++;
      // Room left: the app may go on (a later resolve is a no-op). ws's
      // bufferedAmount counts the frames still being compressed too.
      if (this.ws.bufferedAmount < this.socket.writableHighWaterMark) resolve();
    });
  }

  /**
   * Resolves when the socket has written out its buffer (`'drain'`, which
   * follows a write that filled it past its high-water mark), rejects when
   * the connection ends first; one promise for every send() waiting.
   */
  private drained(): Promise<void> {
    this.draining ??= new Promise<void>((resolve, reject) => {
      const drained = () => {
        this.ws.off('close', closed);
        this.draining = undefined;
        resolve();
      };
      const closed = () => {
        this.socket.off('drain', drained);
        this.draining = undefined;
        reject(new Error('the WebSocket closed before its messages were written out'));
      };
      this.socket.once('drain', drained);
      this.ws.once('close', closed);
    });
    return this.draining;
  }

  close(code = 1000, reason = ''): Promise<void> {
    const problem = closeProblem(code, reason);
    if (problem !== undefined) return Promise.reject(new TypeError(problem));
    this.closedHere();
    this.ws.close(code, reason);
    return this.closed.then(() => undefined);
  }

  /** Closes with `code` from the server's side (1001 on shutdown, 1011 on an app error). */
  closeBy(code: number, reason: string): void {
    if (this.ended) return;
    this.closedHere();
    this.ws.close(code, reason);
  }

  /** Drops the connection without a closing handshake (a peer that stopped answering). */
  terminate(): void {
    this.closedHere();
    this.ws.terminate();
  }

  /** True while the socket is not read because the app is not iterating. */
  get stalledByApp(): boolean {
    return this.paused;
  }

  /** Sends a heartbeat ping. */
  ping(): void {
    this.heard = false;
    this.ws.ping();
  }
}

/** Names what a bad `send()` argument is. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
