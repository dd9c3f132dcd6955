import {
  buildEnviron,
  type Environ,
  type EnvironContext,
  type GatewayHead,
  type InputStream,
  type RequestHead,
  RequestProblem,
  requiredCgiKeys,
} from '@tsgi/spec';
import { emptyInput } from '../request/input.js';

/**
 * Where the connection came in: the listener's own address, for `SERVER_NAME`
 * fallbacks, read only when a fallback is needed (a `net.Socket` is one).
 */
export interface GatewayPeer {
  /** The listener's address (TCP), or `undefined` on a Unix socket. */
  readonly localAddress?: string | undefined;
  /** The listener's port (TCP), or `undefined` on a Unix socket. */
  readonly localPort?: number | undefined;
}

const CGI_NAME = /^[A-Z0-9_]+$/;
const HEADER_VALUE_BAD = /[\r\n\0]/;
const ASCII = /^[\x00-\x7f]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Variables the environ builder sets itself, from the head and the gateway fields. */
const CORE: ReadonlySet<string> = new Set(requiredCgiKeys);

/** What a variable name is to the environ: left out, a header, a body header, another variable. */
enum Kind {
  Skip,
  Header,
  Body,
  Extra,
}

/** Names classified so far: the gateway sends the same few dozen every time. */
const kinds = new Map<string, Kind>();
/** Names kept at most; past it, a name is classified each time (a peer sending odd names). */
const MAX_KINDS = 512;

function kindOf(key: string): Kind {
  const known = kinds.get(key);
  if (known !== undefined) return known;
  const kind =
    CORE.has(key) || !CGI_NAME.test(key)
      ? Kind.Skip
      : key.startsWith('HTTP_')
        ? Kind.Header
        : key === 'CONTENT_TYPE' || key === 'CONTENT_LENGTH'
          ? Kind.Body
          : Kind.Extra;
  if (kinds.size < MAX_KINDS) kinds.set(key, kind);
  return kind;
}

/**
 * Turns the CGI variables a gateway sent (a uwsgi packet's vars, FastCGI's
 * `FCGI_PARAMS`: both come from Nginx's `*_params` files) into a complete TSGI environ, or
 * the problem that stops the request (400) before the application runs, by
 * describing them as a `RequestHead` for `@tsgi/spec`'s `buildEnviron`, the one
 * builder every transport uses.
 *
 * Nginx's `uwsgi_params` and `fastcgi_params` leave gaps that the builder fills: no `SCRIPT_NAME`
 * (→ `""`, or the `scriptName` option's prefix), an empty `SERVER_NAME` when
 * the server block has no `server_name` (→ the `Host` name, else the
 * listener), empty `CONTENT_TYPE`/`CONTENT_LENGTH` (→ removed here).
 * `PATH_INFO` arrives already percent-decoded (`$document_uri`) as bytes and
 * is read as UTF-8 here; `REQUEST_URI` and `QUERY_STRING` stay raw. Only
 * CGI-style names (`[A-Z0-9_]+`) are taken, so a gateway can never set a
 * `tsgi.*` key, and header values holding CR, LF or NUL are dropped.
 *
 * `input` is the body stream the listener built from `CONTENT_LENGTH`.
 *
 * `protocol` `'fastcgi'` reads `SCRIPT_NAME` as Nginx's `fastcgi_params` set
 * it: `$fastcgi_script_name`, which without `fastcgi_split_path_info` is the
 * whole path (a PHP script's name). So a `SCRIPT_NAME` without `PATH_INFO`
 * is ignored there, and the path comes from `REQUEST_URI` as over HTTP (under
 * the `scriptName` option's mount); with `PATH_INFO` (a split), both are taken.
 */
export function environFromVars(
  vars: Map<string, string>,
  context: EnvironContext,
  peer: GatewayPeer,
  input: InputStream | undefined,
  protocol: 'uwsgi' | 'fastcgi' = 'uwsgi',
): Environ | RequestProblem {
  const method = vars.get('REQUEST_METHOD');
  if (method === undefined || method === '') {
    return new RequestProblem(400, 'the gateway sent no REQUEST_METHOD');
  }
  const headers: string[] = [];
  const extra: Array<[string, string]> = [];
  for (const [key, value] of vars) {
    const kind = kindOf(key);
    if (kind === Kind.Header) {
      if (!HEADER_VALUE_BAD.test(value)) headers.push(key, value);
    } else if (kind === Kind.Body) {
      if (value !== '') headers.push(key, value);
    } else if (kind === Kind.Extra) {
      extra.push([key, value]);
    }
  }
  let pathInfo = vars.get('PATH_INFO');
  if (pathInfo !== undefined && !ASCII.test(pathInfo)) {
    try {
      pathInfo = utf8.decode(Buffer.from(pathInfo, 'latin1'));
    } catch {
      return new RequestProblem(400, 'PATH_INFO is not valid UTF-8');
    }
  }
  const gateway: GatewayHead = {
    pathInfo,
    scriptName:
      protocol === 'fastcgi' && pathInfo === undefined ? '' : (vars.get('SCRIPT_NAME') ?? ''),
    serverName: vars.get('SERVER_NAME') ?? '',
    serverPort: vars.get('SERVER_PORT') ?? '',
    query: vars.get('QUERY_STRING'),
    extra,
  };
  const head: RequestHead = {
    method,
    target: vars.get('REQUEST_URI') ?? '',
    protocol: vars.get('SERVER_PROTOCOL') || 'HTTP/1.1',
    headers,
    remoteAddr: vars.get('REMOTE_ADDR') ?? '',
    remotePort: vars.get('REMOTE_PORT') ?? '',
    scheme: schemeOf(vars),
    // Read only when needed (no usable SERVER_NAME/SERVER_PORT): a socket asks the kernel.
    get localAddress() {
      return peer.localAddress;
    },
    get localPort() {
      return peer.localPort;
    },
    gateway,
    openInput: () => input ?? emptyInput,
  };
  return buildEnviron(head, context);
}

/** `tsgi.url_scheme` from the front server's variables: `https` when `REQUEST_SCHEME`, `UWSGI_SCHEME` or `HTTPS` say so. */
export function schemeOf(vars: ReadonlyMap<string, string>): 'http' | 'https' {
  const https = vars.get('HTTPS');
  return vars.get('REQUEST_SCHEME') === 'https' ||
    vars.get('UWSGI_SCHEME') === 'https' ||
    (https !== undefined && https.toLowerCase() === 'on')
    ? 'https'
    : 'http';
}
