import type { IncomingMessage } from 'node:http';
import type { Environ, ErrorStream, InputStream } from '@tsgi/spec';
import { readForwarded, type TrustPredicate, unmapIPv4 } from '@tsgi/spec';
import { genericLayout, layoutFor } from './header-layout.js';
import { emptyInput, RequestInput } from './input.js';
import type { ResolvedHandlerOptions } from './options.js';
import { peerOf } from './peer.js';

/** What `buildEnviron` needs besides the request; one per server. */
export interface EnvironContext {
  readonly options: ResolvedHandlerOptions;
  readonly errors: ErrorStream;
  readonly trust: TrustPredicate | undefined;
  /** The last valid `Host` seen and its parts: behind a proxy it is nearly always the same. */
  hostCache?: { host: string; name: string; port: string | undefined };
}

/** A request refused before the application runs: status and a short text naming the problem. */
export class RequestProblem {
  /** The HTTP status to answer with (400, 414 or 431). */
  readonly status: number;
  /** What is wrong, for the response body. */
  readonly message: string;
  /** Makes the type nominal: a look-alike object literal is not a problem (see `isProblem`). */
  declare private readonly nominal: never;
  constructor(status: number, message: string) {
    this.status = status;
    this.message = message;
  }
}

const HOST_NAME = /^[^\s/?#@[\]:]+$/;
const IPV6_BRACKETED = /^\[[0-9A-Fa-f:.]+\]$/;
const PORT = /^\d{1,5}$/;

/** `SERVER_PROTOCOL` for llhttp's version string, without building the common ones per request. */
function protocolOf(version: string): string {
  return version === '1.1' ? 'HTTP/1.1' : version === '1.0' ? 'HTTP/1.0' : `HTTP/${version}`;
}

/** Percent-decodes a path as UTF-8; `undefined` when a sequence is invalid. */
export function decodePath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/** Splits `host[:port]` (with `[v6]` brackets) into name and port. */
export function splitHost(host: string): { name: string; port: string | undefined } {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end !== -1) {
      const rest = host.slice(end + 1);
      return {
        name: host.slice(0, end + 1),
        port: rest.startsWith(':') ? rest.slice(1) : undefined,
      };
    }
    return { name: host, port: undefined };
  }
  const colon = host.lastIndexOf(':');
  if (colon === -1) return { name: host, port: undefined };
  return { name: host.slice(0, colon), port: host.slice(colon + 1) };
}

/**
 * Builds the environ for a `node:http` request, or the problem that stops the
 * request before the application runs (414 URL too long, 431 too many header
 * fields, 400 bad percent-encoding in the path).
 *
 * `onFirstRead` runs when the app first reads `tsgi.input`; the handler uses it
 * to send `100 Continue` only when the app wants the body.
 */
export function buildEnviron(
  req: IncomingMessage,
  context: EnvironContext,
  onFirstRead?: () => void,
): Environ | RequestProblem {
  const options = context.options;
  const url = req.url ?? '/';
  if (url.length > options.maxUrlLength) {
    return new RequestProblem(414, `request target is longer than ${options.maxUrlLength} bytes`);
  }
  const raw = req.rawHeaders;
  if (raw.length > options.maxHeadersCount * 2) {
    return new RequestProblem(431, `more than ${options.maxHeadersCount} request header fields`);
  }

  let target = url;
  if (target.charCodeAt(0) !== 47 /* / */) {
    // absolute-form (`http://host/path`) as proxies send it: the environ gets
    // the origin form; `*` (OPTIONS *) stays as it is, with an empty PATH_INFO.
    const scheme = target.indexOf('://');
    if (scheme !== -1) {
      const slash = target.indexOf('/', scheme + 3);
      const query = target.indexOf('?', scheme + 3);
      target =
        slash !== -1 && (query === -1 || slash < query)
          ? target.slice(slash)
          : `/${query === -1 ? '' : target.slice(query)}`;
    } else if (target !== '*') {
      return new RequestProblem(400, 'request target must be a path, an absolute URL or *');
    }
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
  // With a mount prefix, SCRIPT_NAME + PATH_INFO is still the whole decoded path:
  // a request outside the prefix gets an empty SCRIPT_NAME.
  let scriptName = options.scriptName;
  let pathInfo = decoded;
  if (scriptName !== '') {
    if (pathInfo === scriptName || pathInfo.startsWith(`${scriptName}/`)) {
      pathInfo = pathInfo.slice(scriptName.length);
    } else {
      scriptName = '';
    }
  }

  const socket = req.socket;
  const peer = peerOf(socket);

  const method = req.method ?? 'GET';
  const query = q === -1 ? '' : target.slice(q + 1);
  const protocol = protocolOf(req.httpVersion);
  const multiprocess = options.multiprocess;

  // Nearly always a compiled layout: the same header names as an earlier request.
  const layout = layoutFor(raw) ?? genericLayout(raw);
  const environ = layout.build(
    method,
    scriptName,
    pathInfo,
    query,
    protocol,
    peer.address,
    peer.port,
    target,
    peer.scheme,
    emptyInput,
    context.errors,
    multiprocess,
    raw,
  );
  const contentLength = layout.contentLength === -1 ? undefined : raw[layout.contentLength];

  let hasBody = false;
  let declared = -1;
  if (contentLength !== undefined) {
    // llhttp already refused malformed, conflicting and repeated lengths.
    environ.CONTENT_LENGTH = contentLength.trim();
    declared = Number(environ.CONTENT_LENGTH);
    hasBody = declared > 0;
  } else if (layout.chunked) {
    hasBody = true;
  }
  if (hasBody) {
    environ['tsgi.input'] = new RequestInput(
      req,
      declared,
      options.bodyLimit,
      onFirstRead,
    ) as InputStream;
  }

  let host = environ.HTTP_HOST;
  const trust = context.trust;
  if (trust?.(peer.address)) {
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
      const { name, port } = splitHost(host);
      if (!HOST_NAME.test(name) && !IPV6_BRACKETED.test(name)) {
        return new RequestProblem(400, 'invalid Host header');
      }
      if (port !== undefined && (!PORT.test(port) || Number(port) > 65_535)) {
        return new RequestProblem(400, 'invalid port in the Host header');
      }
      cached = { host, name, port };
      context.hostCache = cached;
    }
    environ.SERVER_NAME = cached.name;
    environ.SERVER_PORT = cached.port ?? (environ['tsgi.url_scheme'] === 'https' ? '443' : '80');
  } else {
    // No Host (HTTP/1.0, or a Unix-socket client): name the listener instead.
    const local = socket.localAddress;
    const localPort = socket.localPort;
    environ.SERVER_NAME =
      local === undefined || local === ''
        ? 'localhost'
        : local.includes(':')
          ? `[${local}]`
          : local;
    environ.SERVER_PORT = localPort === undefined ? '80' : String(localPort);
  }
  return environ;
}

/** True when `buildEnviron` refused the request. */
export function isProblem(value: Environ | RequestProblem): value is RequestProblem {
  // instanceof, not a property probe: environs come in many shapes.
  return value instanceof RequestProblem;
}
