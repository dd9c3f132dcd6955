import type { Environ, InputStream } from '@tsgi/spec';
import { decodePath, type EnvironContext, RequestProblem, splitHost } from '../environ.js';
import { emptyInput } from '../input.js';

/** Where the uwsgi connection came in: the listener's own address, for `SERVER_NAME` fallbacks. */
export interface UwsgiPeer {
  /** The listener's address (TCP), or `undefined` on a Unix socket. */
  readonly localAddress: string | undefined;
  /** The listener's port (TCP), or `undefined` on a Unix socket. */
  readonly localPort: number | undefined;
}

const CGI_NAME = /^[A-Z0-9_]+$/;
const HEADER_VALUE_BAD = /[\r\n\0]/;
const DIGITS = /^\d+$/;
const ASCII = /^[\x00-\x7f]*$/;
const HOST_NAME = /^[^\s/?#@[\]:]+$/;
const IPV6_BRACKETED = /^\[[0-9A-Fa-f:.]+\]$/;
const VERSION: readonly [number, number] = Object.freeze([1, 0]) as readonly [number, number];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the CGI variables of a uwsgi packet into a complete TSGI environ, or
 * the problem that stops the request (400) before the application runs.
 *
 * Nginx's `uwsgi_params` leaves gaps that are filled here: no `SCRIPT_NAME`
 * (→ `""`, or the `scriptName` option's prefix), an empty `SERVER_NAME` when
 * the server block has no `server_name` (→ the `Host` name, else the
 * listener), empty `CONTENT_TYPE`/`CONTENT_LENGTH` (→ removed). `PATH_INFO`
 * arrives already percent-decoded (`$document_uri`) as bytes and is read as
 * UTF-8; `REQUEST_URI` and `QUERY_STRING` stay raw. Only CGI-style names
 * (`[A-Z0-9_]+`) are taken, so a packet can never set a `tsgi.*` key.
 *
 * `input` is the body stream the listener built from `CONTENT_LENGTH`.
 */
export function environFromVars(
  vars: Map<string, string>,
  context: EnvironContext,
  peer: UwsgiPeer,
  input: InputStream | undefined,
): Environ | RequestProblem {
  const options = context.options;
  const method = vars.get('REQUEST_METHOD');
  if (method === undefined || method === '') {
    return new RequestProblem(400, 'uwsgi packet has no REQUEST_METHOD');
  }
  // The core keys first, in one literal, so every environ has the same shape.
  const environ: Environ = {
    REQUEST_METHOD: method,
    SCRIPT_NAME: '',
    PATH_INFO: '',
    QUERY_STRING: '',
    SERVER_NAME: '',
    SERVER_PORT: '',
    SERVER_PROTOCOL: vars.get('SERVER_PROTOCOL') || 'HTTP/1.1',
    REMOTE_ADDR: vars.get('REMOTE_ADDR') ?? '',
    REMOTE_PORT: vars.get('REMOTE_PORT') ?? '',
    REQUEST_URI: '',
    'tsgi.version': VERSION,
    'tsgi.url_scheme': 'http',
    'tsgi.input': input ?? emptyInput,
    'tsgi.errors': context.errors,
    'tsgi.multithread': true,
    'tsgi.multiprocess': options.multiprocess,
    'tsgi.run_once': false,
  };
  const env = environ as Record<string, unknown>;
  for (const [key, value] of vars) {
    if (key in environ) continue; // core keys are set above and below
    if (key.charCodeAt(0) === 72 /* H */ && key.startsWith('HTTP_')) {
      if (key === 'HTTP_CONTENT_TYPE' || key === 'HTTP_CONTENT_LENGTH') continue;
      if (HEADER_VALUE_BAD.test(value) || !CGI_NAME.test(key)) continue;
    } else if (!CGI_NAME.test(key)) {
      continue;
    } else if (value === '' && (key === 'CONTENT_TYPE' || key === 'CONTENT_LENGTH')) {
      continue;
    }
    env[key] = value;
  }

  let uri = vars.get('REQUEST_URI') ?? '';
  const q = uri.indexOf('?');
  let query = vars.get('QUERY_STRING') ?? (q === -1 ? '' : uri.slice(q + 1));
  let rawPath = vars.get('PATH_INFO');
  if (rawPath === undefined) {
    // Without PATH_INFO, decode the path of REQUEST_URI as the HTTP server does.
    const fromUri = decodePath(q === -1 ? uri : uri.slice(0, q));
    if (fromUri === undefined) {
      return new RequestProblem(400, 'request path has an invalid percent-encoding');
    }
    rawPath = Buffer.from(fromUri, 'utf8').toString('latin1');
  }
  let path = rawPath;
  if (!ASCII.test(rawPath)) {
    try {
      path = utf8.decode(Buffer.from(rawPath, 'latin1'));
    } catch {
      return new RequestProblem(400, 'PATH_INFO is not valid UTF-8');
    }
  }
  if (path.includes('\0')) return new RequestProblem(400, 'PATH_INFO holds %00');
  if (uri === '') {
    uri = encodeURI(path) + (query === '' ? '' : `?${query}`);
  } else if (q === -1) {
    // A rewrite may have added arguments: keep REQUEST_URI and QUERY_STRING consistent.
    query = '';
  } else {
    query = uri.slice(q + 1);
  }
  if (uri.length > options.maxUrlLength) {
    return new RequestProblem(414, `request target is longer than ${options.maxUrlLength} bytes`);
  }

  let scriptName = vars.get('SCRIPT_NAME') ?? '';
  if (scriptName === '' && options.scriptName !== '') {
    const prefix = options.scriptName;
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      scriptName = prefix;
      path = path.slice(prefix.length);
    }
  } else if (scriptName !== '' && path.startsWith(scriptName)) {
    // uwsgi's own convention: PATH_INFO may still include SCRIPT_NAME.
    const rest = path.slice(scriptName.length);
    if (rest === '' || rest.startsWith('/')) path = rest;
  }
  if (scriptName === '' && path === '') path = '/';

  const length = env.CONTENT_LENGTH as string | undefined;
  if (length !== undefined && !DIGITS.test(length)) {
    return new RequestProblem(400, `invalid CONTENT_LENGTH ${JSON.stringify(length)}`);
  }

  const https = vars.get('HTTPS');
  const scheme =
    vars.get('REQUEST_SCHEME') === 'https' ||
    vars.get('UWSGI_SCHEME') === 'https' ||
    (https !== undefined && https.toLowerCase() === 'on')
      ? 'https'
      : 'http';

  let serverName = vars.get('SERVER_NAME') ?? '';
  let serverPort = vars.get('SERVER_PORT') ?? '';
  const host = env.HTTP_HOST as string | undefined;
  if (host !== undefined && host !== '') {
    const { name, port } = splitHost(host);
    if (!HOST_NAME.test(name) && !IPV6_BRACKETED.test(name)) {
      return new RequestProblem(400, 'invalid Host header');
    }
    if (serverName === '' || (!HOST_NAME.test(serverName) && !IPV6_BRACKETED.test(serverName))) {
      serverName = name;
    }
    if (serverPort === '' && port !== undefined) serverPort = port;
  }
  if (serverName === '' || (!HOST_NAME.test(serverName) && !IPV6_BRACKETED.test(serverName))) {
    const local = peer.localAddress;
    serverName =
      local === undefined || local === ''
        ? 'localhost'
        : local.includes(':')
          ? `[${local}]`
          : local;
  }
  if (!DIGITS.test(serverPort) || Number(serverPort) > 65_535) {
    serverPort =
      peer.localPort !== undefined ? String(peer.localPort) : scheme === 'https' ? '443' : '80';
  }

  environ.SCRIPT_NAME = scriptName;
  environ.PATH_INFO = path;
  environ.QUERY_STRING = query;
  environ.REQUEST_URI = uri;
  environ.SERVER_NAME = serverName;
  environ.SERVER_PORT = serverPort;
  environ['tsgi.url_scheme'] = scheme;
  return environ;
}
