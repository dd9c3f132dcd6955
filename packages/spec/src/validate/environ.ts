import type { Environ } from '../environ.js';
import { requiredCgiKeys } from '../environ-table.js';
import { DIGITS, isScriptName, TOKEN } from '../grammar.js';
import { checkHttp2Fields } from './http2.js';
import { show, violation } from './violation.js';
import { checkWebSocketOffer } from './websocket.js';

const REQUIRED_STRINGS = requiredCgiKeys;

const CGI_NAME = /^[A-Z0-9_]+$/;
const HTTP_KEY = /^HTTP_[A-Z0-9_!#$%&'*+.^`|~]+$/;
const HOST_NAME = /^[^\s/?#@[\]:]+$/;
const IPV6_BRACKETED = /^\[[0-9A-Fa-f:.]+(%[\w.~-]+)?\]$/;
const PROTOCOL = /^HTTP\/[0-9](\.[0-9])?$/;
const REQUEST_TARGET = /^\/[^\x00-\x20\x7f]*$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** The `tsgi.*` keys this spec defines, and the registered extensions. */
export const TSGI_KEYS = new Set([
  'tsgi.version',
  'tsgi.url_scheme',
  'tsgi.input',
  'tsgi.errors',
  'tsgi.multithread',
  'tsgi.multiprocess',
  'tsgi.run_once',
  'tsgi.route',
  'tsgi.request_id',
  'tsgi.websocket',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks an environ against every `env`, `url` and `ext` rule and throws the
 * first violation. Reads only; never changes the environ.
 */
export function checkEnviron(environ: unknown): asserts environ is Environ {
  if (!isPlainObject(environ)) {
    throw violation('env.1', `the environ is ${show(environ)}, not a plain object`);
  }
  const env = environ;
  for (const key of REQUIRED_STRINGS) {
    if (typeof env[key] !== 'string') {
      throw violation(
        'env.2',
        key in env ? `${key} is ${show(env[key])}, not a string` : `${key} is missing`,
      );
    }
  }
  for (const key of Object.keys(env)) {
    if (key.includes('.')) continue;
    if (key.startsWith('HTTP_') && !HTTP_KEY.test(key)) {
      throw violation('env.17', `header key ${show(key)} is not HTTP_ plus an upper-cased name`);
    }
    if (!CGI_NAME.test(key)) {
      throw violation('ext.1', `key ${show(key)} has no dot and is not a CGI variable name`);
    }
    if (typeof env[key] !== 'string') {
      throw violation('env.3', `${key} is ${show(env[key])}, not a string`);
    }
  }
  const s = env as Record<string, string>;

  if (!TOKEN.test(s.REQUEST_METHOD!)) {
    throw violation('env.4', `REQUEST_METHOD is ${show(s.REQUEST_METHOD)}`);
  }
  const script = s.SCRIPT_NAME!;
  if (!isScriptName(script)) {
    throw violation('env.5', `SCRIPT_NAME is ${show(script)}`);
  }
  const path = s.PATH_INFO!;
  if (path !== '' && !path.startsWith('/')) {
    throw violation('env.6', `PATH_INFO is ${show(path)}`);
  }
  for (const key of ['SCRIPT_NAME', 'PATH_INFO'] as const) {
    const value = s[key]!;
    if (value.includes('\0') || LONE_SURROGATE.test(value)) {
      throw violation('url.2', `${key} is ${show(value)}`);
    }
  }
  const uri = s.REQUEST_URI!;
  const asterisk = uri === '*';
  if (asterisk ? s.REQUEST_METHOD !== 'OPTIONS' : !REQUEST_TARGET.test(uri)) {
    throw violation('env.9', `REQUEST_URI is ${show(uri)} with method ${s.REQUEST_METHOD}`);
  }
  if (script === '' && path === '' && !asterisk) {
    throw violation('env.7', `SCRIPT_NAME and PATH_INFO are both empty for ${show(uri)}`);
  }
  const q = uri.indexOf('?');
  const expectedQuery = q === -1 ? '' : uri.slice(q + 1);
  if (s.QUERY_STRING !== expectedQuery) {
    throw violation(
      'env.8',
      `QUERY_STRING is ${show(s.QUERY_STRING)} but REQUEST_URI ${show(uri)} carries ${show(expectedQuery)}`,
    );
  }
  if ('CONTENT_TYPE' in s && s.CONTENT_TYPE === '') {
    throw violation('env.10', 'CONTENT_TYPE is present but empty');
  }
  if ('CONTENT_LENGTH' in s && !DIGITS.test(s.CONTENT_LENGTH!)) {
    throw violation('env.11', `CONTENT_LENGTH is ${show(s.CONTENT_LENGTH)}`);
  }
  for (const key of ['HTTP_CONTENT_TYPE', 'HTTP_CONTENT_LENGTH']) {
    if (key in s) throw violation('env.12', `the environ has ${key}`);
  }
  const host = s.SERVER_NAME!;
  if (!HOST_NAME.test(host) && !IPV6_BRACKETED.test(host)) {
    throw violation('env.13', `SERVER_NAME is ${show(host)}`);
  }
  const authority = s.HTTP_HOST;
  if (authority !== undefined) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::([0-9]{1,5}))?$/.exec(authority);
    const name = match?.[1] ?? '';
    if (!match || (!HOST_NAME.test(name) && !IPV6_BRACKETED.test(name))) {
      throw violation('env.23', `HTTP_HOST is ${show(authority)}`);
    }
  }
  if (!DIGITS.test(s.SERVER_PORT!) || Number(s.SERVER_PORT) > 65535) {
    throw violation('env.14', `SERVER_PORT is ${show(s.SERVER_PORT)}`);
  }
  if (!PROTOCOL.test(s.SERVER_PROTOCOL!)) {
    throw violation('env.15', `SERVER_PROTOCOL is ${show(s.SERVER_PROTOCOL)}`);
  }
  checkHttp2Fields(s);
  const addr = s.REMOTE_ADDR!;
  const port = s.REMOTE_PORT!;
  if (
    (addr !== '' && (!VISIBLE_ASCII.test(addr) || addr.startsWith('['))) ||
    (port !== '' && (!DIGITS.test(port) || Number(port) > 65535))
  ) {
    throw violation('env.16', `REMOTE_ADDR is ${show(addr)} and REMOTE_PORT ${show(port)}`);
  }
  for (const key of Object.keys(s)) {
    if (!key.startsWith('HTTP_')) continue;
    if (!HTTP_KEY.test(key) || /[\r\n\0]/.test(s[key]!)) {
      throw violation('env.17', `${key} is ${show(s[key])}`);
    }
  }

  const version = env['tsgi.version'];
  if (!Array.isArray(version) || version.length !== 2 || version[0] !== 1 || version[1] !== 0) {
    throw violation('env.18', `tsgi.version is ${show(version)}`);
  }
  const scheme = env['tsgi.url_scheme'];
  if (scheme !== 'http' && scheme !== 'https') {
    throw violation('env.19', `tsgi.url_scheme is ${show(scheme)}`);
  }
  const input = env['tsgi.input'] as Record<PropertyKey, unknown> | null | undefined;
  if (
    input === null ||
    typeof input !== 'object' ||
    typeof input.read !== 'function' ||
    typeof input[Symbol.asyncIterator] !== 'function'
  ) {
    throw violation('env.20', `tsgi.input is ${show(input)} without read() and async iteration`);
  }
  const errors = env['tsgi.errors'] as Record<string, unknown> | null | undefined;
  if (
    errors === null ||
    typeof errors !== 'object' ||
    typeof errors.write !== 'function' ||
    typeof errors.flush !== 'function'
  ) {
    throw violation('env.21', `tsgi.errors is ${show(errors)} without write() and flush()`);
  }
  for (const key of ['tsgi.multithread', 'tsgi.multiprocess', 'tsgi.run_once']) {
    if (typeof env[key] !== 'boolean') {
      throw violation('env.22', `${key} is ${show(env[key])}, not a boolean`);
    }
  }
  if (env['tsgi.multithread'] !== true) {
    throw violation('env.22', 'tsgi.multithread is false, but requests share the process on Node');
  }
  checkExtensions(env);
}

/** Checks the `ext` and offer (`ws.1`, `ws.3`) rules on the `tsgi.*` keys; run again after inner layers added keys. */
export function checkExtensions(env: Record<string, unknown>): void {
  for (const key of Object.keys(env)) {
    if (key.startsWith('tsgi.') && !TSGI_KEYS.has(key)) {
      throw violation('ext.2', `${show(key)} is not a key of TSGI 1.0 or a registered extension`);
    }
  }
  if ('tsgi.route' in env) {
    const route = env['tsgi.route'] as { pattern?: unknown; params?: unknown } | null;
    const params = route?.params as Record<string, unknown> | null | undefined;
    if (
      route === null ||
      typeof route !== 'object' ||
      typeof route.pattern !== 'string' ||
      params === null ||
      typeof params !== 'object' ||
      Object.values(params).some((v) => typeof v !== 'string')
    ) {
      throw violation('ext.3', `tsgi.route is ${show(route)}`);
    }
  }
  if ('tsgi.request_id' in env) {
    const id = env['tsgi.request_id'];
    if (typeof id !== 'string' || !VISIBLE_ASCII.test(id)) {
      throw violation('ext.4', `tsgi.request_id is ${show(id)}`);
    }
  }
  checkWebSocketOffer(env);
}
