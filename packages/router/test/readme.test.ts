// The README's opening example (app.ts), run as written, through the test client instead of server.ts,
// and the builder example of docs/packages/router.md ("Two forms, one core") with its mount.
import { type Application, jsonResponse, readJson } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { expect, it } from 'vitest';
import { createRouter, params, router } from '../src/index.js';

const items = [{ id: 1, name: 'apple' }];

const viewHealth: Application = (_environ, startResponse) =>
  jsonResponse(startResponse, 200, { status: 'ok' });

const listItems: Application = (_environ, startResponse) => jsonResponse(startResponse, 200, items);

const createItem: Application = async (environ, startResponse) => {
  const { name } = (await readJson(environ)) as { name: string };
  const item = { id: items.length + 1, name };
  items.push(item);
  return jsonResponse(startResponse, 201, item);
};

const getItem: Application = (environ, startResponse) => {
  const item = items.find((i) => String(i.id) === params(environ).id);
  return item
    ? jsonResponse(startResponse, 200, item)
    : jsonResponse(startResponse, 404, { error: `item ${params(environ).id} does not exist` });
};

const application = router(
  {
    '/health': viewHealth,
    '/items': { GET: listItems, POST: createItem },
    '/items/:id': { GET: getItem },
  },
  {
    notFound: (environ, startResponse) =>
      jsonResponse(startResponse, 404, { error: `path ${environ.PATH_INFO} does not exist` }),
  },
);

it('runs the README example', async () => {
  const client = createClient(application);
  expect(await (await client.get('/health')).json()).toEqual({ status: 'ok' });
  expect((await client.post('/items', { json: { name: 'pear' } })).status).toBe(201);
  expect(await (await client.get('/items/2')).json()).toEqual({ id: 2, name: 'pear' });
  expect(await (await client.get('/nope')).json()).toEqual({ error: 'path /nope does not exist' });
  const wrongMethod = await client.request('DELETE', '/items');
  expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([
    405,
    'GET, HEAD, POST, OPTIONS',
  ]);
});

it('runs the builder and mount example of docs/packages/router.md', async () => {
  const admin = createRouter().get('/', (environ, startResponse) =>
    jsonResponse(startResponse, 200, {
      scriptName: environ.SCRIPT_NAME,
      pathInfo: environ.PATH_INFO,
    }),
  );
  const site = createRouter({ trailingSlash: 'redirect' })
    .get('/health', viewHealth)
    .get('/items', listItems)
    .post('/items', createItem)
    .get('/items/:id', getItem)
    .mount('/admin', admin);
  const client = createClient(site);
  expect(await (await client.get('/admin/')).json()).toEqual({
    scriptName: '/admin',
    pathInfo: '/',
  });
  expect((await client.get('/items/')).headers.get('location')).toBe('/items');
});
