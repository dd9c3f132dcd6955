import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  buildEnviron,
  type Environ,
  type EnvironContext,
  type InputStream,
  type RequestHead,
  RequestProblem,
} from '@tsgi/spec';
import { emptyInput, RequestInput } from '../request/input.js';
import { framingProblem } from './framing.js';
import { type Peer, peerOf } from './peer.js';

/** What the HTTP transport needs besides the request; `ServerContext` is one. */
export interface HttpEnvironContext extends EnvironContext {
  readonly options: EnvironContext['options'] & { readonly bodyLimit: number };
}

/** `SERVER_PROTOCOL` for llhttp's version string, without building the common ones per request. */
function protocolOf(version: string): string {
  return version === '1.1' ? 'HTTP/1.1' : version === '1.0' ? 'HTTP/1.0' : `HTTP/${version}`;
}

/** A `node:http` request as the one environ builder reads it. */
class IncomingHead implements RequestHead {
  readonly method: string;
  readonly target: string;
  readonly protocol: string;
  readonly headers: readonly string[];
  readonly remoteAddr: string;
  readonly remotePort: string;
  readonly scheme: string;
  readonly extra: RequestHead['extra'];
  private readonly req: IncomingMessage;
  private readonly bodyLimit: number;
  private readonly onFirstRead: (() => void) | undefined;

  constructor(req: IncomingMessage, peer: Peer, bodyLimit: number, onFirstRead?: () => void) {
    this.method = req.method ?? 'GET';
    this.target = req.url ?? '/';
    this.protocol = protocolOf(req.httpVersion);
    this.headers = req.rawHeaders;
    this.remoteAddr = peer.address;
    this.remotePort = peer.port;
    this.scheme = peer.scheme;
    this.extra = peer.extra;
    this.req = req;
    this.bodyLimit = bodyLimit;
    this.onFirstRead = onFirstRead;
  }

  /** Read only when the request names no host. */
  get localAddress(): string | undefined {
    return (this.req.socket as Socket).localAddress;
  }

  get localPort(): number | undefined {
    return (this.req.socket as Socket).localPort;
  }

  openInput(declared: number, chunked: boolean): InputStream {
    if (declared > 0 || (declared === -1 && chunked)) {
      return new RequestInput(this.req, declared, this.bodyLimit, this.onFirstRead) as InputStream;
    }
    return emptyInput;
  }
}

/**
 * Builds the environ for a `node:http` request, or the problem that stops the
 * request before the application runs (414 URL too long, 431 too many header
 * fields, 400 bad target, percent-encoding or `Host`; 400, 501 or 505 for the
 * framing RFC 9112 forbids, see `framing.ts`), through `@tsgi/spec`'s
 * `buildEnviron`, the one builder every transport uses.
 *
 * `onFirstRead` runs when the app first reads `tsgi.input`; the handler uses it
 * to send `100 Continue` only when the app wants the body.
 */
export function environFromRequest(
  req: IncomingMessage,
  context: HttpEnvironContext,
  onFirstRead?: () => void,
): Environ | RequestProblem {
  const head = new IncomingHead(req, peerOf(req.socket), context.options.bodyLimit, onFirstRead);
  const environ = buildEnviron(head, context);
  if (environ instanceof RequestProblem) return environ;
  return framingProblem(req, environ) ?? environ;
}
