import type { Attributes } from '@opentelemetry/api';
import { type Environ, telemetryMethod } from '@tsgi/spec';

/** `http.request.method`: the method if the conventions know it, else `_OTHER`. */
export function normalizeMethod(method: string): string {
  return telemetryMethod(method);
}

/** A port number from the environ, or `undefined` when there is none. */
function toPort(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/**
 * `server.address` and `server.port` as the client addressed the server: the
 * `Host` header (`example.com:8443`, `[::1]:8000`), else `SERVER_NAME` and
 * `SERVER_PORT`.
 */
function setServer(attributes: Attributes, environ: Environ): void {
  const host = environ.HTTP_HOST;
  if (typeof host === 'string' && host !== '') {
    const close = host.startsWith('[') ? host.indexOf(']') : -1;
    const colon = host.indexOf(':', close + 1);
    attributes['server.address'] = colon === -1 ? host : host.slice(0, colon);
    const port = colon === -1 ? undefined : toPort(host.slice(colon + 1));
    if (port !== undefined) attributes['server.port'] = port;
    return;
  }
  if (environ.SERVER_NAME) attributes['server.address'] = environ.SERVER_NAME;
  const port = toPort(environ.SERVER_PORT);
  if (port !== undefined) attributes['server.port'] = port;
}

/**
 * The request's attributes by the HTTP server span conventions:
 * `http.request.method` (and `http.request.method_original` for `_OTHER`),
 * `url.path` and `url.query` as sent (`REQUEST_URI`), `url.scheme`,
 * `server.address`/`server.port`, `client.address`/`client.port`,
 * `user_agent.original` and `network.protocol.version` (`1.1`, `2`).
 */
export function requestAttributes(environ: Environ, method: string): Attributes {
  const original = environ.REQUEST_METHOD;
  const uri = environ.REQUEST_URI;
  const query = uri.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': method,
    'url.path': query === -1 ? uri : uri.slice(0, query),
    'url.scheme': environ['tsgi.url_scheme'],
  };
  if (method !== original) attributes['http.request.method_original'] = original;
  if (query !== -1 && query < uri.length - 1) attributes['url.query'] = uri.slice(query + 1);
  setServer(attributes, environ);
  if (environ.REMOTE_ADDR) attributes['client.address'] = environ.REMOTE_ADDR;
  const clientPort = toPort(environ.REMOTE_PORT);
  if (clientPort !== undefined) attributes['client.port'] = clientPort;
  const agent = environ.HTTP_USER_AGENT;
  if (typeof agent === 'string') attributes['user_agent.original'] = agent;
  const protocol = environ.SERVER_PROTOCOL;
  if (typeof protocol === 'string' && protocol.startsWith('HTTP/')) {
    attributes['network.protocol.version'] = protocol.slice(5);
  }
  return attributes;
}
