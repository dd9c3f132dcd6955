import { type Application, jsonResponse } from '@tsgi/spec';

/** A TSGI application: the examples beside this file serve it on Bun, Deno and workers. */
export const app: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 200, {
    hello: 'world',
    path: environ.PATH_INFO,
    client: environ.REMOTE_ADDR,
  });
