import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ErrorStream } from '@tsgi/spec';
import type { AccessLogger, LogRequest } from '../contracts/access-log.js';
import { logRefusal } from '../log/access-log.js';
import { closingTextResponse } from '../response/error-response.js';
import { ignoredAfterClose } from './after-close.js';
import { foldAnswer } from './obs-fold.js';
import { peerOf } from './peer.js';

/** Status and wording for each parser or timeout error Node reports as `'clientError'`. */
const PROBLEMS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request header fields too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request timed out'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [
    400,
    'Content-Length must not be sent together with Transfer-Encoding',
  ],
  HPE_INVALID_CONTENT_LENGTH: [400, 'invalid or duplicate Content-Length'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'invalid Transfer-Encoding'],
  HPE_INVALID_CHUNK_SIZE: [400, 'invalid chunk size in a chunked body'],
  HPE_INVALID_METHOD: [400, 'invalid request method'],
  HPE_INVALID_URL: [400, 'invalid request target'],
  HPE_INVALID_VERSION: [400, 'invalid HTTP version'],
  HPE_INVALID_HEADER_TOKEN: [400, 'invalid character in a header'],
  HPE_INVALID_CONSTANT: [400, 'malformed request line'],
  HPE_LF_EXPECTED: [400, 'malformed line ending'],
  HPE_CR_EXPECTED: [400, 'malformed line ending'],
  HPE_STRICT: [400, 'malformed request'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'chunk extensions too large'],
};

/** A request line llhttp could read before it gave up, e.g. `GET /x HTTP/1.1`. */
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/\d\.\d)\r?$/;

/** What the access log shows of a request llhttp refused: its request line when readable. */
function refusedRequest(error: { rawPacket?: unknown }, socket: Duplex): LogRequest {
  const raw = error.rawPacket;
  const line = Buffer.isBuffer(raw)
    ? raw.toString('latin1', 0, Math.min(raw.length, 8192)).split('\n', 1)[0]!
    : '';
  const match = REQUEST_LINE.exec(line);
  return {
    REQUEST_METHOD: match?.[1] ?? '',
    REQUEST_URI: match?.[2] ?? '',
    SERVER_PROTOCOL: match?.[3] ?? '',
    REMOTE_ADDR: peerOf(socket as Socket).address,
  };
}

/**
 * The server's `'clientError'` listener: a request llhttp refused (malformed,
 * smuggling-prone, too large) or a client too slow to send its head gets a
 * short text answer naming the problem, written to the access log, then the
 * connection is closed. When an answer cannot be written (reset, response
 * already started) the socket is simply destroyed. The app never sees these
 * requests.
 */
export function clientErrorListener(
  log: AccessLogger | undefined,
  errors: ErrorStream,
): (error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex) => void {
  return (error, socket) => {
    const code = error.code ?? '';
    if (ignoredAfterClose(code, socket)) return;
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (
      code === 'ECONNRESET' ||
      code === 'EPIPE' ||
      !socket.writable ||
      inFlight?.headersSent === true
    ) {
      socket.destroy();
      return;
    }
    const [status, text] = foldAnswer(error) ??
      PROBLEMS[code] ?? [400, `bad request (${code || 'unparsable'})`];
    const body = `${text}\n`;
    socket.end(closingTextResponse(status, body));
    logRefusal(log, errors, () => refusedRequest(error, socket), status, body);
    // A client that never reads our answer or never closes its side is cut off.
    const timer = setTimeout(() => socket.destroy(), 2000);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}
