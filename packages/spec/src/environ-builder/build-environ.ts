import type { Environ, ErrorStream } from '../environ.js';
import { readForwarded, type TrustPredicate, unmapIPv4 } from '../trust-proxy.js';
import { type HeaderLayout, layoutFor } from './header-layout.js';
import {
  type HostParts,
  isPort,
  isServerName,
  listenerName,
  parseHost,
  splitHost,
} from './host.js';
import type { GatewayHead, RequestHead } from './request-head.js';
import { RequestProblem } from './request-problem.js';
import { decodePath, mountSplit, originForm } from './target.js';

/** The server options the environ depends on. */
export interface EnvironOptions {
  /** The mount prefix (`SCRIPT_NAME`), `''` for none. */
  readonly scriptName: string;
  /** Longest request target; longer is a 414. */
  readonly maxUrlLength: number;
  /** Most request header fields; more is a 431. */
  readonly maxHeadersCount: number;
  /** `tsgi.multiprocess`. */
  readonly multiprocess: boolean;
}

/** What `buildEnviron` needs besides the request; one per server. */
export interface EnvironContext {
  readonly options: EnvironOptions;
  /** `tsgi.errors`. */
  readonly errors: ErrorStream;
  /** Peers whose `Forwarded`/`X-Forwarded-*` headers are believed; `undefined` for none. */
  readonly trust: TrustPredicate | undefined;
  /** The last valid `Host` and its parts: behind a proxy it is nearly always the same. */
  hostCache?: HostParts;
}

const DIGITS = /^\d+$/;

/**
 * Builds the environ of one request from what its transport said (see
 * `RequestHead`), or the problem that stops it before the application runs:
 * 414 (target too long), 431 (too many header fields) or 400 (a target that
 * is not a path or holds a fragment, an absolute-form target with userinfo or no host, a bad
 * percent-encoding or `%00`, a bad `Host`, a bad `CONTENT_LENGTH` from a
 * gateway). An absolute-form target (`GET http://a.example/x`) is served as
 * its origin-form (`/x`), its authority taking the place of `Host`.
 *
 * The one function that finishes every environ: the HTTP server, the gateway
 * listeners and the test client all call it, so an app sees the same keys in
 * a test as behind Nginx. Header names become keys by one rule
 * (`environKey`); repeats are joined with `, ` (`Cookie` with `; `).
 *
 * @example
 * const environ = buildEnviron(head, context);
 * if (isProblem(environ)) answer(environ.status, environ.message);
 */
export function buildEnviron(head: RequestHead, context: EnvironContext): Environ | RequestProblem {
  const gateway = head.gateway;
  const options = context.options;
  const raw = head.headers;
  let target = head.target;
  if (gateway === undefined) {
    if (target.length > options.maxUrlLength) return tooLong(options.maxUrlLength);
    if (raw.length > options.maxHeadersCount * 2) {
      return new RequestProblem(431, `more than ${options.maxHeadersCount} request header fields`);
    }
  }

  let scriptName: string;
  let pathInfo: string;
  let query: string;
  let authority: string | undefined;
  if (gateway === undefined) {
    // RFC 9112 §3.2: a request-target has no fragment (RFC 9110 §4.2.5).
    if (target.includes('#')) {
      return new RequestProblem(400, 'the request target must not hold a fragment (#)');
    }
    if (target.charCodeAt(0) !== 47 /* / */) {
      const origin = originForm(target);
      if (origin instanceof RequestProblem) return origin;
      target = origin.target;
      authority = origin.authority;
    }
    const q = target.indexOf('?');
    const rawPath = q === -1 ? target : target.slice(0, q);
    const decoded = target === '*' ? '' : decodePath(rawPath);
    // Only a %00 can put a NUL in the path: llhttp refuses a raw one.
    if (decoded === undefined || (decoded !== rawPath && decoded.includes('\0'))) {
      return new RequestProblem(
        400,
        'request path has an invalid percent-encoding (not UTF-8, or %00)',
      );
    }
    if (options.scriptName === '') {
      // The common case, without the pair mountSplit allocates.
      scriptName = '';
      pathInfo = decoded;
    } else {
      [scriptName, pathInfo] = mountSplit(decoded, options.scriptName);
    }
    query = q === -1 ? '' : target.slice(q + 1);
  } else {
    const paths = gatewayPaths(gateway, target, options);
    if (paths instanceof RequestProblem) return paths;
    [scriptName, pathInfo, query, target] = paths;
  }

  const layout: HeaderLayout = layoutFor(raw, gateway === undefined ? 'http' : 'cgi');
  const contentLength = layout.contentLength === -1 ? undefined : raw[layout.contentLength];
  let declared = -1;
  let length: string | undefined;
  if (contentLength !== undefined) {
    length = contentLength.trim();
    if (gateway !== undefined && !DIGITS.test(length)) {
      return new RequestProblem(400, `invalid CONTENT_LENGTH ${JSON.stringify(length)}`);
    }
    declared = Number(length);
  }
  const environ = layout.build(
    head.method,
    scriptName,
    pathInfo,
    query,
    head.protocol,
    head.remoteAddr,
    head.remotePort,
    target,
    head.scheme,
    head.openInput(declared, layout.chunked),
    context.errors,
    options.multiprocess,
    raw,
  );
  // llhttp already refused malformed, conflicting and repeated lengths.
  if (length !== undefined) environ.CONTENT_LENGTH = length;
  // RFC 9112 §3.2.2: an absolute-form target's authority wins over the Host header
  // (an empty Host stays, for the server's rule against it).
  if (authority !== undefined && environ.HTTP_HOST !== '') environ.HTTP_HOST = authority;
  return gateway === undefined
    ? finishHttp(environ, head, context)
    : finishGateway(environ, head, gateway);
}

