// The app module: it exports the application and serves nothing itself.
// `npm run dev` and `npm start` run `tsgi serve`, which imports it in every worker.
import { cors } from '@tsgi/middleware-cors';
import { timing } from '@tsgi/middleware-timing';
import { createRouter } from '@tsgi/router';
import { type Application, jsonResponse } from '@tsgi/spec';

const hello: Application = (_environ, startResponse) =>
  jsonResponse(startResponse, 200, { message: 'Hello from {{name}}' });

const routes = createRouter({
  notFound: (environ, startResponse) =>
    jsonResponse(startResponse, 404, {
      error: `no route for ${environ.REQUEST_METHOD} ${environ.PATH_INFO}`,
    }),
}).get('/', hello);

// State kept in a variable here lives in one worker's memory: with several workers each has
// its own copy. Keep shared state in a database (see items-api in the TSGI repository).

/** What `tsgi serve` runs: the routes, their timing, and CORS around both. */
export const application: Application = cors(timing(routes), { origin: '*' });
