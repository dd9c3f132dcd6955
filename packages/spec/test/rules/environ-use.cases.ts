import { type Application, shiftPathInfo } from '../../src/index.ts';
import { textApp } from '../harness.ts';
import { type RuleTable, served } from './cases.ts';

const app = textApp();
const mw =
  (change: (environ: Record<string, unknown>) => void): Application =>
  (environ, startResponse) => {
    change(environ);
    return app(environ, startResponse);
  };

export const environUseCases: RuleTable = {
  'mw.1': {
    pass: [
      served(
        'shiftPathInfo',
        mw((e) => shiftPathInfo(e as never)),
        { PATH_INFO: '/v1/items', REQUEST_URI: '/v1/items' },
      ),
      served(
        'adds a registered extension',
        mw((e) => {
          e['tsgi.request_id'] = 'r-1';
        }),
      ),
    ],
    fail: [
      served(
        'SCRIPT_NAME with a trailing slash',
        mw((e) => {
          e.SCRIPT_NAME = '/v1/';
        }),
      ),
      served(
        'an unregistered tsgi key',
        mw((e) => {
          e['tsgi.user'] = 'bob';
        }),
      ),
      served(
        'deletes tsgi.errors',
        mw((e) => {
          delete e['tsgi.errors'];
        }),
      ),
    ],
  },
  'url.2': {
    pass: [served('decoded UTF-8', app, { PATH_INFO: '/café', REQUEST_URI: '/caf%C3%A9' })],
    fail: [
      served('NUL', app, { PATH_INFO: '/a\0b', REQUEST_URI: '/a%00b' }),
      served('a lone surrogate', app, { PATH_INFO: '/\uD800', REQUEST_URI: '/%ED%A0%80' }),
    ],
  },
  'ext.1': {
    pass: [served('a dotted key', app, { 'node.request': {} })],
    fail: [
      served('lower case without a dot', app, { user: 'bob' }),
      served('a header name', app, { 'Content-Type': 'text/plain' }),
    ],
  },
  'ext.2': {
    pass: [served('tsgi.request_id', app, { 'tsgi.request_id': 'r-1' })],
    fail: [served('tsgi.user', app, { 'tsgi.user': 'bob' })],
  },
  'ext.3': {
    pass: [
      served('pattern and params', app, {
        'tsgi.route': { pattern: '/items/:id', params: { id: '7' } },
      }),
    ],
    fail: [
      served('no params', app, { 'tsgi.route': { pattern: '/items' } }),
      served('a number param', app, { 'tsgi.route': { pattern: '/items/:id', params: { id: 7 } } }),
      served('a string', app, { 'tsgi.route': '/items' }),
    ],
  },
  'ext.4': {
    pass: [served('visible ASCII', app, { 'tsgi.request_id': '4bf92f3577b34da6' })],
    fail: [
      served('empty', app, { 'tsgi.request_id': '' }),
      served('a number', app, { 'tsgi.request_id': 7 }),
    ],
  },
};
