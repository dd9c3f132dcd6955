// Contender: serve() of one build of @tsgi/node with the app of the servers
// bench (servers/tsgi.mjs): jsonResponse of that build's own @tsgi/spec
// JSON.stringifies { hello: 'world' }, encodes it and starts the response with
// Content-Type and Content-Length; keep-alive as Node's defaults, no metrics.
// TSGI_TREE is the build's directory (packages/node/dist, packages/spec/dist;
// see builds.ts), so the same file serves the base build and the new one.
import { pathToFileURL } from 'node:url';

const tree = process.env.TSGI_TREE;
if (!tree) throw new Error('against-base/http.mjs: TSGI_TREE is not set');
const load = (path) => import(pathToFileURL(`${tree}/${path}`).href);
const { serve } = await load('packages/node/dist/index.js');
const { jsonResponse } = await load('packages/spec/dist/index.js');

const app = (_environ, startResponse) => jsonResponse(startResponse, 200, { hello: 'world' });

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  metrics: false,
});
console.log(JSON.stringify({ port: server.address.port }));
