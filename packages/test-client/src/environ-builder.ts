import type { Environ, ErrorStream, InputStream } from '@tsgi/spec';
import type { OutgoingRequest } from './outgoing-request.js';
import { decodePath } from './request-target.js';

const VERSION: readonly [number, number] = Object.freeze([1, 0] as const);

/** The peer a server would see for in-process requests. */
export const REMOTE_ADDR = '127.0.0.1';
/** A fixed client port, so environs are the same from run to run. */
export const REMOTE_PORT = '49152';

const headerKeys = new Map<string, string>();

/** `HTTP_` + the header name upper-cased with `-` as `_`, cached for the common names. */
function headerKey(name: string): string {
  let key = headerKeys.get(name);
  if (key === undefined) {
    key = `HTTP_${name.toUpperCase().replaceAll('-', '_')}`;
    if (headerKeys.size < 1000) headerKeys.set(name, key);
  }
  return key;
}

/**
 * The environ a server would build for this request, the equivalent of
 * `wsgiref.util.setup_testing_defaults`: every CGI key SPEC.md requires, one
 * `HTTP_*` key per header (repeats joined with `", "`, `Cookie` with `"; "`),
 * `CONTENT_TYPE`/`CONTENT_LENGTH` only when the request has them, then the
 * overrides (an `undefined` override deletes the key).
 */
export function buildEnviron(
  request: OutgoingRequest,
  scriptName: string,
  input: InputStream,
  errors: ErrorStream,
): Environ {
  const { origin, target } = request.location;
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  let pathInfo = rawPath === '*' ? '' : decodePath(rawPath);
  let script = '';
  if (scriptName !== '' && pathInfo.startsWith(scriptName)) {
    const rest = pathInfo.slice(scriptName.length);
    if (rest === '' || rest[0] === '/') {
      script = scriptName;
      pathInfo = rest;
    }
  }
  const environ: Environ = {
    REQUEST_METHOD: request.method,
    SCRIPT_NAME: script,
    PATH_INFO: pathInfo,
    QUERY_STRING: q === -1 ? '' : target.slice(q + 1),
    SERVER_NAME: origin.hostname,
    SERVER_PORT: origin.port,
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR,
    REMOTE_PORT,
    REQUEST_URI: target,
    HTTP_HOST: origin.host,
    'tsgi.version': VERSION,
    'tsgi.url_scheme': origin.scheme,
    'tsgi.input': input,
    'tsgi.errors': errors,
    'tsgi.multithread': true,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  };
  let hostGiven = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-type') {
      environ.CONTENT_TYPE = value;
    } else if (lower === 'content-length') {
      environ.CONTENT_LENGTH = value;
    } else {
      const key = headerKey(name);
      if (lower === 'host' && !hostGiven) {
        hostGiven = true;
        environ.HTTP_HOST = value;
        continue;
      }
      const previous = environ[key] as string | undefined;
      environ[key] =
        previous === undefined ? value : `${previous}${lower === 'cookie' ? '; ' : ', '}${value}`;
    }
  }
  const body = request.body;
  if (body !== undefined && environ.CONTENT_LENGTH === undefined) {
    if (body instanceof Uint8Array) environ.CONTENT_LENGTH = String(body.byteLength);
    else if (environ.HTTP_TRANSFER_ENCODING === undefined)
      environ.HTTP_TRANSFER_ENCODING = 'chunked';
  }
  const overrides = request.environ;
  if (overrides !== undefined) {
    for (const key of Object.keys(overrides)) {
      const value = overrides[key];
      if (value === undefined) delete environ[key];
      else environ[key] = value;
    }
  }
  return environ;
}
