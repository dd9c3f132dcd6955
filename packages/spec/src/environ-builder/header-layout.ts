import type { Environ, ErrorStream, InputStream } from '../environ.js';
import { cgiHeaderKey, environKey } from './header-key.js';

/**
 * Makes one environ: the CGI and `tsgi.*` values `buildEnviron` worked out,
 * plus every `HTTP_*` key and `CONTENT_TYPE`, read from the request's header
 * list. `SERVER_NAME` and `SERVER_PORT` start empty and are filled in
 * afterwards. Positional, so a request allocates nothing but the environ.
 */
export type EnvironFactory = (
  method: string,
  scriptName: string,
  pathInfo: string,
  query: string,
  protocol: string,
  remoteAddr: string,
  remotePort: string,
  requestUri: string,
  scheme: string,
  input: InputStream,
  errors: ErrorStream,
  multiprocess: boolean,
  raw: readonly string[],
) => Environ;

/** How header names are spelled: as sent on the wire, or as a gateway's CGI keys. */
export type HeaderStyle = 'http' | 'cgi';

/**
 * The header names of a request, in the order sent, and the code that turns
 * such a request's headers into an environ in one object literal.
 *
 * A browser, a proxy or a load generator sends the same names in the same
 * order on every request, so the environ of the next request is nearly always
 * built by the layout of the last one: no hashing of header names, no
 * properties added one by one (which V8 does slowly on an object whose keys
 * vary).
 */
export interface HeaderLayout {
  /** The names as sent (case kept), to match the next request against. */
  readonly names: readonly string[];
  readonly style: HeaderStyle;
  readonly build: EnvironFactory;
  /** Index in the header list of the first `Content-Length` value; -1 when there is none. */
  readonly contentLength: number;
  /** The request has a `Transfer-Encoding` header. */
  readonly chunked: boolean;
}

/** `tsgi.version`: one frozen array shared by every environ. */
const VERSION: readonly [number, number] = Object.freeze([1, 0]) as readonly [number, number];

/** Layouts compiled so far; a client cannot make more than this many. */
const MAX_LAYOUTS = 64;
/** Requests with more header fields than this use the generic path. */
const MAX_FIELDS = 64;
/** Name lists seen once and not compiled yet; cleared when full. */
const MAX_SIGHTINGS = 1024;
/** Name lists longer than this (joined) use the generic path: at most 1 MiB of sightings. */
const MAX_NAMES_LENGTH = 1024;

const layouts = new Map<string, HeaderLayout>();
const sightings = new Set<string>();
let last: HeaderLayout | undefined;
/** False once `new Function` was refused (`--disallow-code-generation-from-strings`, a CSP). */
let canCompile = true;

/**
 * The layout for a request's header list: nearly always a compiled one (the
 * same names as an earlier request), else the generic path: the first time a
 * name list is seen (a one-off probe is not worth compiling), past 64 fields
 * or 1024 characters of names, once 64 layouts exist, or where code
 * generation is forbidden. So a client sending ever-new header names costs a
 * bounded amount of code and memory, and is only slower.
 */
export function layoutFor(raw: readonly string[], style: HeaderStyle): HeaderLayout {
  const recent = last;
  if (recent !== undefined && recent.style === style && sameNames(recent.names, raw)) return recent;
  return compiledLayout(raw, style) ?? genericLayout(raw, style);
}

/** The compiled layout for this header list, or `undefined` when it takes the generic path (see `layoutFor`). */
export function compiledLayout(
  raw: readonly string[],
  style: HeaderStyle,
): HeaderLayout | undefined {
  if (!canCompile || raw.length > MAX_FIELDS * 2) return undefined;
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) names.push(raw[i]!);
  // Header names are tokens and CGI keys are [A-Z0-9_]: they never hold a newline.
  const id = `${style}\n${names.join('\n')}`;
  if (id.length > MAX_NAMES_LENGTH) return undefined;
  let layout = layouts.get(id);
  if (layout === undefined) {
    if (layouts.size >= MAX_LAYOUTS) return undefined;
    if (!sightings.has(id)) {
      if (sightings.size >= MAX_SIGHTINGS) sightings.clear();
      sightings.add(id);
      return undefined;
    }
    sightings.delete(id);
    layout = compileLayout(names, style);
    if (layout === undefined) return undefined;
    layouts.set(id, layout);
  }
  last = layout;
  return layout;
}

function sameNames(names: readonly string[], raw: readonly string[]): boolean {
  if (names.length * 2 !== raw.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== raw[i * 2]) return false;
  return true;
}

/** Where a list of header names puts each value, worked out once for both paths. */
interface HeaderPlan {
  /** Environ key (`HTTP_*` or `CONTENT_TYPE`), in first-seen order → indexes of its values. */
  readonly fields: Map<string, number[]>;
  readonly contentLength: number;
  readonly chunked: boolean;
}

