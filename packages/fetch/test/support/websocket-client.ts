/**
 * A WebSocket client for the runtime tests: the `ws` package (the tests also
 * run on Node 20, which has no global WebSocket), with every wait bounded.
 */
import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** One message as the client received it. */
export interface Received {
  readonly data: Buffer;
  readonly binary: boolean;
}

/** How a connection closed, as the client saw it. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** An open connection. */
export interface Client {
  readonly socket: WebSocket;
  /** The header fields of the server's `101`. */
  readonly headers: IncomingHttpHeaders;
  /** The next message from the server, in order; rejects after a short bound. */
  next(): Promise<Received>;
  /** Resolves when the connection closes; rejects after a short bound once awaited. */
  closed(): Promise<Closed>;
}

/** A handshake the server answered with something other than a `101`. */
export interface Refused {
  readonly status: number;
  readonly body: string;
}

/** `promise`, or a rejection naming `what` after a short bound. */
export function within<T>(promise: Promise<T>, what: string): Promise<T> {
  const ms = bound(BOUNDS.short);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens `ws://127.0.0.1:port/path`, offering `protocols`; rejects unless the server switches. */
export function connect(port: number, path: string, protocols: string[] = []): Promise<Client> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
  const messages: Received[] = [];
  const waiting: Array<(message: Received) => void> = [];
  socket.on('message', (data: Buffer, binary: boolean) => {
    const message = { data, binary };
    const next = waiting.shift();
    if (next === undefined) messages.push(message);
    else next(message);
  });
  const closed = new Promise<Closed>((resolve) => {
    socket.on('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString('utf8') }),
    );
  });
  let headers: IncomingHttpHeaders = {};
  socket.on('upgrade', (response) => {
    headers = response.headers;
  });
  const opened = new Promise<Client>((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        headers,
        next: () => {
          const message = messages.shift();
          if (message !== undefined) return Promise.resolve(message);
          return within(new Promise<Received>((take) => waiting.push(take)), 'message');
        },
        closed: () => within(closed, 'close'),
      }),
    );
    socket.once('error', reject);
  });
  return within(opened, `WebSocket handshake on ${path}`).catch((error: unknown) => {
    socket.terminate();
    throw error;
  });
}

/** Opens a handshake to `path` that the server must refuse; resolves to its answer. */
export function refusal(port: number, path: string): Promise<Refused> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  socket.on('error', () => {});
  const refused = new Promise<Refused>((resolve, reject) => {
    socket.once('open', () => {
      socket.terminate();
      reject(new Error(`${path}: the server switched protocols`));
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        socket.terminate();
      });
    });
  });
  return within(refused, `answer to the handshake on ${path}`);
}
