import type { ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { InputStream, RequestHead } from '@tsgi/spec';
import { type Peer, peerOf } from '../http/peer.js';
import { emptyInput, RequestInput } from '../request/input.js';

/** `SERVER_PROTOCOL` of every HTTP/2 request: what Nginx passes over `uwsgi_pass` for an HTTP/2 client. */
export const HTTP2_PROTOCOL = 'HTTP/2.0';

/**
 * The header list of an HTTP/2 request as `buildEnviron` reads it: the
 * pseudo-header fields left out, `:authority` as `host` when the request has
 * no `host` field, and the `cookie` fields (HTTP/2 may split one into many,
 * RFC 9113 §8.2.3) joined into one with `; `.
 */
export function fieldsOf(rawHeaders: readonly string[]): {
  fields: string[];
  method: string;
  path: string;
} {
  const fields: string[] = [];
  let method = '';
  let path = '';
  let authority: string | undefined;
  let hasHost = false;
  let cookies: string[] | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name === ':method') method = value;
      else if (name === ':path') path = value;
      else if (name === ':authority') authority = value;
      continue;
    }
    if (name === 'cookie') {
      if (cookies === undefined) cookies = [value];
      else cookies.push(value);
      continue;
    }
    if (name === 'host') hasHost = true;
    fields.push(name, value);
  }
  if (!hasHost && authority !== undefined) fields.push('host', authority);
  if (cookies !== undefined) fields.push('cookie', cookies.join('; '));
  return { fields, method, path };
}

/** One HTTP/2 stream's request as the one environ builder reads it. */
export class StreamHead implements RequestHead {
  readonly method: string;
  readonly target: string;
  readonly protocol = HTTP2_PROTOCOL;
  readonly headers: readonly string[];
  readonly remoteAddr: string;
  readonly remotePort: string;
  readonly scheme: string;
  readonly extra: RequestHead['extra'];
  private readonly stream: ServerHttp2Stream;
  private readonly socket: Socket;
  private readonly bodyLimit: number;

  /** `socket` is the session's connection itself (`session.socket` is a proxy of it). */
  constructor(
    stream: ServerHttp2Stream,
    socket: Socket,
    rawHeaders: readonly string[],
    bodyLimit: number,
  ) {
    const { fields, method, path } = fieldsOf(rawHeaders);
    const peer: Peer = peerOf(socket);
    this.method = method;
    this.target = path;
    this.headers = fields;
    this.remoteAddr = peer.address;
    this.remotePort = peer.port;
    this.scheme = peer.scheme;
    this.extra = peer.extra;
    this.stream = stream;
    this.socket = socket;
    this.bodyLimit = bodyLimit;
  }

  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  get localPort(): number | undefined {
    return this.socket.localPort;
  }

  /**
   * The body is the stream's DATA frames: there is one unless the HEADERS
   * frame ended the stream. Read through the stream's readable side, so
   * HTTP/2 flow control (the WINDOW_UPDATE frames) follows what the app reads.
   */
  openInput(declared: number): InputStream {
    if (declared === 0 || (declared === -1 && this.stream.endAfterHeaders)) return emptyInput;
    return new RequestInput(this.stream, declared, this.bodyLimit) as InputStream;
  }
}