/**
 * The one place that decides what a header name becomes: its `HTTP_*` key,
 * `CONTENT_TYPE`, the first `Content-Length` (kept apart: `buildEnviron` sets
 * `CONTENT_LENGTH`), a `Transfer-Encoding` (a chunked body), or nothing.
 */
function planHeaders(names: readonly string[], style: HeaderStyle): HeaderPlan {
  const fields = new Map<string, number[]>();
  let contentLength = -1;
  let chunked = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let key = style === 'http' ? environKey(name) : cgiHeaderKey(name);
    if (key === null) {
      const lower = style === 'http' ? name.toLowerCase() : name;
      const length = style === 'http' ? 'content-length' : 'CONTENT_LENGTH';
      if (lower === length && contentLength === -1) contentLength = i * 2 + 1;
      if (lower !== (style === 'http' ? 'content-type' : 'CONTENT_TYPE')) continue;
      key = 'CONTENT_TYPE';
    }
    if (key === 'HTTP_TRANSFER_ENCODING') chunked = true;
    const at = fields.get(key);
    if (at === undefined) fields.set(key, [i * 2 + 1]);
    else at.push(i * 2 + 1);
  }
  return { fields, contentLength, chunked };
}

/** How repeated fields of a key are joined: `; ` for `Cookie`, `, ` for the rest. */
function separatorOf(key: string): string {
  return key === 'HTTP_COOKIE' ? '; ' : ', ';
}

/**
 * Writes the factory for a list of header names, following its plan; `undefined`
 * where code generation is forbidden. Only names become code, each through
 * `JSON.stringify`; values are read by index at run time.
 */
function compileLayout(names: readonly string[], style: HeaderStyle): HeaderLayout | undefined {
  const plan = planHeaders(names, style);
  let headerKeys = '';
  for (const [key, at] of plan.fields) {
    const separator = JSON.stringify(separatorOf(key));
    const value = at.map((index) => `raw[${index}]`).join(` + ${separator} + `);
    headerKeys += `, ${JSON.stringify(key)}: ${value}`;
  }
  const source = `return function build(method, scriptName, pathInfo, query, protocol, remoteAddr, remotePort, requestUri, scheme, input, errors, multiprocess, raw) {
  return { REQUEST_METHOD: method, SCRIPT_NAME: scriptName, PATH_INFO: pathInfo, QUERY_STRING: query, SERVER_NAME: '', SERVER_PORT: '', SERVER_PROTOCOL: protocol, REMOTE_ADDR: remoteAddr, REMOTE_PORT: remotePort, REQUEST_URI: requestUri, 'tsgi.version': VERSION, 'tsgi.url_scheme': scheme, 'tsgi.input': input, 'tsgi.errors': errors, 'tsgi.multithread': true, 'tsgi.multiprocess': multiprocess, 'tsgi.run_once': false${headerKeys} };
};`;
  let build: EnvironFactory;
  try {
    build = new Function('VERSION', source)(VERSION) as EnvironFactory;
  } catch (error) {
    // EvalError: code generation from strings is forbidden here. Stop trying.
    if (!(error instanceof EvalError)) throw error;
    canCompile = false;
    return undefined;
  }
  return { names, style, build, contentLength: plan.contentLength, chunked: plan.chunked };
}

/** The environ without any header key, which the generic path fills in. Same key order as compiled ones. */
const buildBare: EnvironFactory = (
  method,
  scriptName,
  pathInfo,
  query,
  protocol,
  remoteAddr,
  remotePort,
  requestUri,
  scheme,
  input,
  errors,
  multiprocess,
) => ({
  REQUEST_METHOD: method,
  SCRIPT_NAME: scriptName,
  PATH_INFO: pathInfo,
  QUERY_STRING: query,
  SERVER_NAME: '',
  SERVER_PORT: '',
  SERVER_PROTOCOL: protocol,
  REMOTE_ADDR: remoteAddr,
  REMOTE_PORT: remotePort,
  REQUEST_URI: requestUri,
  'tsgi.version': VERSION,
  'tsgi.url_scheme': scheme,
  'tsgi.input': input,
  'tsgi.errors': errors,
  'tsgi.multithread': true,
  'tsgi.multiprocess': multiprocess,
  'tsgi.run_once': false,
});

/**
 * The generic path, for a request no compiled layout serves: the same plan,
 * carried out by a loop that adds the keys to a bare environ one by one.
 */
export function genericLayout(raw: readonly string[], style: HeaderStyle): HeaderLayout {
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) names.push(raw[i]!);
  const plan = planHeaders(names, style);
  const build: EnvironFactory = (...args) => {
    const environ = buildBare(...args);
    const env = environ as unknown as Record<string, string>;
    for (const [key, at] of plan.fields) {
      let value = raw[at[0]!]!;
      for (let i = 1; i < at.length; i++) value += separatorOf(key) + raw[at[i]!];
      env[key] = value;
    }
    return environ;
  };
  return { names, style, build, contentLength: plan.contentLength, chunked: plan.chunked };
}
