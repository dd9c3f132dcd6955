import {
  BytesInput,
  buildEnviron,
  type Environ,
  type EnvironContext,
  type RequestHead,
  type RequestProblem,
  StreamInput,
  unmapIPv4,
} from '@tsgi/spec';
import { connectionFields, teTrailers } from './connection-fields.js';
import type { Peer } from './peer.js';

/** The input of every request that has no body: at its end from the start. */
const NO_BODY = new BytesInput(new Uint8Array(0));

/** What the environ of a fetch request depends on besides the request; one per handler. */
export interface RequestContext {
  /** `buildEnviron`'s context: the mount, `tsgi.errors`, trusted proxies. */
  readonly environ: EnvironContext;
  /** `SERVER_PROTOCOL`: a fetch `Request` does not say which version the client used. */
  readonly protocol: string;
  /** `protocol` is HTTP/2 or later: no connection-specific fields, no chunked framing [env.24]. */
  readonly http2: boolean;
  /** Most request body bytes `tsgi.input` gives before a 413. */
  readonly bodyLimit: number;
}

/**
 * The environ of a WHATWG `Request`, built by `@tsgi/spec`'s `buildEnviron`
 * like every TSGI server's, or the problem that refuses it (a bad `Host`, a
 * path that is not UTF-8). Header fields come from `request.headers`, which
 * already joins repeats with `", "`: `Cookie` is joined with `"; "` instead
 * [env.17]. A request with no `Host` field (HTTP/2 sends `:authority`, an
 * in-process `Request` sends nothing) gets one from its URL, as RFC 9113
 * §8.3.1 asks of a server that turns HTTP/2 into HTTP/1.1; likewise a body
 * with neither `Content-Length` nor `Transfer-Encoding` is announced as
 * chunked, as HTTP/1.1 would carry it. When `protocol` is HTTP/2 or later,
 * the environ is an HTTP/2 one instead [env.24]: such a body has no
 * `CONTENT_LENGTH` and no `Transfer-Encoding`, and the request loses its
 * connection-specific fields (`Connection`, those it names, `Keep-Alive`,
 * `Proxy-Connection`, `Transfer-Encoding`, `Upgrade`) and every `TE` coding
 * but `trailers`, as an HTTP/1.1-to-HTTP/2 intermediary removes them.
 * `tsgi.input` pulls `request.body` only as the application reads it.
 */
export function requestEnviron(
  request: Request,
  peer: Peer,
  context: RequestContext,
): Environ | RequestProblem {
  const url = request.url;
  // An absolute URL: scheme "://" authority path-abempty [ "?" query ], no fragment.
  const colon = url.indexOf(':');
  const authorityStart = colon + 3;
  let pathStart = url.indexOf('/', authorityStart);
  if (pathStart === -1) pathStart = url.length;
  const raw: string[] = [];
  let hasHost = false;
  let framed = false;
  const http2 = context.http2;
  const dropped = http2 ? connectionFields(request.headers) : undefined;
  // forEach, not for…of: no [name, value] array per field (Bun's iterator makes one each).
  request.headers.forEach((value, name) => {
    if (name === 'cookie') {
      raw.push(name, value.replaceAll(', ', '; '));
    } else if (dropped !== undefined && (dropped.has(name) || name === 'te')) {
      const te = name === 'te' && !dropped.has(name) ? teTrailers(value) : undefined;
      if (te !== undefined) raw.push(name, te);
    } else {
      if (name === 'host') hasHost = true;
      else if (name === 'content-length' || name === 'transfer-encoding') framed = true;
      raw.push(name, value);
    }
  });
  if (!hasHost) raw.push('host', url.slice(authorityStart, pathStart));
  const body = request.body;
  // A body of unknown length (HTTP/2, an in-process Request) is what HTTP/1.1 sends chunked;
  // HTTP/2 frames it itself, so there it is a request without CONTENT_LENGTH.
  if (body !== null && !framed && !http2) raw.push('transfer-encoding', 'chunked');
  const head: RequestHead = {
    method: request.method,
    target: pathStart === url.length ? '/' : url.slice(pathStart),
    protocol: context.protocol,
    headers: raw,
    remoteAddr: unmapIPv4(peer.address),
    remotePort: peer.port,
    scheme: url.slice(0, colon),
    openInput:
      body === null
        ? () => NO_BODY
        : (declared) =>
            new StreamInput(body, {
              contentLength: declared === -1 ? undefined : declared,
              limit: context.bodyLimit,
            }),
  };
  return buildEnviron(head, context.environ);
}
