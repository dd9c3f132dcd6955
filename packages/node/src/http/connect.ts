import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { textResponseParts } from '@tsgi/spec';
import { logRefusal } from '../log/access-log.js';
import type { ServerContext } from '../options/server-context.js';
import { peerOf } from './peer.js';

/** What this server answers to `CONNECT`: it is no proxy (RFC 9110 §9.3.6, §15.6.2). */
const STATUS = 501;
const TEXT = 'CONNECT is not supported: this server is not a proxy\n';

/**
 * The bytes of a plain-text answer written straight to a socket, with
 * `Connection: close`: for requests Node hands over without a `ServerResponse`.
 *
 * @example
 * socket.end(rawAnswer(501, 'not implemented\n'));
 */
function rawAnswer(code: number, text: string): Buffer {
  const parts = textResponseParts(code, text, [['Connection', 'close']]);
  let head = `HTTP/1.1 ${parts.status}\r\n`;
  for (const [name, value] of parts.headers) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), parts.body]);
}

/**
 * The server's `'connect'` listener. Without one Node drops a `CONNECT`
 * request's connection without a word; this answers 501 with a text body,
 * logs it as the other refusals are, and closes. The app never sees it.
 *
 * @example
 * server.on('connect', connectListener(context));
 */
export function connectListener(
  context: Pick<ServerContext, 'log' | 'errors'>,
): (req: IncomingMessage, socket: Duplex) => void {
  return (req, socket) => {
    socket.on('error', () => {});
    socket.end(rawAnswer(STATUS, TEXT));
    // A client that never reads the answer or never closes is cut off.
    const timer = setTimeout(() => socket.destroy(), 2000);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    logRefusal(
      context.log,
      context.errors,
      () => ({
        REQUEST_METHOD: req.method ?? 'CONNECT',
        REQUEST_URI: req.url ?? '',
        SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
        REMOTE_ADDR: peerOf(req.socket).address,
        HTTP_USER_AGENT: req.headers['user-agent'],
        'tsgi.url_scheme': peerOf(req.socket).scheme,
      }),
      STATUS,
      TEXT,
    );
  };
}
