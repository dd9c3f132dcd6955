/**
 * A WebSocket client (`ws` 8) for the echo fixture `fixtures/websocket-echo.mjs`:
 * one question at a time, each answer awaited for a bounded time, and the
 * close the server (or Nginx) sent kept for the test to read.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** How a WebSocket closed, as the client saw it. */
export interface ClientClose {
  code: number;
  reason: string;
}

/** An open connection to the echo fixture. */
export interface EchoClient {
  /** The `101` response (through Nginx: with Nginx's `Server` header). */
  readonly handshake: IncomingMessage;
  /** The subprotocol the server chose (`''` for none). */
  readonly protocol: string;
  /** Sends `message` and resolves with the next message received (text as string). */
  ask(message: string | Uint8Array): Promise<string | Uint8Array>;
  /** The pid of the worker serving this connection (the fixture's answer to `"pid"`). */
  pid(): Promise<number>;
  /** The close once it came; undefined while open. */
  close(): ClientClose | undefined;
  /** Resolves with the close, whichever side started it. */
  readonly closed: Promise<ClientClose>;
  /** Starts a close with 1000 and resolves with the close. */
  end(): Promise<ClientClose>;
  /** Drops the connection at once (cleanup). */
  terminate(): void;
}

/**
 * Opens a WebSocket to `url` offering `protocols`; rejects when the
 * handshake fails or takes longer than `BOUNDS.short`.
 */
export function openEcho(url: string, protocols: string[] = []): Promise<EchoClient> {
  const socket = new WebSocket(url, protocols, { handshakeTimeout: bound(BOUNDS.short) });
  const inbox: Array<string | Uint8Array> = [];
  let waiting: ((message: string | Uint8Array) => void) | undefined;
  let closedWith: ClientClose | undefined;
  let error: Error | undefined;
  let handshake: IncomingMessage | undefined;
  socket.on('upgrade', (response) => {
    handshake = response;
  });
  socket.on('message', (data, isBinary) => {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
    const message = isBinary ? new Uint8Array(buffer) : buffer.toString('utf8');
    if (waiting === undefined) inbox.push(message);
    else waiting(message);
  });
  socket.on('error', (cause) => {
    error = cause;
  });
  const closed = new Promise<ClientClose>((resolve) => {
    socket.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      resolve(closedWith);
    });
  });
  const ask = (message: string | Uint8Array) =>
    new Promise<string | Uint8Array>((resolve, reject) => {
      if (closedWith !== undefined) {
        reject(new Error(`closed (${closedWith.code} ${closedWith.reason}) before asking`));
        return;
      }
      const timer = setTimeout(() => {
        waiting = undefined;
        reject(new Error(`no answer to ${named(message)} within ${bound(BOUNDS.short)} ms`));
      }, bound(BOUNDS.short));
      const done = (answer: string | Uint8Array) => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(answer);
      };
      void closed.then((close) => {
        clearTimeout(timer);
        reject(new Error(`closed (${close.code} ${close.reason}) while asking ${named(message)}`));
      });
      const queued = inbox.shift();
      if (queued !== undefined) done(queued);
      else waiting = done;
      socket.send(message);
    });
  const client: EchoClient = {
    get handshake() {
      return handshake!;
    },
    get protocol() {
      return socket.protocol;
    },
    ask,
    async pid() {
      const answer = await ask('pid');
      return Number(answer);
    },
    close: () => closedWith,
    closed,
    end() {
      socket.close(1000, 'done');
      return closed;
    },
    terminate: () => socket.terminate(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('close', () =>
      reject(error ?? new Error(`WebSocket to ${url} closed before open`)),
    );
  });
}

function named(message: string | Uint8Array): string {
  return typeof message === 'string' ? JSON.stringify(message) : `${message.byteLength} bytes`;
}
