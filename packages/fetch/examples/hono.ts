// node examples/hono.ts (Node 22.18 or later; before that, tsx examples/hono.ts)
import { fromFetchHandler } from '@tsgi/fetch';
import { serve } from '@tsgi/node';
import { createRouter } from '@tsgi/router';
import { jsonResponse } from '@tsgi/spec';
import { Hono } from 'hono';

// A Hono app, as it is.
const hono = new Hono().get('/users/:id', (c) => c.json({ id: c.req.param('id') }));

// Mounted at /hono beside TSGI routes: GET /hono/users/7 reaches Hono as /users/7.
const app = createRouter()
  .get('/health', (_environ, startResponse) => jsonResponse(startResponse, 200, { status: 'ok' }))
  .mount('/hono', fromFetchHandler(hono.fetch, { stripScriptName: true }));

const server = await serve(app, { host: '127.0.0.1', port: Number(process.env.PORT ?? 8000) });
console.log(`listening on ${server.address.url}`);
