import { makeEnviron, makeInput, serve, textApp } from '../harness.ts';
import { custom, type RuleTable, served } from './cases.ts';

const app = textApp();

export const envCases: RuleTable = {
  'app.1': {
    pass: [custom('a function', (ctx) => serve(ctx.validate(app)))],
    fail: [custom('a number', (ctx) => ctx.validate(42 as never))],
  },
  'app.2': {
    pass: [custom('environ and startResponse', (ctx) => serve(ctx.validate(app)))],
    fail: [
      custom('one argument', (ctx) =>
        (ctx.validate(app) as (e: unknown) => unknown)(makeEnviron()),
      ),
      custom('startResponse is not a function', (ctx) =>
        ctx.validate(app)(makeEnviron(), 'nope' as never),
      ),
    ],
  },
  'env.1': {
    pass: [served('a plain object', app)],
    fail: [
      custom('null', (ctx) => ctx.validate(app)(null as never, () => async () => {})),
      custom('an array', (ctx) => ctx.validate(app)([] as never, () => async () => {})),
      custom('a Map', (ctx) => ctx.validate(app)(new Map() as never, () => async () => {})),
    ],
  },
  'env.2': {
    pass: [served('every required key', app)],
    fail: [
      served('no REQUEST_URI', app, { REQUEST_URI: undefined }),
      served('SERVER_PORT as a number', app, { SERVER_PORT: 8080 }),
      served('no REMOTE_ADDR', app, { REMOTE_ADDR: undefined }),
    ],
  },
  'env.3': {
    pass: [served('HTTP_ACCEPT string', app, { HTTP_ACCEPT: 'text/html' })],
    fail: [
      custom('CONTENT_TYPE present as undefined', (ctx) => {
        const environ = makeEnviron();
        (environ as Record<string, unknown>).CONTENT_TYPE = undefined;
        return serve(ctx.validate(app), environ);
      }),
      served('HTTP_ACCEPT as an array', app, { HTTP_ACCEPT: ['a', 'b'] }),
    ],
  },
  'env.4': {
    pass: [
      served('GET', app),
      served('a custom token method', app, { REQUEST_METHOD: 'PROPFIND' }),
    ],
    fail: [
      served('empty', app, { REQUEST_METHOD: '' }),
      served('with a space', app, { REQUEST_METHOD: 'GET X' }),
    ],
  },
  'env.5': {
    pass: [served('mounted at /api', app, { SCRIPT_NAME: '/api', REQUEST_URI: '/api/items' })],
    fail: [
      served('trailing slash', app, { SCRIPT_NAME: '/api/', REQUEST_URI: '/api//items' }),
      served('no leading slash', app, { SCRIPT_NAME: 'api' }),
    ],
  },
  'env.6': {
    pass: [
      served('empty PATH_INFO under a mount', app, {
        SCRIPT_NAME: '/api',
        PATH_INFO: '',
        REQUEST_URI: '/api',
      }),
    ],
    fail: [served('no leading slash', app, { PATH_INFO: 'items' })],
  },
  'env.7': {
    pass: [
      served('root is "/"', app, { PATH_INFO: '/', REQUEST_URI: '/' }),
      served('OPTIONS *', app, { REQUEST_METHOD: 'OPTIONS', PATH_INFO: '', REQUEST_URI: '*' }),
    ],
    fail: [served('both empty', app, { PATH_INFO: '', REQUEST_URI: '/' })],
  },
  'env.8': {
    pass: [
      served('raw query', app, { REQUEST_URI: '/items?q=a%20b&x', QUERY_STRING: 'q=a%20b&x' }),
      served('empty query after ?', app, { REQUEST_URI: '/items?', QUERY_STRING: '' }),
    ],
    fail: [
      served('decoded query', app, { REQUEST_URI: '/items?q=a%20b', QUERY_STRING: 'q=a b' }),
      served('query missing', app, { REQUEST_URI: '/items?page=2', QUERY_STRING: '' }),
      served('a query not in REQUEST_URI', app, { QUERY_STRING: 'a=1' }),
    ],
  },
  'env.9': {
    pass: [served('origin form', app, { REQUEST_URI: '/items' })],
    fail: [
      served('absolute form', app, { REQUEST_URI: 'http://x/items' }),
      served('* without OPTIONS', app, { REQUEST_URI: '*', PATH_INFO: '' }),
      served('a raw space', app, { REQUEST_URI: '/it ems', PATH_INFO: '/it ems' }),
    ],
  },
  'env.10': {
    pass: [served('absent', app), served('present', app, { CONTENT_TYPE: 'application/json' })],
    fail: [served('empty', app, { CONTENT_TYPE: '' })],
  },
  'env.11': {
    pass: [served('digits', app, { CONTENT_LENGTH: '0' })],
    fail: [
      served('empty', app, { CONTENT_LENGTH: '' }),
      served('negative', app, { CONTENT_LENGTH: '-1' }),
      served('spaces', app, { CONTENT_LENGTH: ' 5' }),
    ],
  },
  'env.12': {
    pass: [served('CONTENT_TYPE only', app, { CONTENT_TYPE: 'text/plain' })],
    fail: [
      served('HTTP_CONTENT_TYPE', app, { HTTP_CONTENT_TYPE: 'text/plain' }),
      served('HTTP_CONTENT_LENGTH', app, { HTTP_CONTENT_LENGTH: '3' }),
    ],
  },
  'env.13': {
    pass: [
      served('a name', app, { SERVER_NAME: 'example.com' }),
      served('bracketed IPv6', app, { SERVER_NAME: '[::1]' }),
    ],
    fail: [
      served('empty, as Nginx sends without server_name', app, { SERVER_NAME: '' }),
      served('with a port', app, { SERVER_NAME: 'example.com:80' }),
      served('bare IPv6', app, { SERVER_NAME: '::1' }),
    ],
  },
  'env.14': {
    pass: [served('"80"', app, { SERVER_PORT: '80' })],
    fail: [
      served('empty', app, { SERVER_PORT: '' }),
      served('out of range', app, { SERVER_PORT: '70000' }),
    ],
  },
  'env.15': {
    pass: [
      served('HTTP/1.0', app, { SERVER_PROTOCOL: 'HTTP/1.0' }),
      served('HTTP/2', app, { SERVER_PROTOCOL: 'HTTP/2' }),
    ],
    fail: [
      served('lower case', app, { SERVER_PROTOCOL: 'http/1.1' }),
      served('no version', app, { SERVER_PROTOCOL: 'HTTP' }),
    ],
  },
  'env.16': {
    pass: [
      served('IPv6 peer', app, { REMOTE_ADDR: '::1', REMOTE_PORT: '1234' }),
      served('Unix socket peer', app, { REMOTE_ADDR: '', REMOTE_PORT: '' }),
    ],
    fail: [
      served('bracketed address', app, { REMOTE_ADDR: '[::1]' }),
      served('port not digits', app, { REMOTE_PORT: 'x' }),
    ],
  },
  'env.17': {
    pass: [served('HTTP_X_FORWARDED_FOR', app, { HTTP_X_FORWARDED_FOR: '10.0.0.1, 10.0.0.2' })],
    fail: [
      served('dash kept', app, { 'HTTP_X-FORWARDED-FOR': '10.0.0.1' }),
      served('LF in value', app, { HTTP_X_A: 'a\nb' }),
    ],
  },
  'env.23': {
    pass: [
      served('host and port', app, { HTTP_HOST: 'example.com:8080' }),
      served('bracketed IPv6 with port', app, { HTTP_HOST: '[::1]:8080' }),
      served('absent', app, { HTTP_HOST: undefined }),
    ],
    fail: [
      served('empty', app, { HTTP_HOST: '' }),
      served('a path', app, { HTTP_HOST: 'example.com/x' }),
      served('bare IPv6', app, { HTTP_HOST: '::1' }),
      served('port not digits', app, { HTTP_HOST: 'example.com:http' }),
    ],
  },
  'env.24': {
    pass: [
      served('HTTP/2.0 without connection-specific fields', app, { SERVER_PROTOCOL: 'HTTP/2.0' }),
      served('HTTP/2.0 with TE: trailers', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_TE: 'trailers',
      }),
      served('HTTP/2.0 with TE: Trailers sent twice', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_TE: 'Trailers, trailers',
      }),
      served('HTTP/3 with TE: trailers', app, { SERVER_PROTOCOL: 'HTTP/3', HTTP_TE: 'trailers' }),
      served('HTTP/1.1 keeps its connection fields', app, {
        HTTP_CONNECTION: 'keep-alive, Upgrade',
        HTTP_KEEP_ALIVE: 'timeout=5',
        HTTP_UPGRADE: 'h2c',
        HTTP_TE: 'gzip',
      }),
      served('HTTP/1.1 chunked', app, { HTTP_TRANSFER_ENCODING: 'chunked' }),
    ],
    fail: [
      served('HTTP/2.0 with Connection', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_CONNECTION: 'keep-alive',
      }),
      served('HTTP/2.0 with Keep-Alive', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_KEEP_ALIVE: 'timeout=5',
      }),
      served('HTTP/2.0 with Proxy-Connection', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_PROXY_CONNECTION: 'keep-alive',
      }),
      served('HTTP/2.0 with Transfer-Encoding', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_TRANSFER_ENCODING: 'chunked',
      }),
      served('HTTP/2.0 with Upgrade', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_UPGRADE: 'websocket',
      }),
      served('HTTP/2.0 with an empty Connection', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_CONNECTION: '',
      }),
      served('HTTP/2.0 with TE: gzip', app, { SERVER_PROTOCOL: 'HTTP/2.0', HTTP_TE: 'gzip' }),
      served('HTTP/2.0 with TE: trailers, deflate', app, {
        SERVER_PROTOCOL: 'HTTP/2.0',
        HTTP_TE: 'trailers, deflate',
      }),
      served('HTTP/2 (no minor) with Upgrade', app, {
        SERVER_PROTOCOL: 'HTTP/2',
        HTTP_UPGRADE: 'h2c',
      }),
      served('HTTP/3 with Connection', app, {
        SERVER_PROTOCOL: 'HTTP/3',
        HTTP_CONNECTION: 'close',
      }),
    ],
  },
  'env.18': {
    pass: [served('[1, 0]', app)],
    fail: [
      served('[1, 1]', app, { 'tsgi.version': [1, 1] }),
      served('a string', app, { 'tsgi.version': '1.0' }),
    ],
  },
  'env.19': {
    pass: [served('https', app, { 'tsgi.url_scheme': 'https' })],
    fail: [served('upper case', app, { 'tsgi.url_scheme': 'HTTP' })],
  },
  'env.20': {
    pass: [served('a stream', app, { 'tsgi.input': makeInput() })],
    fail: [
      served('missing', app, { 'tsgi.input': undefined }),
      served('no async iteration', app, { 'tsgi.input': { read: async () => new Uint8Array() } }),
    ],
  },
  'env.21': {
    pass: [served('write and flush', app)],
    fail: [served('no flush', app, { 'tsgi.errors': { write() {} } })],
  },
  'env.22': {
    pass: [served('booleans', app, { 'tsgi.multiprocess': true })],
    fail: [
      served('a string', app, { 'tsgi.run_once': 'false' }),
      served('multithread false', app, { 'tsgi.multithread': false }),
    ],
  },
};
