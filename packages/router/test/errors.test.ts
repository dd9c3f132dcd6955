// An error a route throws is answered inside the app stack: the middleware around the router adds its headers.
import { type Application, type Middleware, readJson } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { expect, it } from 'vitest';
import { createRouter } from '../src/index.js';

/** A stand-in for cors or timing: adds one header to whatever the app answers. */
const stamp: Middleware = (app) => (environ, startResponse) =>
  app(environ, (status, headers, excInfo) =>
    startResponse(status, [...headers, ['X-Stamp', 'yes']], excInfo),
  );

const createItem: Application = async (environ) => {
  await readJson(environ);
  throw new Error('unreachable in these tests');
};
const broken: Application = () => {
  throw new Error('disk on fire');
};
const lateBroken: Application = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  throw new Error('changed its mind');
};

const app = stamp(
  createRouter().post('/items', createItem).get('/broken', broken).get('/late', lateBroken),
);

it('answers a readJson error with its status, through the middleware', async () => {
  const client = createClient(app);
  const response = await client.post('/items', {
    body: '{not json',
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(400);
  expect(response.headers.get('x-stamp')).toBe('yes');
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(((await response.json()) as { error: string }).error).toMatch(/JSON/i);
  expect(client.errors).toBe('');
});

it('answers any other error with a 500 through the middleware and reports it on tsgi.errors', async () => {
  const client = createClient(app);
  for (const path of ['/broken', '/late']) {
    const response = await client.get(path);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-stamp')).toBe('yes');
    expect(await response.json()).toEqual({ error: 'Internal Server Error' });
  }
  expect(client.errors).toMatch(/GET \/broken: Error: disk on fire/);
  expect(client.errors).toMatch(/GET \/late: Error: changed its mind/);
});
