import type { IncomingMessage } from 'node:http';
import type { HeaderList, WebSocketClose, WebSocketMessage } from '@tsgi/spec';
import WebSocket from 'ws';
import { TestResponse } from '../response.js';
import { WebSocketDenied } from './denied.js';
import { MessageQueue } from './message-queue.js';
import type { WebSocketRequest, WebSocketTransport } from './request.js';
import { websocketUrl } from './request.js';
import { TestWebSocket } from './test-websocket.js';

const decoder = new TextDecoder();

function closedError(): Error {
  return new Error('the WebSocket is closed');
}

/** A response's header lines as `[name, value]` pairs, in order. */
function headerList(response: IncomingMessage): HeaderList {
  const raw = response.rawHeaders;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** Reads a response body to its end. */
async function readAll(response: IncomingMessage): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

/** A message as `ws` delivers it, as the app sent it: text as `string`, binary as a `Uint8Array` of its own. */
function toMessage(data: WebSocket.RawData, isBinary: boolean): WebSocketMessage {
  const buffer = Array.isArray(data)
    ? Buffer.concat(data)
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : data;
  return isBinary ? new Uint8Array(buffer) : decoder.decode(buffer);
}

/**
 * Opens a WebSocket to a live server with the `ws` client (Node 20 has no
 * global `WebSocket`). A response other than the `101` becomes
 * {@link WebSocketDenied}, its body read. Messages from the server are queued
 * without bound until the test reads them; `send()` resolves once `ws` has
 * written the frame to the socket.
 */
export function httpWebSocket(): WebSocketTransport {
  return function open(request: WebSocketRequest): Promise<TestWebSocket> {
    const url = websocketUrl(request.location);
    const incoming = new MessageQueue(Number.POSITIVE_INFINITY);
    const socket = new WebSocket(url, request.protocols, {
      headers: Object.fromEntries(joinRepeats(request.headers)),
      handshakeTimeout: request.timeout,
      perMessageDeflate: false,
      followRedirects: false,
    });
    let upgradeHeaders = new Headers();
    const closed = new Promise<WebSocketClose>((resolve) => {
      socket.on('close', (code, reason) => {
        incoming.end(closedError);
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
    socket.on('message', (data, isBinary) => {
      void incoming.push(toMessage(data, isBinary), closedError);
    });
    socket.on('upgrade', (response) => {
      upgradeHeaders = new Headers(headerList(response) as Array<[string, string]>);
    });

    return new Promise<TestWebSocket>((resolve, reject) => {
      let settled = false;
      socket.on('unexpected-response', (_req, response) => {
        settled = true;
        readAll(response).then(
          (bytes) => {
            const denial = new TestResponse({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              headerList: headerList(response),
              bytes,
              url: request.location.origin.href + request.location.target,
            });
            socket.terminate();
            reject(new WebSocketDenied(url, denial, decoder.decode(bytes)));
          },
          (error: unknown) => {
            socket.terminate();
            reject(error);
          },
        );
      });
      socket.on('error', (error) => {
        if (settled) return;
        settled = true;
        reject(
          new Error(`test-client: WebSocket ${url} failed: ${error.message}`, { cause: error }),
        );
      });
      socket.on('open', () => {
        settled = true;
        resolve(
          new TestWebSocket(
            {
              url,
              protocol: socket.protocol,
              headers: upgradeHeaders,
              incoming,
              closed,
              send(data) {
                return new Promise<void>((done, fail) => {
                  if (socket.readyState !== WebSocket.OPEN) return fail(closedError());
                  socket.send(data, { binary: typeof data !== 'string' }, (error) =>
                    error ? fail(error) : done(),
                  );
                });
              },
              async close(code, reason) {
                if (socket.readyState !== WebSocket.CLOSED) socket.close(code, reason);
                await closed;
              },
            },
            request.timeout,
          ),
        );
      });
    });
  };
}

/** Header pairs as one value per name, repeats joined with `, ` (`Cookie` with `; `), for `ws`'s options. */
function joinRepeats(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const before = joined.get(key);
    joined.set(
      key,
      before === undefined ? value : `${before}${key === 'cookie' ? '; ' : ', '}${value}`,
    );
  }
  return joined;
}
