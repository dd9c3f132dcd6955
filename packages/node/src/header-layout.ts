import type { Environ, ErrorStream, InputStream } from '@tsgi/spec';
import { environKey } from './header-key.js';

/**
 * Makes one environ: the CGI and `tsgi.*` values `buildEnviron` worked out,
 * plus (for a compiled layout) every `HTTP_*` key, `CONTENT_TYPE` included,
 * read from the request's `rawHeaders`. `SERVER_NAME` and `SERVER_PORT` start
 * empty and are filled in afterwards. Positional, so a request allocates
 * nothing but the environ itself.
 */
export type EnvironBuilder = (
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
  readonly build: EnvironBuilder;
  /** Index in `rawHeaders` of the first `Content-Length` value; -1 when there is none. */
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

/**
 * The compiled layout for this request's header names, or `undefined` when
 * the request takes the generic path: the first time a name list is seen (a
 * one-off probe is not worth compiling), past 64 fields or 1024 characters of
 * names, or once 64 layouts exist. So a client sending ever-new header names costs a bounded amount of
 * code and memory, and is only slower.
 */
export function layoutFor(raw: readonly string[]): HeaderLayout | undefined {
  const recent = last;
  if (recent !== undefined && sameNames(recent.names, raw)) return recent;
  if (raw.length > MAX_FIELDS * 2) return undefined;
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) names.push(raw[i]!);
  // Header names are tokens: they never hold a newline.
  const id = names.join('\n');
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
    layout = compileLayout(names);
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
  /** Environ key (`HTTP_*` or `CONTENT_TYPE`), in first-seen order → indexes of its values in `rawHeaders`. */
  readonly fields: Map<string, number[]>;
  readonly contentLength: number;
  readonly chunked: boolean;
}

/**
 * The one place that decides what a header name becomes: its `HTTP_*` key,
 * `CONTENT_TYPE`, the first `Content-Length` (kept apart: `buildEnviron` sets
 * `CONTENT_LENGTH`), a `Transfer-Encoding` (a chunked body), or nothing.
 */
function planHeaders(names: readonly string[]): HeaderPlan {
  const fields = new Map<string, number[]>();
  let contentLength = -1;
  let chunked = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let key = environKey(name);
    if (key === null) {
      const lower = name.toLowerCase();
      if (lower === 'content-length' && contentLength === -1) contentLength = i * 2 + 1;
      if (lower !== 'content-type') continue;
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
 * Writes the builder for a list of header names, following its plan. Only
 * names become code, each through `JSON.stringify`; values are read by index
 * at run time.
 */
function compileLayout(names: readonly string[]): HeaderLayout {
  const plan = planHeaders(names);
  let headerKeys = '';
  for (const [key, at] of plan.fields) {
    const separator = JSON.stringify(separatorOf(key));
    const value = at.map((index) => `raw[${index}]`).join(` + ${separator} + `);
    headerKeys += `, ${JSON.stringify(key)}: ${value}`;
  }
  const source = `return function build(method, scriptName, pathInfo, query, protocol, remoteAddr, remotePort, requestUri, scheme, input, errors, multiprocess, raw) {
  return { REQUEST_METHOD: method, SCRIPT_NAME: scriptName, PATH_INFO: pathInfo, QUERY_STRING: query, SERVER_NAME: '', SERVER_PORT: '', SERVER_PROTOCOL: protocol, REMOTE_ADDR: remoteAddr, REMOTE_PORT: remotePort, REQUEST_URI: requestUri, 'tsgi.version': VERSION, 'tsgi.url_scheme': scheme, 'tsgi.input': input, 'tsgi.errors': errors, 'tsgi.multithread': true, 'tsgi.multiprocess': multiprocess, 'tsgi.run_once': false${headerKeys} };
};`;
  const build = new Function('VERSION', source)(VERSION) as EnvironBuilder;
  return { names, build, contentLength: plan.contentLength, chunked: plan.chunked };
}

/** The environ without any header key, which the generic path fills in. */
const buildBare: EnvironBuilder = compileLayout([]).build;

/**
 * The generic path, for a request `layoutFor` does not compile: the same plan,
 * carried out by a loop that adds the keys to a bare environ one by one.
 */
export function genericLayout(raw: readonly string[]): HeaderLayout {
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) names.push(raw[i]!);
  const plan = planHeaders(names);
  const build: EnvironBuilder = (...args) => {
    const environ = buildBare(...args);
    const env = environ as unknown as Record<string, string>;
    for (const [key, at] of plan.fields) {
      let value = raw[at[0]!]!;
      for (let i = 1; i < at.length; i++) value += separatorOf(key) + raw[at[i]!];
      env[key] = value;
    }
    return environ;
  };
  return { names, build, contentLength: plan.contentLength, chunked: plan.chunked };
}
