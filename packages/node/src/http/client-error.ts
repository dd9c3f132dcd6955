import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ErrorStream } from '@tsgi/spec';
import type { AccessLogger, LogRequest } from '../contracts/access-log.js';
import { logRefusal } from '../log/access-log.js';
import { closingTextResponse } from '../response/error-response.js';
import { ignoredAfterClose } from './after-close.js';
import { afterResponses } from './after-responses.js';
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
  const peer = peerOf(socket as Socket);
  return {
    REQUEST_METHOD: match?.[1] ?? '',
    REQUEST_URI: match?.[2] ?? '',
    SERVER_PROTOCOL: match?.[3] ?? '',
    REMOTE_ADDR: peer.address,
    'tsgi.url_scheme': peer.scheme,
  };
}

const SP = 0x20;
const LF = 0x0a;
/** The start of a request line: a method token, one space, a target without spaces. */
const LINE_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [^ ]*$/;

/**
 * Whether llhttp's `HPE_HEADER_OVERFLOW` (its `maxHeaderSize` counts the
 * request line too) came while the request line was still being read: then
 * the target is what is too long (414), not the header fields (431).
 * `rawPacket` is the chunk the parser was reading and `bytesParsed` where it
 * stopped: at the space after the target when the target span ended there;
 * else the line it stopped in starts with `METHOD target`, or the chunk holds
 * no line break and no space yet (a target split across reads). A first line
 * whose target is over `maxUrlLength` is a 414 as well.
 */
export function overflowInRequestLine(
  error: { rawPacket?: unknown; bytesParsed?: unknown },
  maxUrlLength: number,
): boolean {
  const raw = error.rawPacket;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return false;
  const stop =
    typeof error.bytesParsed === 'number' ? Math.min(error.bytesParsed, raw.length) : raw.length;
  if (stop < raw.length && raw[stop] === SP) return true;
  const lineStart = raw.lastIndexOf(LF, stop - 1) + 1;
  const line = raw.toString('latin1', lineStart, stop);
  if (lineStart === 0 && !line.includes(' ')) return true;
  if (LINE_START.test(line)) return true;
  const first = REQUEST_LINE.exec(raw.toString('latin1', 0, raw.indexOf(LF)).trimEnd());
  return first !== null && Buffer.byteLength(first[2]!, 'latin1') > maxUrlLength;
}

/**
 * The answer to a parser error: 414 for a request line over the head limit
 * (its body names the smaller of `maxUrlLength` and the server's
 * `maxHeaderSize`), a folded-header answer, the table's, or a plain 400.
 */
function answerFor(
  error: Error & { code?: string; rawPacket?: unknown },
  code: string,
  maxUrlLength: number,
  socket: Duplex,
): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW' && overflowInRequestLine(error, maxUrlLength)) {
    const head = (socket as { server?: { maxHeaderSize?: number } }).server?.maxHeaderSize;
    const limit = Math.min(maxUrlLength, head ?? Number.POSITIVE_INFINITY);
    return [414, `request target is longer than ${limit} bytes`];
  }
  return foldAnswer(error) ?? PROBLEMS[code] ?? [400, `bad request (${code || 'unparsable'})`];
}

/** What node:http keeps on a connection and does not type: the message its parser is reading. */
interface ParsingConnection {
  parser?: { incoming?: { complete: boolean } | null } | null;
}

/** True when the parser broke inside a request's body, not in the head of a new request. */
function bodyBeingRead(socket: Duplex): boolean {
  const incoming = (socket as ParsingConnection).parser?.incoming;
  return incoming !== undefined && incoming !== null && !incoming.complete;
}

/**
 * The server's `'clientError'` listener: a request llhttp refused (malformed,
 * smuggling-prone, too large) or a client too slow to send its head gets a
 * short text answer naming the problem, written to the access log, then the
 * connection is closed. A refused request pipelined behind requests still
 * being answered is answered after them, in order (`after-responses.ts`).
 * When an answer cannot be written (reset, a body that broke under a
 * response already started) the socket is destroyed. The app never sees these
 * requests. A target too long for `maxHeaderSize` (which counts the request
 * line) gets the 414 of a target over `maxUrlLength`, not a 431.
 */
export function clientErrorListener(
  log: AccessLogger | undefined,
  errors: ErrorStream,
  maxUrlLength: number,
): (error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex) => void {
  return (error, socket) => {
    const code = error.code ?? '';
    if (ignoredAfterClose(code, socket)) return;
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    const inBody = bodyBeingRead(socket);
    if (
      code === 'ECONNRESET' ||
      code === 'EPIPE' ||
      !socket.writable ||
      (inBody && inFlight?.headersSent === true)
    ) {
      socket.destroy();
      return;
    }
    const [status, text] = answerFor(error, code, maxUrlLength, socket);
    const body = `${text}\n`;
    const answer = () => {
      socket.end(closingTextResponse(status, body));
      logRefusal(log, errors, () => refusedRequest(error, socket), status, body);
      // A client that never reads our answer or never closes its side is cut off.
      const timer = setTimeout(() => socket.destroy(), 2000);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
    // A body that broke belongs to the request being answered: its answer goes now. A
    // head that broke is a new request: it is answered after the ones before it.
    if (inBody) answer();
    else afterResponses(socket, answer);
  };
}