function tooLong(max: number): RequestProblem {
  return new RequestProblem(414, `request target is longer than ${max} bytes`);
}

/** Control characters: never in a `SCRIPT_NAME` a front server sets. */
const SCRIPT_NAME_BAD = /[\x00-\x1f\x7f]/;

/** A gateway's `SCRIPT_NAME`, `PATH_INFO`, `QUERY_STRING` and `REQUEST_URI`, made consistent. */
function gatewayPaths(
  gateway: GatewayHead,
  target: string,
  options: EnvironOptions,
): [string, string, string, string] | RequestProblem {
  const q = target.indexOf('?');
  let query = gateway.query ?? (q === -1 ? '' : target.slice(q + 1));
  let path = gateway.pathInfo;
  if (path === undefined) {
    // Without PATH_INFO, decode the path of REQUEST_URI as the HTTP server does.
    path = decodePath(q === -1 ? target : target.slice(0, q));
    if (path === undefined) {
      return new RequestProblem(400, 'request path has an invalid percent-encoding');
    }
  }
  if (path.includes('\0')) return new RequestProblem(400, 'PATH_INFO holds %00');
  let uri = target;
  if (uri === '') {
    uri = encodeURI(path) + (query === '' ? '' : `?${query}`);
  } else {
    // A rewrite may have added arguments: keep REQUEST_URI and QUERY_STRING consistent.
    query = q === -1 ? '' : uri.slice(q + 1);
  }
  if (uri.length > options.maxUrlLength) return tooLong(options.maxUrlLength);
  let scriptName = gateway.scriptName;
  // SPEC env.5: "" or a path that starts with / and does not end with one.
  if (
    scriptName !== '' &&
    (scriptName.charCodeAt(0) !== 47 /* / */ ||
      scriptName.endsWith('/') ||
      SCRIPT_NAME_BAD.test(scriptName))
  ) {
    return new RequestProblem(400, `invalid SCRIPT_NAME ${JSON.stringify(scriptName)}`);
  }
  if (scriptName === '') {
    [scriptName, path] = mountSplit(path, options.scriptName);
  } else if (path.startsWith(scriptName)) {
    // uwsgi's own convention: PATH_INFO may still include SCRIPT_NAME.
    const rest = path.slice(scriptName.length);
    if (rest === '' || rest.startsWith('/')) path = rest;
  }
  if (scriptName === '' && path === '') path = '/';
  return [scriptName, path, query, uri];
}

/**
 * HTTP: the server's own variables (`head.extra`), trusted proxy headers, then
 * `SERVER_NAME`/`SERVER_PORT` from `Host` or the listener.
 */
function finishHttp(
  environ: Environ,
  head: RequestHead,
  context: EnvironContext,
): Environ | RequestProblem {
  const extra = head.extra;
  if (extra !== undefined) {
    const env = environ as Record<string, unknown>;
    for (const [key, value] of extra) env[key] = value;
  }
  let host = environ.HTTP_HOST;
  const trust = context.trust;
  if (trust?.(head.remoteAddr)) {
    const info = readForwarded(
      trust,
      environ.HTTP_FORWARDED,
      environ.HTTP_X_FORWARDED_FOR,
      environ.HTTP_X_FORWARDED_PROTO,
      environ.HTTP_X_FORWARDED_HOST,
    );
    if (info.address !== undefined) {
      environ.REMOTE_ADDR = unmapIPv4(info.address);
      environ.REMOTE_PORT = info.port ?? '';
    }
    if (info.scheme !== undefined) environ['tsgi.url_scheme'] = info.scheme;
    if (info.host !== undefined) {
      host = info.host;
      environ.HTTP_HOST = host;
    }
  }
  if (host !== undefined && host !== '') {
    let cached = context.hostCache;
    if (cached === undefined || cached.host !== host) {
      const parsed = parseHost(host);
      if (parsed instanceof RequestProblem) return parsed;
      cached = parsed;
      context.hostCache = cached;
    }
    environ.SERVER_NAME = cached.name;
    environ.SERVER_PORT = cached.port ?? (environ['tsgi.url_scheme'] === 'https' ? '443' : '80');
  } else {
    // No Host (HTTP/1.0, or a Unix-socket client): name the listener instead.
    environ.SERVER_NAME = listenerName(head.localAddress);
    environ.SERVER_PORT = head.localPort === undefined ? '80' : String(head.localPort);
  }
  return environ;
}

/** Gateway: its other CGI variables, then its server name, else `Host`'s, else the listener's. */
function finishGateway(
  environ: Environ,
  head: RequestHead,
  gateway: GatewayHead,
): Environ | RequestProblem {
  const env = environ as Record<string, unknown>;
  for (const [key, value] of gateway.extra) if (!(key in env)) env[key] = value;
  let serverName = gateway.serverName;
  let serverPort = gateway.serverPort;
  const host = environ.HTTP_HOST;
  if (host !== undefined && host !== '') {
    const { name, port } = splitHost(host);
    if (!isServerName(name)) return new RequestProblem(400, 'invalid Host header');
    if (!isServerName(serverName)) serverName = name;
    if (serverPort === '' && port !== undefined) serverPort = port;
  }
  if (!isServerName(serverName)) serverName = listenerName(head.localAddress);
  if (!isPort(serverPort)) {
    serverPort =
      head.localPort !== undefined
        ? String(head.localPort)
        : head.scheme === 'https'
          ? '443'
          : '80';
  }
  environ.SERVER_NAME = serverName;
  environ.SERVER_PORT = serverPort;
  return environ;
}
